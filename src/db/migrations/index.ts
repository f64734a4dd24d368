import type { Knex } from 'knex';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

/**
 * The ordered list of migrations: name and loader. Append new ones at the end; never edit one that has shipped.
 * A static list (instead of a directory scan) works the same from compiled JS and from TypeScript in tests.
 * Modules load only when knex runs a migration: every command checks the names (`readyDb`), few migrate.
 */
export const MIGRATIONS: ReadonlyArray<readonly [string, () => Promise<Migration>]> = [
  ['0001_foundation', () => import('./0001_foundation.js')],
  ['0002_customers', () => import('./0002_customers.js')],
  ['0003_settlement', () => import('./0003_settlement.js')],
  ['0004_orders', () => import('./0004_orders.js')],
  ['0005_reports', () => import('./0005_reports.js')],
  ['0006_report_indexes', () => import('./0006_report_indexes.js')],
  ['0007_clearing_unit_names', () => import('./0007_clearing_unit_names.js')],
  ['0008_service', () => import('./0008_service.js')],
  ['0009_office', () => import('./0009_office.js')],
  ['0010_approvals', () => import('./0010_approvals.js')],
  ['0011_auth', () => import('./0011_auth.js')],
  ['0012_write_conflicts', () => import('./0012_write_conflicts.js')],
];

/** Every migration's name, in order, without loading any of them. */
export const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map(([name]) => name);

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => [...MIGRATION_NAMES],
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = MIGRATIONS.find(([n]) => n === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    return found[1]();
  },
};
