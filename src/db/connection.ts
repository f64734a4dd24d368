import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { CrmError, ExitCode } from '../domain/errors.js';
import { loadKnex } from './knex-loader.js';

export type Dialect = 'sqlite' | 'mysql';

export type DatabaseTarget =
  | { dialect: 'sqlite'; filename: string }
  | { dialect: 'mysql'; host: string; port: number; user: string; password: string; database: string };

/**
 * `sqlite:PATH`, `sqlite://PATH`, a bare path, or `mysql://user:pass@host:port/db`
 * (also `mariadb://`; MySQL-compatible distributed databases such as TiDB use the same URL).
 */
export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseTarget {
  const trimmed = url.trim();
  if (!trimmed) {
    throw new CrmError('E1301', { zh: '数据库地址为空', en: 'empty database URL' }, ExitCode.usage);
  }
  const lower = trimmed.toLowerCase();
  if (lower.startsWith('mysql://') || lower.startsWith('mariadb://')) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed.replace(/^mariadb:/i, 'mysql:'));
    } catch {
      throw new CrmError(
        'E1301',
        { zh: `数据库地址无效：${redactUrl(trimmed)}`, en: `invalid database URL: ${redactUrl(trimmed)}` },
        ExitCode.usage,
      );
    }
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (!database) {
      throw new CrmError(
        'E1301',
        {
          zh: `数据库地址缺少库名：${redactUrl(trimmed)}`,
          en: `database URL names no database: ${redactUrl(trimmed)}`,
        },
        ExitCode.usage,
        { zh: '例如 mysql://root@127.0.0.1:3306/crm', en: 'for example mysql://root@127.0.0.1:3306/crm' },
      );
    }
    return {
      dialect: 'mysql',
      host: parsed.hostname || '127.0.0.1',
      port: parsed.port ? Number(parsed.port) : 3306,
      user: decodeURIComponent(parsed.username || 'root'),
      password: decodeURIComponent(parsed.password),
      database,
    };
  }
  let file = trimmed;
  if (lower.startsWith('sqlite://')) file = trimmed.slice('sqlite://'.length);
  else if (lower.startsWith('sqlite:')) file = trimmed.slice('sqlite:'.length);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new CrmError(
      'E1301',
      { zh: `不支持的数据库类型：${redactUrl(trimmed)}`, en: `unsupported database URL: ${redactUrl(trimmed)}` },
      ExitCode.usage,
      {
        zh: '支持 sqlite:路径、文件路径、mysql://用户:密码@主机:端口/库',
        en: 'use sqlite:PATH, a file path, or mysql://user:pass@host:port/db',
      },
    );
  }
  return { dialect: 'sqlite', filename: path.resolve(cwd, file) };
}

/** Never print a password. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

export function dialectOf(db: Knex): Dialect {
  const client = String(db.client.config.client);
  return client.includes('mysql') ? 'mysql' : 'sqlite';
}

/**
 * Open the database. Knex and the driver are loaded here, lazily (see knex-loader.ts), so commands
 * that need no database (`--version`, `--help`) never load a driver.
 */
export async function openDatabase(url: string, cwd = process.cwd()): Promise<Knex> {
  const target = parseDatabaseUrl(url, cwd);
  const knex = loadKnex();
  if (target.dialect === 'sqlite') {
    fs.mkdirSync(path.dirname(target.filename), { recursive: true });
    return knex({
      client: 'better-sqlite3',
      connection: { filename: target.filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        // This is a ledger: durable commits, enforced relations, and waiting (not failing) on a busy file.
        afterCreate(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
          try {
            conn.pragma('journal_mode = WAL');
            conn.pragma('foreign_keys = ON');
            conn.pragma('busy_timeout = 10000');
            conn.pragma('synchronous = FULL');
            done(null, conn);
          } catch (err) {
            done(err as Error, conn);
          }
        },
      },
      // A query on `db` while a transaction holds the single connection would wait forever; fail fast instead.
      acquireConnectionTimeout: 20_000,
    });
  }
  return knex({
    client: 'mysql2',
    connection: {
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database: target.database,
      charset: 'utf8mb4',
      // BIGINT and SUM() come back as exact strings; never decimalNumbers (it rounds).
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      timezone: 'Z',
    },
    pool: { min: 0, max: 8, afterCreate: causalReadsOnGalera },
    acquireConnectionTimeout: 20_000,
  });
}

type MysqlConnection = { query(sql: string, cb: (err: Error | null, rows?: unknown) => void): void };

/**
 * On a Galera cluster a node may not yet have applied what another node committed: an order created on node 1
 * and paid on node 2 a moment later would be "no such order" there, and an UPDATE meant to conflict could touch
 * no row. So every connection to a Galera node waits for causality before reads and before UPDATE/DELETE
 * (wsrep_sync_wait = 3: README "Running on a cluster"). Elsewhere (one server, MySQL without wsrep) nothing
 * changes: the probe fails or says wsrep is off.
 */
function causalReadsOnGalera(conn: MysqlConnection, done: (err: Error | null, conn: unknown) => void): void {
  conn.query('SELECT @@wsrep_on AS wsrep', (probeErr, rows) => {
    const on = !probeErr && Number((rows as { wsrep?: unknown }[] | undefined)?.[0]?.wsrep) === 1;
    if (!on) return done(null, conn);
    conn.query('SET SESSION wsrep_sync_wait = 3', (err) => done(err, conn));
  });
}

/** Create a MySQL database if missing (tests, `crm init`). Connects without a default database. */
export async function ensureMysqlDatabase(url: string): Promise<void> {
  const target = parseDatabaseUrl(url);
  if (target.dialect !== 'mysql') return;
  const knex = loadKnex();
  const admin = knex({
    client: 'mysql2',
    connection: {
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      charset: 'utf8mb4',
    },
    pool: { min: 0, max: 1 },
  });
  try {
    await admin.raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', [target.database]);
  } finally {
    await admin.destroy();
  }
}
