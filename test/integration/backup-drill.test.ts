import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import type { ServiceContext } from '../../src/services/context.js';
import { addVoucherRange, cutoffDay, openDay, postTransactions } from '../../src/services/settlement/index.js';
import { isolatedEnv, runCli, runCliAsync } from '../support/cli.js';
import { describeEachDb, freshDatabaseUrl } from '../support/db.js';
import { addCustomer, txn } from './settlement-support.js';

/**
 * The restore drill for the records that must never be lost: back up while a clear is running, restore into a
 * fresh database, and the restored database keeps the settlement invariants (each transaction cleared at most once,
 * into a recorded file whose totals match its transactions) and every recorded clearing file passes
 * `crm settlement verify` against it.
 */
let home = '';
beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-drill-'));
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describeEachDb('backup drill: during a clear', (h) => {
  let ctx: ServiceContext;
  let out: string;
  const env = (url = h.url()) => isolatedEnv(home, { CRM_DATABASE_URL: url, CRM_NOW: '2026-11-30T16:00:00+08:00' });
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  beforeAll(async () => {
    h.clock.set('2026-11-30T16:00:00+08:00');
    ctx = await h.as('admin');
    out = fs.mkdtempSync(path.join(home, `out-${h.name}-`));
    const top = await addCustomer(h.db(), '310000', '上海市财政局');
    const sub = await addCustomer(h.db(), '310101', '上海市黄浦区教育局', top);
    const other = await addCustomer(h.db(), '320000', '江苏省财政厅');
    await addVoucherRange(ctx, { kind: 'payment', from: '7001', to: '7020' });
    await addVoucherRange(ctx, { kind: 'refund', from: '8001', to: '8020' });
    for (const d of ['2026-11-20', '2026-11-23']) {
      await openDay(ctx, { date: d });
      await postTransactions(
        ctx,
        Array.from({ length: 40 }, (_, i) =>
          txn([sub, top, other][i % 3]!, `${d} 09:${String(i).padStart(2, '0')}`, 1_000 + i, {
            ref: `${d}-${i}`,
            ...(i % 7 === 0 ? { kind: 'refund' as const } : {}),
          }),
        ),
      );
      await cutoffDay(ctx, { date: d });
    }
  });

  it('a backup taken while a clear runs restores to a database whose settlement records hold together', async () => {
    const b = path.join(home, `${h.name}-during-clear.gz`);
    const clearing = runCliAsync(['settlement', 'clear', '--date', '2026-11-23', '--out-dir', out], env());
    await new Promise((r) => setTimeout(r, 150));
    const backup = await runCliAsync(['db', 'backup', '--out', b], env());
    expect(backup.code, backup.stderr).toBe(0);
    expect((await clearing).code).toBe(0);
    const [target, cleanup] = await freshDatabaseUrl(h.name);
    cleanups.push(cleanup);
    const restored = runCli(['db', 'restore', b], env(target));
    expect(restored.code, restored.stderr).toBe(0);
    expect(runCli(['audit', 'verify'], env(target)).code).toBe(0);
    // Whichever side of the clear's commit the snapshot fell on, the restored database can finish the day: a clear
    // there either completes it (0) or says it is done (5), and then the day's files are recorded.
    const out2 = fs.mkdtempSync(path.join(home, `out2-${h.name}-`));
    const again = runCli(['settlement', 'clear', '--date', '2026-11-23', '--out-dir', out2], env(target));
    expect([0, 5], again.stderr).toContain(again.code);
    const db = await openDatabase(target);
    try {
      expect(Number((await db('clearing_files').count({ n: '*' }).first())?.n)).toBeGreaterThan(0);
      const files: { id: number; path: string; txn_count: number; total_fen: string | number; kind: string }[] =
        await db('clearing_files').select('id', 'path', 'txn_count', 'total_fen', 'kind');
      const cleared = await db('settlement_transactions').whereNotNull('clearing_file_id').select('clearing_file_id');
      // Every cleared transaction points at a file the database records, and each file's count matches.
      for (const f of files) {
        expect(
          cleared.filter((t: { clearing_file_id: number }) => Number(t.clearing_file_id) === Number(f.id)),
        ).toHaveLength(Number(f.txn_count));
        const v = runCli(['settlement', 'verify', f.path, '--json'], env(target));
        expect(v.code, v.stdout + v.stderr).toBe(0);
        expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, recorded: true });
      }
      expect(
        cleared.every((t: { clearing_file_id: number }) =>
          files.some((f) => Number(f.id) === Number(t.clearing_file_id)),
        ),
      ).toBe(true);
      // The clear is all or nothing in the snapshot: either the day is cleared (its files) or nothing of it is.
      const day = await db('settlement_transactions').where({ clearing_date: '2026-11-23' }).count({ n: '*' }).first();
      expect(Number(day?.n) === 0 || files.length > 0).toBe(true);
      const vouchers = await db('vouchers').where({ status: 'used' }).select('number');
      expect(new Set(vouchers.map((v: { number: string }) => v.number)).size).toBe(vouchers.length);
    } finally {
      await db.destroy();
    }
  });
});
