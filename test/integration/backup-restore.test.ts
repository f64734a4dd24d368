import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { type BackupManifest, tableSums } from '../../src/services/backup/index.js';
import { type CliResult, isolatedEnv, ROOT, runCli, runCliAsync, TEST_BIN } from '../support/cli.js';
import { describeEachDb, freshDatabaseUrl, mysqlAvailable } from '../support/db.js';

/**
 * Backups that restore: taken while an import runs, restored on the same engine and across engines (SQLite →
 * MariaDB → SQLite with identical counts and checksums), the audit chain still verifying; and what is refused with
 * nothing written: a truncated or altered file, one from a newer schema, a target that holds data.
 */
let home = '';
beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-backup-'));
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const code = (r: CliResult) => /error (E\d{4})/.exec(r.stderr)?.[1];
/** The tables a restore or a backup itself adds a row to (its audit row, the chain head): compared apart. */
const AUDIT = ['audit_log', 'audit_chain'];
const withoutAudit = (t: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(t).filter(([k]) => !AUDIT.includes(k)));

describeEachDb('backup and restore', (h) => {
  const env = (url = h.url(), extra: Record<string, string> = {}) =>
    isolatedEnv(home, { CRM_DATABASE_URL: url, ...extra });
  const file = (name: string) => path.join(home, `${h.name}-${name}`);
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });
  const fresh = async (engine: 'sqlite' | 'mysql' = h.name) => {
    const [url, cleanup] = await freshDatabaseUrl(engine);
    cleanups.push(cleanup);
    return url;
  };
  const manifestOf = (f: string): BackupManifest =>
    JSON.parse(runCli(['db', 'verify-backup', f, '--json'], env()).stdout);

  beforeAll(async () => {
    await h.addUser('bob', 'sales');
    const csv = path.join(home, `${h.name}-customers.csv`);
    fs.writeFileSync(
      csv,
      ['code,name,owner,grade', ...Array.from({ length: 400 }, (_, i) => `K${i},单位${i},bob,${'ABCDE'[i % 5]}`)].join(
        '\n',
      ),
    );
    expect(runCli(['customers', 'import', csv], env()).code).toBe(0);
  });

  it('backs up (0600, admins only) and restores into an empty database with equal counts and checksums', async () => {
    const b = file('one.gz');
    const r = runCli(['db', 'backup', '--out', b, '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(fs.statSync(b).mode & 0o777).toBe(0o600);
    const made: BackupManifest = JSON.parse(r.stdout);
    expect(made.tables.customers?.count).toBe(400);
    expect(made.tables.users?.count).toBe(2);
    expect(made.tables).toHaveProperty('auth_tokens');
    const target = await fresh();
    const restored = runCli(['db', 'restore', b, '--json'], env(target));
    expect(restored.code, restored.stderr).toBe(0);
    const db = await openDatabase(target);
    try {
      const now = await tableSums(db);
      expect(withoutAudit(now)).toEqual(withoutAudit(made.tables));
      expect(now.audit_log?.count).toBe((made.tables.audit_log?.count ?? 0) + 1); // the restore's own row
    } finally {
      await db.destroy();
    }
    expect(runCli(['audit', 'verify'], env(target)).code).toBe(0);
    expect(runCli(['--user', 'bob', 'customers', 'show', 'K399'], env(target)).code).toBe(0);
    await h.addUser('nina', 'sales');
    const denied = runCli(['--user', 'nina', 'db', 'backup', '--out', file('nina.gz')], env());
    expect(denied.code).toBe(4);
    expect(fs.existsSync(file('nina.gz'))).toBe(false);
  });

  it('moves SQLite → MariaDB → SQLite with identical counts and checksums (MariaDB when CRM_TEST_MYSQL_URL is set)', async () => {
    const other = h.name === 'sqlite' && mysqlAvailable ? 'mysql' : h.name === 'mysql' ? 'sqlite' : 'sqlite';
    const there = await fresh(other);
    const back = await fresh(h.name);
    expect(runCli(['db', 'copy', '--to', there], env()).code).toBe(0);
    expect(runCli(['db', 'copy', '--to', back], env(there)).code).toBe(0);
    const a = file('a.gz');
    const b = file('b.gz');
    expect(runCli(['db', 'backup', '--out', a], env()).code).toBe(0);
    expect(runCli(['db', 'backup', '--out', b], env(back)).code).toBe(0);
    const [ma, mb] = [manifestOf(a), manifestOf(b)];
    expect(ma.dialect).toBe(h.name);
    expect(withoutAudit(mb.tables)).toEqual(withoutAudit(ma.tables));
    expect(Object.keys(mb.tables).sort()).toEqual(Object.keys(ma.tables).sort());
    expect(runCli(['audit', 'verify'], env(there)).code).toBe(0);
    expect(runCli(['audit', 'verify'], env(back)).code).toBe(0);
  });

  it('takes a consistent backup while an import is running', async () => {
    const csv = path.join(home, `${h.name}-more.csv`);
    fs.writeFileSync(csv, ['code,name', ...Array.from({ length: 3000 }, (_, i) => `M${i},更多单位${i}`)].join('\n'));
    const b = file('during.gz');
    const importing = runCliAsync(
      ['customers', 'import', csv],
      env(h.url(), { CRM_TEST_IMPORT_CHUNK_ROWS: '100' }),
      ROOT,
      TEST_BIN,
    );
    await new Promise((r) => setTimeout(r, 300));
    const backup = await runCliAsync(['db', 'backup', '--out', b], env());
    expect(backup.code, backup.stderr).toBe(0);
    expect((await importing).code).toBe(0);
    const target = await fresh();
    const restored = runCli(['db', 'restore', b], env(target));
    expect(restored.code, restored.stderr).toBe(0);
    expect(runCli(['audit', 'verify'], env(target)).code).toBe(0);
    const db = await openDatabase(target);
    try {
      // Whatever the snapshot caught, the import's committed chunks and its checkpoint agree.
      const customers = Number((await db('customers').where('code', 'like', 'M%').count({ n: '*' }).first())?.n);
      const batch = await db('import_batches').where('file_name', 'like', '%-more.csv').first('inserted', 'status');
      expect(customers).toBe(batch ? Number(batch.inserted) : 0);
    } finally {
      await db.destroy();
    }
  });

  it('refuses a restore into a database that holds data (exit 5), writing nothing', async () => {
    const b = file('one.gz');
    const before = manifestOf(b);
    const r = runCli(['db', 'restore', b], env());
    expect(r.code).toBe(5);
    expect(code(r)).toBe('E1632');
    const db = h.db();
    expect(Number((await db('customers').count({ n: '*' }).first())?.n)).toBeGreaterThan(
      before.tables.customers!.count,
    );
  });

  it('refuses a truncated file, an altered one and one from a newer schema (exit 7), writing nothing', async () => {
    const b = file('one.gz');
    const bytes = fs.readFileSync(b);
    const truncated = file('truncated.gz');
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const lines = zlib.gunzipSync(bytes).toString('utf8').split('\n');
    const altered = file('altered.gz');
    const i = lines.findIndex((l) => l.includes('"K7"'));
    fs.writeFileSync(
      altered,
      zlib.gzipSync(lines.map((l, n) => (n === i ? l.replace('单位7', '单位X') : l)).join('\n')),
    );
    const newer = file('newer.gz');
    const header = JSON.parse(lines[0]!);
    header.schema.push('9999_from_the_future');
    fs.writeFileSync(newer, zlib.gzipSync([JSON.stringify(header), ...lines.slice(1)].join('\n')));
    const missing = file('no-such.gz');
    for (const [f, want] of [
      [truncated, 'E1630'],
      [altered, 'E1631'],
      [newer, 'E1633'],
      [missing, 'E1630'],
    ] as const) {
      const target = await fresh();
      const r = runCli(['db', 'restore', f], env(target));
      expect(r.code, `${f}: ${r.stderr}`).toBe(7);
      expect(code(r)).toBe(want);
      const db = await openDatabase(target);
      try {
        expect(await db.schema.hasTable('users')).toBe(false);
      } finally {
        await db.destroy();
      }
    }
    expect(runCli(['db', 'verify-backup', truncated], env()).code).toBe(7);
    expect(runCli(['db', 'verify-backup', altered], env()).code).toBe(7);
    expect(runCli(['db', 'verify-backup', b], env()).code).toBe(0);
  });

  it('--force overwrites a database that holds data, for one of its admins only', async () => {
    const b = file('one.gz');
    const made = manifestOf(b);
    const denied = runCli(['--user', 'bob', 'db', 'restore', b, '--force'], env());
    expect(denied.code).toBe(4);
    expect(code(denied)).toBe('E4001');
    expect(Number((await h.db()('customers').count({ n: '*' }).first())?.n)).toBeGreaterThan(
      made.tables.customers!.count,
    );
    const r = runCli(['db', 'restore', b, '--force'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(withoutAudit(await tableSums(h.db()))).toEqual(withoutAudit(made.tables));
    expect(runCli(['audit', 'verify'], env()).code).toBe(0);
  });
});
