import type { Knex } from 'knex';

// Small column factories so every migration spells the conventions the same way.
// Timestamps are UTC ISO-8601 strings ('2026-11-23T00:30:00.000Z'): portable across SQLite and MySQL,
// sortable, and never shifted by a server or session time zone.
export const timestamp = (t: Knex.CreateTableBuilder, name: string) => t.string(name, 24);
/** Business dates are 'YYYY-MM-DD' in the business time zone. */
export const businessDate = (t: Knex.CreateTableBuilder, name: string) => t.string(name, 10);
/** Money is integer fen. */
export const fen = (t: Knex.CreateTableBuilder, name: string) => t.bigInteger(name);
export const userRef = (t: Knex.CreateTableBuilder, name: string) =>
  t.integer(name).unsigned().references('id').inTable('users');
export const createdUpdated = (t: Knex.CreateTableBuilder) => {
  timestamp(t, 'created_at').notNullable();
  timestamp(t, 'updated_at').notNullable();
};
