import type { Knex } from 'knex';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_customers.js';
import * as m0003 from './0003_settlement.js';
import * as m0004 from './0004_orders.js';
import * as m0005 from './0005_reports.js';
import * as m0006 from './0006_report_indexes.js';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

/**
 * The ordered list of migrations. Append new ones at the end; never edit one that has shipped.
 * A static list (instead of a directory scan) works the same from compiled JS and from TypeScript in tests.
 */
export const MIGRATIONS: ReadonlyArray<readonly [string, Migration]> = [
  ['0001_foundation', m0001],
  ['0002_customers', m0002],
  ['0003_settlement', m0003],
  ['0004_orders', m0004],
  ['0005_reports', m0005],
  ['0006_report_indexes', m0006],
];

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => MIGRATIONS.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = MIGRATIONS.find(([n]) => n === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    return found[1];
  },
};
