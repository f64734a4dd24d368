import type { Knex } from 'knex';
import { chainHash, GENESIS } from '../audit-chain.js';
import { timestamp, userRef } from './helpers.js';

/**
 * Sign-in and a tamper-evident audit log:
 * - users get a password hash (scrypt, parameters kept with it), a forced-change flag and a lockout;
 * - auth_tokens holds sign-in sessions and scheduler tokens, hashed (never the secret itself);
 * - audit_log rows get `via_user` (who really acted when an admin acts as someone else), `prev_hash` and `hash`;
 * - audit_chain is the one-row head of the hash chain, locked by every audit write (one chain, in order).
 * Existing audit rows are chained here, in id order.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('password_hash', 200);
    timestamp(t, 'password_changed_at');
    t.boolean('must_change_password').notNullable().defaultTo(false);
    t.integer('failed_logins').notNullable().defaultTo(0);
    timestamp(t, 'locked_until');
  });

  await knex.schema.createTable('auth_tokens', (t) => {
    t.increments('id');
    t.string('kind', 16).notNullable(); // session | api
    userRef(t, 'user_id').notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.string('note', 200);
    t.string('os_account', 64);
    t.string('bound_to', 500); // the session file a session was written to
    timestamp(t, 'created_at').notNullable();
    userRef(t, 'created_by');
    timestamp(t, 'expires_at');
    timestamp(t, 'last_used_at');
    timestamp(t, 'revoked_at');
    t.index(['user_id', 'kind']);
  });

  await knex.schema.alterTable('audit_log', (t) => {
    t.string('via_user', 64);
    t.string('prev_hash', 64);
    t.string('hash', 64);
  });

  await knex.schema.createTable('audit_chain', (t) => {
    t.integer('id').primary();
    t.bigInteger('seq').notNullable().defaultTo(0);
    t.bigInteger('last_id').notNullable().defaultTo(0);
    t.string('last_hash', 64).notNullable();
    // After `crm audit archive`: the last archived row, whose hash the first remaining row links to.
    t.bigInteger('base_id').notNullable().defaultTo(0);
    t.string('base_hash', 64).notNullable();
  });

  // Chain what is already there (a database upgraded from an earlier version).
  let prev = GENESIS;
  let lastId = 0;
  let after = 0;
  for (;;) {
    const rows: Record<string, unknown>[] = await knex('audit_log').where('id', '>', after).orderBy('id').limit(1000);
    if (!rows.length) break;
    for (const row of rows) {
      const hash = chainHash(prev, row);
      await knex('audit_log').where({ id: row.id }).update({ prev_hash: prev, hash });
      prev = hash;
      lastId = Number(row.id);
    }
    after = lastId;
  }
  await knex('audit_chain').insert({ id: 1, seq: 0, last_id: lastId, last_hash: prev, base_id: 0, base_hash: GENESIS });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('audit_chain');
  await knex.schema.dropTableIfExists('auth_tokens');
  // Plain DROP COLUMN (SQLite 3.35+ has it): knex's SQLite way copies the table, which the foreign keys refuse.
  for (const column of ['via_user', 'prev_hash', 'hash']) {
    await knex.raw('ALTER TABLE audit_log DROP COLUMN ??', [column]);
  }
  for (const column of [
    'password_hash',
    'password_changed_at',
    'must_change_password',
    'failed_logins',
    'locked_until',
  ]) {
    await knex.raw('ALTER TABLE users DROP COLUMN ??', [column]);
  }
}
