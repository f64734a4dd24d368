/**
 * Bulk inserts on MySQL/MariaDB through `LOAD DATA LOCAL INFILE`, fed from memory: the rows are written as
 * tab-separated text and streamed to the server over the same connection (and transaction) as the caller's other
 * statements. The server parses the text itself; no INSERT statement is built or escaped per row, which is where
 * the client spent most of its time on large imports.
 *
 * Safety:
 * - No file is read. The server names the file it wants; the stream factory answers only the one name this call
 *   put into its statement and refuses any other (a hostile server cannot make the client send a local file).
 * - With LOCAL, the server turns duplicate keys and bad values into warnings instead of errors (it cannot stop the
 *   client mid-stream). A load is therefore checked afterwards: the rows affected must equal the rows sent and there
 *   must be no warning, else it throws, and the caller's transaction rolls back as it would for a failed INSERT.
 * - It needs `local_infile` on the server. `loadDataAvailable` asks once; callers fall back to multi-row INSERTs.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { CrmError, ExitCode } from '../domain/errors.js';
import { dialectOf } from './connection.js';

/** Rows are sent to the server in pieces of about this many bytes (one protocol packet each, far below 16 MB). */
const PIECE_BYTES = 256 * 1024;

const availability = new WeakMap<object, Promise<boolean>>();

export interface LoadDataOptions {
  /** false: never use LOAD DATA (multi-row INSERTs instead). Default: use it when the server allows it. */
  enabled?: boolean;
}

/** Handles on which LOAD DATA was turned off by a caller whose callee cannot take the option (see refuseLoadData). */
const refused = new WeakSet<object>();

/**
 * Turn LOAD DATA off on `db` (a chunk's transaction), for code below that asks loadDataAvailable(db) without
 * options. The mark lives as long as the handle.
 */
export function refuseLoadData(db: Knex): void {
  refused.add(db);
}

/**
 * Can `db` take `LOAD DATA LOCAL INFILE` (MySQL/MariaDB with `local_infile` on, and not turned off by the caller)?
 * The server is asked once per knex instance.
 */
export function loadDataAvailable(db: Knex, opts: LoadDataOptions = {}): Promise<boolean> {
  if (dialectOf(db) !== 'mysql') return Promise.resolve(false);
  if (opts.enabled === false || refused.has(db)) return Promise.resolve(false);
  // A transaction's client is a new object sharing its parent's config: the config identifies the server.
  const key = (db.client as { config: object }).config;
  let answer = availability.get(key);
  if (!answer) {
    answer = db
      .raw('SELECT @@local_infile AS on_')
      .then((res: unknown) => {
        const rows = (res as [{ on_: unknown }[]])[0];
        return Number(rows[0]?.on_) === 1;
      })
      .catch(() => false);
    availability.set(key, answer);
  }
  return answer;
}

/** A value as LOAD DATA reads it with FIELDS ESCAPED BY '\\': NULL as \N, the separators escaped. */
function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (v === true) return '1';
  if (v === false) return '0';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  const s = v instanceof Date ? v.toISOString() : String(v);
  // Most cells have nothing to escape: test once, replace only when needed.
  return /[\\\t\n\r\0]/.test(s) ? s.replace(/[\\\t\n\r\0]/g, escapeChar) : s;
}
function escapeChar(c: string): string {
  switch (c) {
    case '\\':
      return '\\\\';
    case '\t':
      return '\\t';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    default:
      return '\\0';
  }
}

/** The rows as tab-separated lines, in pieces of about PIECE_BYTES (made as the server reads, not all at once). */
function* pieces(rows: readonly (readonly unknown[])[]): Generator<Buffer> {
  let text = '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + field(row[i]);
    text += `${line}\n`;
    // Characters, not bytes: a piece of Chinese text is up to 3x as many bytes, still far below a packet's limit.
    if (text.length >= PIECE_BYTES) {
      yield Buffer.from(text, 'utf8');
      text = '';
    }
  }
  if (text) yield Buffer.from(text, 'utf8');
}

/**
 * The stream factory mysql2 calls when the server asks for a local file: the rows' text for `name`, and for any
 * other name a stream that fails (the statement then fails with that message).
 */
export function offeredFile(name: string, rows: readonly (readonly unknown[])[]): (requested: string) => Readable {
  return (requested) => {
    if (requested !== name) {
      return new Readable({
        read() {
          this.destroy(new Error(`the server asked for the local file "${requested}"; only "${name}" is offered`));
        },
      });
    }
    return Readable.from(pieces(rows), { objectMode: false });
  };
}

export interface LoadResult {
  /** Rows the server inserted (equals the rows sent: anything else throws). */
  affected: number;
  /**
   * With `{ firstId: true }`: the auto-increment id of the first row (LAST_INSERT_ID(); the OK packet of a LOAD
   * DATA carries 0). Whether the others follow it without gaps is the server's setting: see hasConsecutiveIds in
   * the customers import. Else 0.
   */
  firstId: number;
}

export interface LoadOptions {
  firstId?: boolean;
}

/**
 * Inserts `rows` (values in `columns` order) into `table` with one `LOAD DATA LOCAL INFILE`, on `db` (a
 * transaction's connection when `db` is one). Throws when the server skipped a row or warned about a value.
 */
export async function loadRows(
  db: Knex,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  opts: LoadOptions = {},
): Promise<LoadResult> {
  if (rows.length === 0) return { affected: 0, firstId: 0 };
  // LAST_INSERT_ID() is per connection: outside a transaction the pool could answer from another one.
  if (opts.firstId && !(db as { isTransaction?: boolean }).isTransaction) {
    return db.transaction((trx) => loadRows(trx, table, columns, rows, opts));
  }
  const name = `crm-load-${crypto.randomUUID()}.tsv`;
  const sql =
    `LOAD DATA LOCAL INFILE '${name}' INTO TABLE ${ident(table)} CHARACTER SET utf8mb4 ` +
    "FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' " +
    `(${columns.map(ident).join(', ')})`;
  const res = (await db.raw(sql).options({ infileStreamFactory: offeredFile(name, rows) })) as unknown as [
    { affectedRows: number; insertId: number; warningStatus: number },
  ];
  const header = res[0];
  if (header.affectedRows !== rows.length || header.warningStatus > 0) {
    const warnings = (await db.raw('SHOW WARNINGS LIMIT 3')) as unknown as [{ Message: string }[]];
    const first = warnings[0].map((w) => w.Message).join('; ');
    const stored = `${header.affectedRows} / ${rows.length}`;
    throw new CrmError(
      'E1310',
      {
        zh: `批量写入 ${table} 未完成：写入 ${stored} 行，警告 ${header.warningStatus} 条${first ? `：${first}` : ''}`,
        en: `bulk load into ${table} incomplete: ${stored} rows stored, ${header.warningStatus} warning(s)${first ? `: ${first}` : ''}`,
      },
      ExitCode.conflict,
      {
        zh: '本批已回滚。若有另一导入同时写入相同数据，请待其结束后重新运行（导入会从中断处继续）',
        en: 'this chunk was rolled back. If another import wrote the same rows at the same time, run the import again once it has finished (it resumes where it stopped)',
      },
    );
  }
  let firstId = 0;
  if (opts.firstId) {
    const [last] = (await db.raw('SELECT LAST_INSERT_ID() AS id')) as unknown as [{ id: unknown }[]];
    firstId = Number(last[0]?.id);
  }
  return { affected: header.affectedRows, firstId };
}

/**
 * loadRows for rows as objects that all have the same keys (the first row's keys name the columns; a row without
 * one of them would load NULL where an INSERT would take the column's default, so it is refused).
 */
export function loadRecords(
  db: Knex,
  table: string,
  records: readonly Record<string, unknown>[],
  opts: LoadOptions = {},
): Promise<LoadResult> {
  if (records.length === 0) return Promise.resolve({ affected: 0, firstId: 0 });
  const columns = Object.keys(records[0]!);
  const rows = records.map((r) => {
    if (Object.keys(r).length !== columns.length) throw new Error(`rows for ${table} differ in their columns`);
    return columns.map((c) => r[c]);
  });
  return loadRows(db, table, columns, rows, opts);
}

/** Table and column names here are the code's own constants; quoting keeps reserved words safe. */
function ident(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `\`${name}\``;
}
