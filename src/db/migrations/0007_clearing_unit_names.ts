import type { Knex } from 'knex';
import { timestamp, userRef } from './helpers.js';

/**
 * The name a first-level unit has in the clearing files, when the operator overrides it (`crm settlement names
 * set`): a name frozen on the day's transactions that the file encoding cannot hold would otherwise leave the
 * day unclearable.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('clearing_unit_names', (t) => {
    t.string('unit_code', 64).primary();
    t.string('name', 200).notNullable();
    t.string('reason', 300).notNullable();
    userRef(t, 'set_by');
    timestamp(t, 'set_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('clearing_unit_names');
}
