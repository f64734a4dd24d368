import type { Knex } from 'knex';
import { createdUpdated, fen, userRef } from './helpers.js';

export async function up(knex: Knex): Promise<void> {
  // Monthly targets per user (`crm targets set`).
  await knex.schema.createTable('targets', (t) => {
    t.increments('id');
    userRef(t, 'user_id').notNullable();
    t.string('month', 7).notNullable(); // YYYY-MM
    fen(t, 'orders_amount_fen').notNullable().defaultTo(0);
    fen(t, 'receipts_fen').notNullable().defaultTo(0);
    createdUpdated(t);
    t.unique(['user_id', 'month']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('targets');
}
