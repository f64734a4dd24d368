import type { Knex } from 'knex';
import { dialectOf } from './connection.js';

/** The subset of a better-sqlite3 statement the bulk writers use. */
export interface SqliteStatement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** Rows as arrays of values instead of objects (cheaper when the caller reads them by position). */
  raw?(on: boolean): SqliteStatement;
  run(...params: unknown[]): { lastInsertRowid: number | bigint };
}

/** The subset of a better-sqlite3 connection used here. */
export interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

/** Prepared statements of one connection, each prepared once and reused for the connection's life. */
export interface SqliteStatements {
  st(sql: string): SqliteStatement;
}

const statementCache = new WeakMap<object, Map<string, SqliteStatement>>();

/**
 * The one statement cache for SQLite bulk work (imports, the ledger's bulk rows). The first use of a connection
 * also sets the bulk writers' pragmas on it, once.
 */
export function statementsOf(conn: SqliteConnection): SqliteStatements {
  let cache = statementCache.get(conn);
  if (!cache) {
    cache = new Map();
    statementCache.set(conn, cache);
    applyBulkPragmas(conn);
  }
  const stmts = cache;
  return {
    st(sql) {
      let x = stmts.get(sql);
      if (!x) {
        x = conn.prepare(sql);
        stmts.set(sql, x);
      }
      return x;
    },
  };
}

/**
 * The pragmas of a connection used for bulk writes (this connection only; the process ends with the command).
 * - cache_size: rows inserted at random places of several indexes miss most pages of SQLite's default 2 MB cache.
 * - temp_store: a multi-row INSERT keeps a statement journal (the pages it changes, to undo it alone on a
 *   constraint error): in memory, not a temp file written and truncated for every statement.
 */
function applyBulkPragmas(conn: SqliteConnection): void {
  conn.prepare('PRAGMA cache_size = -16384').run();
  conn.prepare('PRAGMA temp_store = MEMORY').run();
}

/** A knex handle that is a transaction (its queries all run on one connection). */
export function isTransaction(db: Knex): boolean {
  return Boolean((db as unknown as { isTransaction?: boolean }).isTransaction);
}

/**
 * The better-sqlite3 connection of a SQLite transaction. Inside a knex transaction acquireConnection() hands out
 * the transaction's own connection (no pool round trip, nothing to give back).
 */
export async function transactionConnection(db: Knex): Promise<SqliteConnection> {
  const client = db.client as { acquireConnection(): Promise<SqliteConnection> };
  return client.acquireConnection();
}

/** The statements of `db` when it is a SQLite transaction; null elsewhere (MySQL, or no transaction). */
export async function sqliteStatements(db: Knex): Promise<SqliteStatements | null> {
  return dialectOf(db) === 'sqlite' && isTransaction(db) ? statementsOf(await transactionConnection(db)) : null;
}

/** better-sqlite3 binds no booleans: knex writes them as 1/0, and so do we. */
export function bindable(v: unknown): unknown {
  return v === true ? 1 : v === false ? 0 : v === undefined ? null : v;
}
