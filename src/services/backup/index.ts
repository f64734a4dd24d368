import { createHash } from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { Knex } from 'knex';
import { dialectOf } from '../../db/connection.js';
import { migrateLatest } from '../../db/migrate.js';
import { MIGRATION_NAMES, migrationSource } from '../../db/migrations/index.js';
import type { Clock } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { type Actor, requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import type { ServiceContext } from '../context.js';

/**
 * Backups: one gzip'd JSON-lines file holding every table the database has (read from the database, so tables
 * added by later migrations are included), taken in one read transaction (a consistent snapshot while others
 * write: SQLite WAL, InnoDB REPEATABLE READ). Per table: its rows in primary-key order, their count and a SHA-256
 * over them, the same on either engine, so a SQLite backup restores into MariaDB and back with equal checksums.
 *
 * Lines: {"crmBackup":1,"schema":[migrations],"dialect","createdAt","tables":[…]}, then per table
 * {"table","columns"}, one JSON array per row, {"end":table,"count","sha256"}; last {"complete":true,"tables":{…}}.
 */
export const BACKUP_FORMAT = 1;

export interface TableSum {
  count: number;
  sha256: string;
}

export interface BackupManifest {
  schema: string[];
  dialect: string;
  createdAt: string;
  tables: Record<string, TableSum>;
}

const SKIP = /^(knex_|sqlite_)/;

/** The tables to copy, from the database itself (never a hard-coded list). */
export async function listTables(db: Knex): Promise<string[]> {
  if (dialectOf(db) === 'sqlite') {
    const rows: { name: string }[] = await db.raw("select name from sqlite_master where type = 'table' order by name");
    return rows.map((r) => r.name).filter((n) => !SKIP.test(n));
  }
  const [rows] = await db.raw(
    "select table_name as name from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE' order by table_name",
  );
  return (rows as { name: string }[]).map((r) => r.name).filter((n) => !SKIP.test(n));
}

async function tableColumns(db: Knex, table: string): Promise<{ columns: string[]; key: string[] }> {
  if (dialectOf(db) === 'sqlite') {
    const cols: { name: string; pk: number }[] = await db.raw(
      'select name, pk from pragma_table_info(?) order by cid',
      [table],
    );
    const key = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    return { columns: cols.map((c) => c.name), key: (key.length ? key : cols).map((c) => c.name) };
  }
  const [cols] = await db.raw(
    'select column_name as name, column_key as k from information_schema.columns where table_schema = database() and table_name = ? order by ordinal_position',
    [table],
  );
  const list = cols as { name: string; k: string }[];
  const [pk] = await db.raw(
    "select column_name as name from information_schema.key_column_usage where table_schema = database() and table_name = ? and constraint_name = 'PRIMARY' order by ordinal_position",
    [table],
  );
  const key = (pk as { name: string }[]).map((r) => r.name);
  return { columns: list.map((c) => c.name), key: key.length ? key : list.map((c) => c.name) };
}

/** A value as both engines give it back: null, or its text (BIGINT strings, 0/1 booleans and numbers alike). */
const norm = (v: unknown): string | null =>
  v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString('base64') : String(v);

class TableHasher {
  private hash = createHash('sha256');
  count = 0;
  add(values: unknown[]): void {
    this.hash.update(`${JSON.stringify(values.map(norm))}\n`, 'utf8');
    this.count += 1;
  }
  sum(): TableSum {
    return { count: this.count, sha256: this.hash.digest('hex') };
  }
}

const CHUNK = 2000;

/** Every row of a table in key order, in pages (keyset on single-column keys, offsets otherwise). */
async function* tableRows(db: Knex, table: string, columns: string[], key: string[]): AsyncGenerator<unknown[]> {
  let offset = 0;
  let after: unknown;
  const single = key.length === 1;
  for (;;) {
    const q = db(table).select(columns).limit(CHUNK);
    for (const k of key) q.orderBy(k);
    if (single && after !== undefined) q.where(key[0]!, '>', after as Knex.Value);
    if (!single) q.offset(offset);
    const rows: Record<string, unknown>[] = await q;
    for (const r of rows) yield columns.map((c) => r[c]);
    if (rows.length < CHUNK) return;
    offset += rows.length;
    if (single) after = rows[rows.length - 1]![key[0]!];
  }
}

async function appliedMigrations(db: Knex): Promise<string[]> {
  const rows: { name: string }[] = await db('knex_migrations').orderBy('id').select('name');
  return rows.map((r) => r.name);
}

/** Counts and checksums of every table as the database holds them now (on `db`, which may be a transaction). */
export async function tableSums(db: Knex): Promise<Record<string, TableSum>> {
  const out: Record<string, TableSum> = {};
  for (const table of await listTables(db)) {
    const { columns, key } = await tableColumns(db, table);
    const h = new TableHasher();
    for await (const row of tableRows(db, table, columns, key)) h.add(row);
    out[table] = h.sum();
  }
  return out;
}

/**
 * Write a backup of the database to `file` (0600: it holds password and token hashes). Admins only. The backup is
 * audited first, in its own transaction, so the file holds the row that says who took it.
 */
export async function backupDatabase(ctx: ServiceContext, file: string): Promise<BackupManifest> {
  requireCapability(ctx.actor, 'users.manage', { zh: '备份数据库', en: 'back up the database' });
  await ctx.db.transaction((trx) =>
    audit({ ...ctx, db: trx }, { action: 'db.backup', entity: 'database', entityId: null, after: { file } }),
  );
  return writeBackup(ctx.db, ctx.clock, file);
}

export async function writeBackup(db: Knex, clock: Clock, file: string): Promise<BackupManifest> {
  const tmp = `${file}.part-${process.pid}`;
  const gzip = zlib.createGzip();
  const out = fs.createWriteStream(tmp, { mode: 0o600 });
  const done = pipeline(gzip, out);
  const write = (value: unknown) =>
    new Promise<void>((resolve) => {
      if (gzip.write(`${JSON.stringify(value)}\n`)) resolve();
      else gzip.once('drain', resolve);
    });
  const dialect = dialectOf(db);
  try {
    const manifest = await db.transaction(
      async (trx) => {
        if (dialect === 'mysql') await trx.raw('select 1'); // the snapshot starts at the first read
        const tables = await listTables(trx);
        const schema = await appliedMigrations(trx);
        const createdAt = clock.now().toISOString();
        await write({ crmBackup: BACKUP_FORMAT, schema, dialect, createdAt, tables });
        const sums: Record<string, TableSum> = {};
        for (const table of tables) {
          const { columns, key } = await tableColumns(trx, table);
          await write({ table, columns });
          const h = new TableHasher();
          for await (const row of tableRows(trx, table, columns, key)) {
            h.add(row);
            await write(row);
          }
          sums[table] = h.sum();
          await write({ end: table, ...sums[table] });
        }
        await write({ complete: true, tables: sums });
        return { schema, dialect, createdAt, tables: sums };
      },
      dialect === 'mysql' ? { isolationLevel: 'repeatable read' } : undefined,
    );
    gzip.end();
    await done;
    fs.renameSync(tmp, file);
    return manifest;
  } catch (err) {
    gzip.destroy();
    await done.catch(() => {});
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

function unreadable(file: string, why: { zh: string; en: string }): CrmError {
  return new CrmError(
    'E1630',
    { zh: `备份文件无法使用：${file}（${why.zh}）`, en: `the backup file cannot be used: ${file} (${why.en})` },
    ExitCode.unreadable,
    {
      zh: '文件可能被截断或不是 crm 备份；换一个备份，或用 "crm db verify-backup" 检查',
      en: 'it may be truncated or not a crm backup; use another one, or check it with "crm db verify-backup"',
    },
  );
}

type Line =
  | { kind: 'header'; schema: string[]; dialect: string; createdAt: string; tables: string[] }
  | { kind: 'table'; table: string; columns: string[] }
  | { kind: 'row'; values: unknown[] }
  | { kind: 'end'; table: string; sum: TableSum }
  | { kind: 'complete'; tables: Record<string, TableSum> };

/** Read a backup line by line; a bad gzip stream, bad JSON or a missing end is E1630 (exit 7). */
async function* readBackup(file: string): AsyncGenerator<Line> {
  let input: fs.ReadStream;
  try {
    fs.accessSync(file, fs.constants.R_OK);
    input = fs.createReadStream(file);
  } catch (err) {
    throw unreadable(file, { zh: (err as Error).message, en: (err as Error).message });
  }
  const gunzip = zlib.createGunzip();
  const lines = readline.createInterface({ input: input.pipe(gunzip), crlfDelay: Number.POSITIVE_INFINITY });
  let failure: Error | null = null;
  input.on('error', (e) => {
    failure = e;
    gunzip.destroy(e);
  });
  let first = true;
  let complete = false;
  try {
    for await (const text of lines) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw unreadable(file, { zh: '内容不是有效的 JSON 行', en: 'a line is not valid JSON' });
      }
      if (first) {
        first = false;
        const h = value as {
          crmBackup?: number;
          schema?: string[];
          dialect?: string;
          createdAt?: string;
          tables?: string[];
        };
        if (h?.crmBackup !== BACKUP_FORMAT || !Array.isArray(h.schema) || !Array.isArray(h.tables))
          throw unreadable(file, { zh: '不是 crm 备份文件', en: 'not a crm backup' });
        yield {
          kind: 'header',
          schema: h.schema,
          dialect: String(h.dialect),
          createdAt: String(h.createdAt),
          tables: h.tables,
        };
        continue;
      }
      if (Array.isArray(value)) yield { kind: 'row', values: value };
      else {
        const o = value as Record<string, unknown>;
        if (typeof o.table === 'string') yield { kind: 'table', table: o.table, columns: o.columns as string[] };
        else if (typeof o.end === 'string')
          yield { kind: 'end', table: o.end, sum: { count: Number(o.count), sha256: String(o.sha256) } };
        else if (o.complete === true) {
          complete = true;
          yield { kind: 'complete', tables: o.tables as Record<string, TableSum> };
        }
      }
    }
  } catch (err) {
    if (err instanceof CrmError) throw err;
    throw unreadable(file, {
      zh: `解压失败：${(err as Error).message}`,
      en: `cannot decompress: ${(err as Error).message}`,
    });
  }
  if (failure)
    throw unreadable(file, { zh: String((failure as Error).message), en: String((failure as Error).message) });
  if (first) throw unreadable(file, { zh: '文件为空', en: 'the file is empty' });
  if (!complete) throw unreadable(file, { zh: '文件不完整（被截断）', en: 'the file is incomplete (truncated)' });
}

export interface VerifiedBackup extends BackupManifest {
  file: string;
}

/** Read a whole backup and check every table's count and checksum against what it records. */
export async function verifyBackupFile(file: string): Promise<VerifiedBackup> {
  let header: Extract<Line, { kind: 'header' }> | null = null;
  let current: { table: string; hasher: TableHasher } | null = null;
  const sums: Record<string, TableSum> = {};
  for await (const line of readBackup(file)) {
    if (line.kind === 'header') header = line;
    else if (line.kind === 'table') current = { table: line.table, hasher: new TableHasher() };
    else if (line.kind === 'row') current?.hasher.add(line.values);
    else if (line.kind === 'end') {
      const got = current!.hasher.sum();
      if (got.count !== line.sum.count || got.sha256 !== line.sum.sha256) throw checksumError(file, line.table);
      sums[line.table] = got;
      current = null;
    }
  }
  return { file, schema: header!.schema, dialect: header!.dialect, createdAt: header!.createdAt, tables: sums };
}

function checksumError(file: string, table: string): CrmError {
  return new CrmError(
    'E1631',
    {
      zh: `备份文件 ${file} 中表 ${table} 的行数或校验和不符（文件被改动或损坏）`,
      en: `table ${table} in ${file} does not match its count or checksum (the file was changed or damaged)`,
    },
    ExitCode.unreadable,
    { zh: '换一个备份', en: 'use another backup' },
  );
}

export interface RestoreResult {
  file: string;
  tables: Record<string, TableSum>;
  migratedAfter: string[];
}

/** Whether the database holds anything a restore would overwrite (any user). */
export async function databaseIsEmpty(db: Knex): Promise<boolean> {
  if (!(await db.schema.hasTable('users'))) return true;
  const row = await db('users').count({ n: '*' }).first();
  return Number(row?.n ?? 0) === 0;
}

/**
 * Restore a backup into `db`: migrate it to the backup's schema, refuse a database that holds data (E1632, exit 5)
 * unless `force` (then every table is emptied), load every table in one transaction, check each table's count and
 * checksum against the backup before committing, then migrate to this version's latest. A backup from a newer
 * schema is refused (E1633, exit 7). The file is checked completely before anything is written.
 */
export async function restoreDatabase(
  db: Knex,
  file: string,
  opts: { force?: boolean; clock: Clock; actor?: Actor; warn?: (msg: string) => void },
): Promise<RestoreResult> {
  const checked = await verifyBackupFile(file);
  const unknown = checked.schema.filter((n) => !MIGRATION_NAMES.includes(n));
  if (unknown.length) {
    throw new CrmError(
      'E1633',
      {
        zh: `备份来自更新的版本（迁移 ${unknown.join(', ')} 本版本没有）`,
        en: `the backup comes from a newer version (migrations ${unknown.join(', ')} are unknown here)`,
      },
      ExitCode.unreadable,
      { zh: '用生成该备份的版本（或更新的版本）恢复', en: 'restore it with the version that made it, or a newer one' },
    );
  }
  if (!checked.schema.every((name, i) => MIGRATION_NAMES[i] === name)) {
    throw new CrmError(
      'E1634',
      {
        zh: `备份的迁移顺序与本版本不同（${checked.schema.join(', ')}）`,
        en: `the backup's migrations are not this version's, in order (${checked.schema.join(', ')})`,
      },
      ExitCode.unreadable,
      { zh: '用生成该备份的版本恢复，再升级', en: 'restore it with the version that made it, then upgrade' },
    );
  }
  if (!(await databaseIsEmpty(db)) && !opts.force) {
    throw new CrmError(
      'E1632',
      { zh: '目标数据库不是空的', en: 'the target database is not empty' },
      ExitCode.conflict,
      {
        zh: '恢复到一个新的空数据库；确要覆盖其全部数据，加 --force（先备份它）',
        en: 'restore into a new, empty database; to overwrite all of its data add --force (back it up first)',
      },
    );
  }
  // Bring the target to exactly the backup's schema, so its columns are the backup's.
  const config = { migrationSource, tableName: 'knex_migrations' };
  const applied = async () =>
    (await db.schema.hasTable('knex_migrations')) ? (await appliedMigrations(db)).length : 0;
  while ((await applied()) < checked.schema.length) await db.migrate.up(config);
  if ((await applied()) > checked.schema.length) {
    throw new CrmError(
      'E1634',
      {
        zh: '目标数据库的结构比备份新，无法原样恢复',
        en: "the target database's schema is newer than the backup's; it cannot be restored as it was",
      },
      ExitCode.conflict,
      {
        zh: '恢复到一个新的空数据库（恢复后会自动升级）',
        en: 'restore into a new, empty database (it is upgraded afterwards)',
      },
    );
  }
  const dialect = dialectOf(db);
  const tables = await listTables(db);
  const missing = Object.keys(checked.tables).filter((t) => !tables.includes(t));
  if (missing.length)
    throw unreadable(file, { zh: `未知的表 ${missing.join(', ')}`, en: `unknown tables ${missing.join(', ')}` });
  if (dialect === 'sqlite') await db.raw('PRAGMA foreign_keys = OFF');
  try {
    await db.transaction(async (trx) => {
      if (dialect === 'mysql') await trx.raw('SET FOREIGN_KEY_CHECKS = 0');
      for (const t of tables) await trx(t).delete();
      let table = '';
      let columns: string[] = [];
      let batch: Record<string, unknown>[] = [];
      const flush = async () => {
        if (!batch.length) return;
        // SQLite: at most 500 terms in the compound SELECT knex builds; both: well under the placeholder limits.
        const size = Math.min(400, Math.max(1, Math.floor(20000 / Math.max(1, columns.length))));
        try {
          for (let i = 0; i < batch.length; i += size) await trx(table).insert(batch.slice(i, i + size));
        } catch (err) {
          // The driver's message repeats the statement with its values (password hashes among them): only its reason.
          const reason =
            String((err as Error).message)
              .split(' - ')
              .pop() ?? '';
          throw new CrmError(
            'E1635',
            {
              zh: `恢复表 ${table} 失败：${reason}；已全部撤销`,
              en: `restoring table ${table} failed: ${reason}; nothing was kept`,
            },
            ExitCode.error,
            { zh: '请把此错误与备份文件报告给开发团队', en: 'report this error and the backup file' },
          );
        }
        batch = [];
      };
      for await (const line of readBackup(file)) {
        if (line.kind === 'table') {
          table = line.table;
          columns = line.columns;
        } else if (line.kind === 'row') {
          const row: Record<string, unknown> = {};
          columns.forEach((c, i) => {
            row[c] = line.values[i];
          });
          batch.push(row);
          if (batch.length >= 2000) await flush();
        } else if (line.kind === 'end') await flush();
      }
      if (dialect === 'mysql') await trx.raw('SET FOREIGN_KEY_CHECKS = 1');
      const now = await tableSums(trx);
      for (const [t, want] of Object.entries(checked.tables)) {
        const got = now[t];
        if (!got || got.count !== want.count || got.sha256 !== want.sha256) {
          throw new CrmError(
            'E1635',
            {
              zh: `恢复后表 ${t} 与备份不符（行数 ${got?.count ?? 0}，备份 ${want.count}）；已全部撤销`,
              en: `after the restore, table ${t} does not match the backup (${got?.count ?? 0} rows, backup ${want.count}); nothing was kept`,
            },
            ExitCode.error,
            { zh: '请把此错误与备份文件报告给开发团队', en: 'report this error and the backup file' },
          );
        }
      }
    });
  } finally {
    if (dialect === 'sqlite') await db.raw('PRAGMA foreign_keys = ON');
  }
  if (dialect === 'sqlite') {
    const problems = await db.raw('PRAGMA foreign_key_check');
    if ((problems as unknown[]).length) opts.warn?.(`foreign key check: ${(problems as unknown[]).length} problems`);
  }
  const migratedAfter = await migrateLatest(db, opts.warn);
  await db.transaction((trx) =>
    audit(
      { db: trx, clock: opts.clock, actor: opts.actor ?? { id: 0, name: 'system', role: 'admin', supervisorId: null } },
      {
        action: 'db.restore',
        entity: 'database',
        entityId: null,
        after: { file, from: checked.dialect, createdAt: checked.createdAt, force: Boolean(opts.force), migratedAfter },
      },
    ),
  );
  return { file, tables: checked.tables, migratedAfter };
}
