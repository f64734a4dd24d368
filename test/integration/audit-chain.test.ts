import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyChain } from '../../src/db/audit-chain.js';
import { audit } from '../../src/services/audit.js';
import { inTransaction } from '../../src/services/context.js';
import { isolatedEnv, ROOT, runCli, runCliAsync, TEST_BIN } from '../support/cli.js';
import { describeEachDb } from '../support/db.js';

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
});
