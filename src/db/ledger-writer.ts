/**
 * The ledger's bulk insert: rows of values in a fixed column order, written by whichever way into the table is
 * fastest on this database, behind one interface. The caller writes each row's values straight into the writer's
 * `params` (no object per row on the fast paths), then calls `rowWritten()`; `end()` inserts what is left.
 *
 * - SQLite, on the transaction's own connection: multi-row INSERTs prepared once per connection, run as the rows
 *   come (SQLite has no network round trip to save).
 * - MySQL/MariaDB with `local_infile`: the rows collected and sent by one LOAD DATA at `end()` (src/db/load-data.ts).
 * - Otherwise (MySQL without `local_infile`, SQLite outside a transaction): row objects, multi-row INSERTs by knex
 *   at `end()`.
 */
import type { Knex } from 'knex';
import { dialectOf } from './connection.js';
import { loadDataAvailable, loadRows } from './load-data.js';
import type { SqliteStatements } from './sqlite-statements.js';

export interface LedgerRowWriter {
  /** The next row's values go at `params[at]` … `params[at + columns.length - 1]`. */
  readonly params: unknown[];
  readonly at: number;
  /** The row at `at` is complete. */
  rowWritten(): void;
  /** Insert the rows not inserted yet. The writer can be used again afterwards. */
  end(): Promise<void>;
}

export type { SqliteStatement, SqliteStatements } from './sqlite-statements.js';

/**
 * The writer for `db`: `sqlite` is the transaction's own connection on SQLite (null elsewhere, or outside a
 * transaction). Asks whether LOAD DATA is available (once per server, cached by load-data.ts).
 */
export async function openLedgerWriter(
  db: Knex,
  table: string,
  columns: readonly string[],
  sqlite: SqliteStatements | null,
): Promise<LedgerRowWriter> {
  if (sqlite) return new SqliteRowWriter(sqlite, table, columns);
  if (await loadDataAvailable(db)) return new LoadDataRowWriter(db, table, columns);
  return new KnexRowWriter(db, table, columns);
}

/** Rows per INSERT on SQLite: with the ledger's 18 columns, 900 parameters (the limit is 32766). */
const ROWS_PER_INSERT = 50;

function insertSql(table: string, columns: readonly string[], rows: number): string {
  const one = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${new Array(rows).fill(one).join(', ')}`;
}

/** SQLite: ROWS_PER_INSERT rows per prepared statement; `end()` inserts what is left a row at a time. */
class SqliteRowWriter implements LedgerRowWriter {
  readonly params: unknown[];
  at = 0;
  private rows = 0;
  private readonly width: number;
  private readonly insertMany: string;
  private readonly insertOne: string;

  constructor(
    private readonly sqlite: SqliteStatements,
    table: string,
    columns: readonly string[],
  ) {
    this.width = columns.length;
    this.params = new Array<unknown>(ROWS_PER_INSERT * this.width);
    this.insertMany = insertSql(table, columns, ROWS_PER_INSERT);
    this.insertOne = insertSql(table, columns, 1);
  }

  rowWritten(): void {
    this.at += this.width;
    if (++this.rows < ROWS_PER_INSERT) return;
    this.sqlite.st(this.insertMany).run(this.params);
    this.at = 0;
    this.rows = 0;
  }

  async end(): Promise<void> {
    const width = this.width;
    if (this.rows > 0) {
      const one = this.sqlite.st(this.insertOne);
      for (let r = 0; r < this.rows; r++) one.run(this.params.slice(r * width, (r + 1) * width));
    }
    this.at = 0;
    this.rows = 0;
  }
}

/** MySQL/MariaDB with local_infile: each row its own value list, all sent by one LOAD DATA. */
class LoadDataRowWriter implements LedgerRowWriter {
  params: unknown[];
  readonly at = 0;
  private rows: unknown[][] = [];

  constructor(
    private readonly db: Knex,
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {
    this.params = new Array<unknown>(columns.length);
  }

  rowWritten(): void {
    this.rows.push(this.params);
    this.params = new Array<unknown>(this.columns.length);
  }

  async end(): Promise<void> {
    const rows = this.rows;
    this.rows = [];
    if (rows.length > 0) await loadRows(this.db, this.table, this.columns, rows);
  }
}

/** Any database through knex: row objects, multi-row INSERTs. */
class KnexRowWriter implements LedgerRowWriter {
  params: unknown[];
  readonly at = 0;
  private rows: Record<string, unknown>[] = [];

  constructor(
    private readonly db: Knex,
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {
    this.params = new Array<unknown>(columns.length);
  }

  rowWritten(): void {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < this.columns.length; i++) row[this.columns[i] as string] = this.params[i];
    this.rows.push(row);
  }

  async end(): Promise<void> {
    const rows = this.rows;
    this.rows = [];
    // 500 rows x 18 columns stay within SQLite's limits; MySQL takes larger statements (fewer round trips; 2000
    // rows are well under max_allowed_packet).
    const per = dialectOf(this.db) === 'mysql' ? 2000 : 500;
    for (let i = 0; i < rows.length; i += per) await this.db(this.table).insert(rows.slice(i, i + per));
  }
}
