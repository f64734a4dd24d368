import type { Knex } from 'knex';

/**
 * A counter every receipt and refund of an order increments in its transaction. Row locks (SELECT … FOR UPDATE)
 * serialise two payments on one server, but on a multi-primary cluster (Galera) they are local to a node; two
 * transactions that both really write the same row cannot both commit there (certification aborts one), so
 * "never overpaid" holds on every node.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.integer('money_version').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  // Plain DROP COLUMN (SQLite 3.35+ has it): knex's SQLite way copies the table, which the foreign keys refuse.
  await knex.raw('ALTER TABLE orders DROP COLUMN money_version');
}
