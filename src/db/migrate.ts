import type { Knex } from 'knex';
import { MIGRATION_NAMES, migrationSource } from './migrations/index.js';

const config: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

export interface MigrationState {
  name: string;
  applied: boolean;
}

/**
 * A crashed migration can leave `knex_migrations_lock` set, after which every migrate waits and fails.
 * We never run two migrators at once on purpose (`crm db migrate` is an admin step), so a stale lock
 * is released with a warning instead of blocking the operator.
 */
async function releaseStaleLock(db: Knex, warn?: (msg: string) => void): Promise<void> {
  const exists = await db.schema.hasTable('knex_migrations_lock');
  if (!exists) return;
  const rows = await db('knex_migrations_lock').where({ is_locked: 1 });
  if (rows.length > 0) {
    warn?.('knex_migrations_lock was left set by an interrupted migration; releasing it');
    await db('knex_migrations_lock').update({ is_locked: 0 });
  }
}

/** Apply every pending migration; returns the names applied (empty when up to date). */
export async function migrateLatest(db: Knex, warn?: (msg: string) => void): Promise<string[]> {
  await releaseStaleLock(db, warn);
  const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
  return applied;
}

export async function migrationStatus(db: Knex): Promise<MigrationState[]> {
  const hasTable = await db.schema.hasTable('knex_migrations');
  const done = new Set<string>(
    hasTable ? (await db('knex_migrations').select('name')).map((r: { name: string }) => r.name) : [],
  );
  return MIGRATION_NAMES.map((name) => ({ name, applied: done.has(name) }));
}

export async function isInitialised(db: Knex): Promise<boolean> {
  const status = await migrationStatus(db);
  return status.length > 0 && status.every((s) => s.applied);
}

/** Roll back the last batch (development databases only; the command asks for confirmation). */
export async function rollbackLast(db: Knex): Promise<string[]> {
  await releaseStaleLock(db);
  const [, rolled] = (await db.migrate.rollback(config)) as [number, string[]];
  return rolled;
}
