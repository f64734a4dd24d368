import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyChain } from '../../src/db/audit-chain.js';
import { audit } from '../../src/services/audit.js';
import { inTransaction } from '../../src/services/context.js';
import { isolatedEnv, ROOT, runCli, runCliAsync, TEST_BIN } from '../support/cli.js';
import { describeEachDb, freshDatabaseUrl } from '../support/db.js';

/**
 * The audit log's hash chain: concurrent writers (transactions in one process, and separate `crm` processes) keep
 * one unbroken chain; a row edited, deleted or cut from the end by hand in SQL is named by `crm audit verify`.
 */
let home = '';
beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-chain-'));
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describeEachDb('audit chain', (h) => {
  const env = () => isolatedEnv(home, { CRM_DATABASE_URL: h.url() });
  const verify = () => runCli(['audit', 'verify', '--json'], env());
  const count = async () => Number((await h.db()('audit_log').count({ n: '*' }).first())?.n);

  it('stays one chain with many transactions writing at once', async () => {
    const ctx = await h.as();
    const before = await count();
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        inTransaction(ctx, async (tx) => {
          await audit(tx, { action: 'test.concurrent', entity: 'test', entityId: i, after: { i } });
          await audit(tx, { action: 'test.concurrent', entity: 'test', entityId: i, after: { i, second: true } });
        }),
      ),
    );
    expect(await count()).toBe(before + 48);
    expect((await verifyChain(h.db())).problem).toBeNull();
  });

  it('stays one chain with two crm imports writing at once', async () => {
    // First a table big enough that the two imports below go in chunks (a first import into an empty table is one
    // bulk-load transaction on SQLite, and two of those at once are not this test's subject).
    const seed = path.join(home, `customers-${h.name}-seed.csv`);
    fs.writeFileSync(
      seed,
      ['code,name', ...Array.from({ length: 400 }, (_, i) => `s${h.name}${i},种子单位${i}`)].join('\n'),
    );
    expect(runCli(['customers', 'import', seed], env()).code).toBe(0);
    const before = await count();
    const files = ['a', 'b'].map((k) => {
      const csv = path.join(home, `customers-${h.name}-${k}.csv`);
      fs.writeFileSync(
        csv,
        ['code,name', ...Array.from({ length: 300 }, (_, i) => `${k}${h.name}${i},单位${k}${i}`)].join('\n'),
      );
      return csv;
    });
    const runs = await Promise.all(
      files.map((csv) =>
        runCliAsync(['customers', 'import', csv], { ...env(), CRM_TEST_IMPORT_CHUNK_ROWS: '50' }, ROOT, TEST_BIN),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(await count()).toBeGreaterThanOrEqual(before + 2);
    const r = verify();
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, checked: await count() });
  });

  it('names a row edited by hand in SQL (exit 1), and passes again once it is put back', async () => {
    const row = await h.db()('audit_log').where({ action: 'test.concurrent' }).orderBy('id').offset(5).first();
    await h.db()('audit_log').where({ id: row.id }).update({ after_json: '{"i":999}' });
    const r = runCli(['audit', 'verify'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error E1620: audit row ${row.id} fails verification`);
    expect(r.stderr).toContain('was changed');
    const fromLater = runCli(['audit', 'verify', '--from', String(Number(row.id) + 1)], env());
    expect(fromLater.code).toBe(0);
    await h.db()('audit_log').where({ id: row.id }).update({ after_json: row.after_json });
    expect(verify().code).toBe(0);
  });

  it('names the row after one deleted, and a cut tail', async () => {
    const rows = await h.db()('audit_log').where({ action: 'test.concurrent' }).orderBy('id').limit(3);
    const victim = rows[1];
    await h.db()('audit_log').where({ id: victim.id }).delete();
    const r = runCli(['audit', 'verify'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`audit row ${rows[2].id} fails verification`);
    expect(r.stderr).toContain('does not link');
    await h.db()('audit_log').insert(victim);
    expect(verify().code).toBe(0);
    const last = await h.db()('audit_log').orderBy('id', 'desc').first();
    await h.db()('audit_log').where({ id: last.id }).delete();
    const cut = runCli(['audit', 'verify'], env());
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain('rows were deleted from the end');
    await h.db()('audit_log').insert(last);
    expect(verify().code).toBe(0);
  });

  it('is read by admins and auditors only', async () => {
    await h.addUser('sam', 'sales');
    const r = runCli(['--user', 'sam', 'audit', 'verify'], env());
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('E4001');
  });

  it('archives old rows to a file that stays verifiable; the rest still verifies, and survives a copy', async () => {
    const archive = path.join(home, `archive-${h.name}.jsonl.gz`);
    const total = await count();
    const r = runCli(['audit', 'archive', '--before', '2026-11-24', '--out', archive, '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ count: total });
    expect(fs.statSync(archive).mode & 0o777).toBe(0o600);
    expect(await count()).toBe(1); // the archive's own row
    expect((await h.db()('audit_log').first()).action).toBe('audit.archive');
    expect(verify().code).toBe(0);
    expect(runCli(['users', 'add', 'after-archive', '--role', 'sales'], env()).code).toBe(0);
    expect(verify().code).toBe(0);
    const file = runCli(['audit', 'verify', '--archive', archive, '--json'], env());
    expect(file.code, file.stderr).toBe(0);
    expect(JSON.parse(file.stdout)).toMatchObject({ ok: true, count: total });
    // A row changed inside the archive is found.
    const lines = zlib.gunzipSync(fs.readFileSync(archive)).toString('utf8').split('\n');
    lines[3] = lines[3]!.replace('"action":"', '"action":"x');
    const tampered = path.join(home, `archive-${h.name}-tampered.jsonl.gz`);
    fs.writeFileSync(tampered, zlib.gzipSync(lines.join('\n')));
    const bad = runCli(['audit', 'verify', '--archive', tampered], env());
    expect(bad.code).toBe(7);
    expect(bad.stderr).toContain('E1623');
    // The chain's base travels with a backup.
    const [target, cleanup] = await freshDatabaseUrl(h.name);
    try {
      expect(runCli(['db', 'copy', '--to', target], env()).code).toBe(0);
      expect(runCli(['audit', 'verify'], isolatedEnv(home, { CRM_DATABASE_URL: target })).code).toBe(0);
    } finally {
      await cleanup();
    }
  });
});
