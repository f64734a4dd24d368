import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import type { ServiceContext } from '../../src/services/context.js';
import {
  addVoucherRange,
  classify,
  clearDay,
  cutoffDay,
  dayStatus,
  generateSummary,
  openDay,
  postTransaction,
  previousWorkingDay,
  runDay,
  showSummary,
  verifyFile,
} from '../../src/services/settlement/index.js';
import { describeEachDb } from '../support/db.js';
import { addCustomer, txn } from './settlement-support.js';

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** The seed procedure (000: 授权支付业务清算流程) over several days, run step by step as the operator would. */
describeEachDb('settlement: the operator days', (h) => {
  let ctx: ServiceContext;
  let unitA: number;
  let unitB: number;
  let out: string;

  beforeAll(async () => {
    ctx = await h.as('admin');
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-days-'));
    tempDirs.push(out);
    const a = await addCustomer(h.db(), '440000', '广东省财政厅');
    unitA = await addCustomer(h.db(), '440100', '广州市财政局', a);
    unitB = await addCustomer(h.db(), '450000', '广西壮族自治区财政厅');
    await addVoucherRange(ctx, { kind: 'payment', from: '0100', to: '0199' });
    await addVoucherRange(ctx, { kind: 'refund', from: '0500', to: '0599' });
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  /** One working day D as in the seed: open, morning lists for P, cutoff, clear, lists. */
  async function operatorDay(d: string, posts: () => Promise<void>) {
    const p = await previousWorkingDay(ctx, d);
    h.clock.set(`${d}T08:30:00+08:00`);
    await openDay(ctx, { date: d });
    const morning = await generateSummary(ctx, { date: p, status: 'pending' });
    await posts();
    h.clock.set(`${d}T15:30:00+08:00`);
    await cutoffDay(ctx, { date: d });
    h.clock.set(`${d}T16:00:00+08:00`);
    const cleared = await clearDay(ctx, { date: d, outDir: out });
    const clearedList = await generateSummary(ctx, { date: d, status: 'cleared' });
    await generateSummary(ctx, { date: p, status: 'pending' });
    return { p, morning, cleared, clearedList };
  }

  it('three working days across National Day 2026 and a weekend, with the 15:29:59/15:30:00/15:30:01 edge', async () => {
    // Wed 09-30 is the last working day before the holiday (10-01..10-07); Sat 10-10 is a make-up working day.
    await openDay(ctx, { date: '2026-09-29' });
    await cutoffDay(ctx, { date: '2026-09-29' });
    const d0 = await operatorDay('2026-09-30', async () => {
      await postTransaction(ctx, txn(unitA, '2026-09-30 15:29:59', 100, { ref: 'N-1' }));
      await postTransaction(ctx, txn(unitA, '2026-09-30 15:30:00', 200, { ref: 'N-2' }));
      await postTransaction(ctx, txn(unitB, '2026-09-30 15:30:01', 400, { ref: 'N-3' }));
      await postTransaction(ctx, txn(unitB, '2026-10-03 11:00:00', 800, { ref: 'N-4', kind: 'refund' })); // holiday
    });
    expect(d0.p).toBe('2026-09-29');
    expect(d0.cleared.files).toEqual([]); // nothing pending on 09-29
    expect(d0.cleared.skipped.map((s) => s.kind)).toEqual(['qs', 'tk']);
    // Once the evening's lists exist the day is done: no step left to suggest.
    const done = await dayStatus(ctx, '2026-09-30');
    expect([done.nextStep, done.nextNote?.en]).toEqual([null, '2026-09-30 is done']);
    const holiday = await dayStatus(ctx, '2026-09-13'); // a Sunday
    expect(holiday.nextNote?.en).toBe('2026-09-13 is not a working day (weekend); the next working day is 2026-09-14');

    const d1 = await operatorDay('2026-10-08', async () => {
      await postTransaction(ctx, txn(unitA, '2026-10-08 09:00:00', 1600, { ref: 'N-5' }));
    });
    expect(d1.p).toBe('2026-09-30');
    expect(d1.morning.rows.map((r) => [r.unitCode, r.count, r.totalFen])).toEqual([['440000', 2, 300]]);
    expect(d1.cleared.files.map((f) => [f.name, f.count, f.total])).toEqual([['qs10082026000001.txt', 2, '3.00']]);

    const d2 = await operatorDay('2026-10-09', async () => {
      await postTransaction(ctx, txn(unitB, '2026-10-09 16:00:00', 3200, { ref: 'N-6' })); // after cutoff → Sat 10-10
    });
    expect(d2.p).toBe('2026-10-08');
    // 10-08 holds N-3 (15:30:01 on 09-30), N-4 (holiday) and N-5.
    expect(d2.cleared.cleared).toBe(3);
    expect(d2.cleared.files.map((f) => [f.kind, f.count, f.total])).toEqual([
      ['qs', 2, '20.00'],
      ['tk', 1, '8.00'],
    ]);

    const d3 = await operatorDay('2026-10-10', async () => {});
    expect(d3.p).toBe('2026-10-09');
    expect(d3.cleared.cleared).toBe(0);
    // Monday 10-12: P is the make-up Saturday 10-10, which holds N-6.
    const d4 = await operatorDay('2026-10-12', async () => {});
    expect(d4.p).toBe('2026-10-10');
    expect(d4.cleared.files.map((f) => [f.name, f.count])).toEqual([['qs10122026000001.txt', 1]]);
    for (const f of [...d1.cleared.files, ...d2.cleared.files, ...d4.cleared.files]) {
      expect((await verifyFile(ctx, f.path)).ok).toBe(true);
    }
    const status = await dayStatus(ctx, '2026-10-08');
    expect(status).toMatchObject({ state: 'cleared', cleared: { count: 2, totalFen: 300 } });
  });

  it('the 2007-09-22 weekend maintenance day: forced open, its own files, then Monday names the weekend date', async () => {
    await cutoffDay(ctx, { date: '2007-09-21', force: true });
    await expect(openDay(ctx, { date: '2007-09-22' })).rejects.toMatchObject({ code: 'E7110' });
    h.clock.set('2007-09-22T08:30:00+08:00');
    await openDay(ctx, { date: '2007-09-22', force: true, reason: '总中心周末开机维护' });
    await postTransaction(ctx, txn(unitB, '2007-09-22 10:00', 500, { ref: 'S-1' }));
    await postTransaction(ctx, txn(unitA, '2007-09-21 10:00', 12345, { ref: 'S-0' })); // late: 09-21 is cut off
    h.clock.set('2007-09-22T16:00:00+08:00');
    onTestFinished(() => h.clock.set('2026-11-23T16:00:00+08:00'));
    await cutoffDay(ctx, { date: '2007-09-22' });
    // Voucher date 09-22 clears the Friday before (nothing: S-0 arrived late, after 09-21 was cut off).
    const sat = await clearDay(ctx, { date: '2007-09-22', pendingDate: '2007-09-21', outDir: out });
    expect(sat.files).toEqual([]);
    // S-0 went to the weekend day opened by force, not to a cut-off day.
    const s0 = await h.db()('settlement_transactions').where({ ref: 'S-0' }).first();
    expect([s0.business_date, Boolean(Number(s0.late))]).toEqual(['2007-09-22', true]);
    // Monday: the operator names the weekend date as the pending date (seed note 1).
    h.clock.set('2007-09-24T16:00:00+08:00');
    await openDay(ctx, { date: '2007-09-24' });
    await cutoffDay(ctx, { date: '2007-09-24' });
    const mon = await clearDay(ctx, { date: '2007-09-24', pendingDate: '2007-09-22', outDir: out });
    expect(mon.files.map((f) => [f.name, f.count, f.total])).toEqual([['qs09242007000001.txt', 2, '128.45']]);
    expect(await previousWorkingDay(ctx, '2007-09-24')).toBe('2007-09-22');
  });

  it('lists: E2033 for a list never generated or a filter with no rows, E9999 for classification', async () => {
    await expect(showSummary(ctx, { date: '2026-10-13', status: 'pending' })).rejects.toMatchObject({
      code: 'E2033',
      exitCode: 3,
    });
    await expect(showSummary(ctx, { date: '2026-10-08', status: 'cleared', kind: 'refund' })).rejects.toMatchObject({
      code: 'E2033',
    });
    const shown = await showSummary(ctx, { date: '2026-10-08', status: 'cleared', kind: 'payment' });
    expect(shown.rows).toHaveLength(1);
    await expect(classify(ctx, { date: '2026-10-13', status: 'pending' })).rejects.toMatchObject({
      code: 'E9999',
      exitCode: 3,
    });
    const c = await classify(ctx, { date: '2026-10-09', status: 'cleared' });
    expect(c.rows.map((r) => [r.accountClass, r.kind, r.count])).toEqual([
      ['财政授权支付', 'payment', 2],
      ['财政授权支付', 'refund', 1],
    ]);
  });

  it('more rows than maxRowsPerFile: sequence 01, 02, … each with its own voucher, a unit cut at a boundary', async () => {
    await ctx.settings.set('settlement.maxRowsPerFile', '2', ctx.actor, h.clock);
    await openDay(ctx, { date: '2026-10-15' });
    for (const [i, [u, cls]] of (
      [
        [unitA, '其他'],
        [unitA, '财政授权支付'],
        [unitA, '财政直接支付'],
        [unitB, '其他'],
        [unitB, '其他'],
      ] as const
    ).entries()) {
      await postTransaction(ctx, txn(u, '2026-10-15 10:00', 100 * (i + 1), { ref: `SPL-${i}`, accountClass: cls }));
    }
    await cutoffDay(ctx, { date: '2026-10-15' });
    await openDay(ctx, { date: '2026-10-16' });
    await cutoffDay(ctx, { date: '2026-10-16' });
    const r = await clearDay(ctx, { date: '2026-10-16', outDir: out });
    await ctx.settings.set('settlement.maxRowsPerFile', '499', ctx.actor, h.clock);
    expect(r.files.map((f) => [f.name, f.voucher, f.rows, f.count, f.total])).toEqual([
      ['qs10162026000001.txt', expect.any(String), 2, 2, '3.00'],
      ['qs10162026000002.txt', expect.any(String), 2, 3, '12.00'],
    ]);
    expect(r.files[0]?.voucher).not.toBe(r.files[1]?.voucher);
    // Unit 440000 has three classes: two in file 01, one in file 02; each transaction went to its row's file.
    const byFile = await h
      .db()('settlement_transactions as t')
      .join('clearing_files as f', 'f.id', 't.clearing_file_id')
      .where('f.voucher_date', '2026-10-16')
      .orderBy('t.ref')
      .select('t.ref', 'f.sequence');
    expect(byFile.map((x) => [x.ref, Number(x.sequence)])).toEqual([
      ['SPL-0', 1],
      ['SPL-1', 1],
      ['SPL-2', 2],
      ['SPL-3', 2],
      ['SPL-4', 2],
    ]);
    for (const f of r.files) expect((await verifyFile(ctx, f.path)).ok).toBe(true);
  });

  it('settlement day: a catch-up runs every step once, and again skips them all', async () => {
    await postTransaction(ctx, txn(unitA, '2026-10-13 10:00', 700, { ref: 'C-1' }));
    const first = await runDay(ctx, { date: '2026-10-14', outDir: out });
    expect(first.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'open:done',
      'summary pending (morning):done',
      'cutoff:done',
      'cutoff pending date:done',
      'clear:done',
      'summary cleared:done',
      'summary pending:done',
    ]);
    expect(first.clear?.cleared).toBe(1);
    h.clock.advance(60_000);
    const again = await runDay(ctx, { date: '2026-10-14', outDir: out });
    expect(again.steps.filter((s) => s.status === 'done')).toEqual([]);
  });

  it('a transaction that moves to another file between the plan and the marking stops the clear; nothing is recorded', async () => {
    await ctx.settings.set('settlement.maxRowsPerFile', '1', ctx.actor, h.clock);
    h.clock.set('2026-10-19T08:30:00+08:00');
    await openDay(ctx, { date: '2026-10-19' });
    await postTransaction(ctx, txn(unitA, '2026-10-19 10:00', 100, { ref: 'MV-1' }));
    await postTransaction(ctx, txn(unitA, '2026-10-19 10:00', 200, { ref: 'MV-2', accountClass: '其他' }));
    h.clock.set('2026-10-19T15:30:00+08:00');
    await cutoffDay(ctx, { date: '2026-10-19' });
    h.clock.set('2026-10-20T08:30:00+08:00');
    await openDay(ctx, { date: '2026-10-20' });
    h.clock.set('2026-10-20T15:30:00+08:00');
    await cutoffDay(ctx, { date: '2026-10-20' });
    // Two files of one row each: 01 is (440000, 其他), 02 is (440000, 财政授权支付). A trigger stands in for a
    // writer that moves MV-1 into file 01's (unit, class) after the files are planned and written, before the
    // transactions are marked.
    const db = h.db();
    const move = "UPDATE settlement_transactions SET account_class = '其他' WHERE ref = 'MV-1'";
    await db.raw(
      h.name === 'sqlite'
        ? `CREATE TRIGGER crm_test_move AFTER INSERT ON clearing_files BEGIN ${move}; END`
        : `CREATE TRIGGER crm_test_move AFTER INSERT ON clearing_files FOR EACH ROW ${move}`,
    );
    const usedBefore = await db('vouchers').where({ status: 'used' }).count({ n: '*' }).first();
    try {
      await expect(clearDay(ctx, { date: '2026-10-20', outDir: out })).rejects.toThrow(
        /qs10202026\d+01\.txt: 2 transactions updated, the file has 1/,
      );
    } finally {
      await db.raw('DROP TRIGGER crm_test_move');
    }
    expect(await db('clearing_runs').where({ voucher_date: '2026-10-20' })).toEqual([]);
    expect(await db('clearing_files').where({ voucher_date: '2026-10-20' })).toEqual([]);
    expect(await db('vouchers').where({ status: 'used' }).count({ n: '*' }).first()).toEqual(usedBefore);
    const txns = await db('settlement_transactions').whereIn('ref', ['MV-1', 'MV-2']).orderBy('ref');
    expect(txns.map((t) => [t.ref, t.account_class, t.clearing_status, t.clearing_file_id])).toEqual([
      ['MV-1', '财政授权支付', 'pending', null],
      ['MV-2', '其他', 'pending', null],
    ]);
    // Run again: the plan is made afresh and everything is cleared.
    const r = await clearDay(ctx, { date: '2026-10-20', outDir: out });
    await ctx.settings.set('settlement.maxRowsPerFile', '499', ctx.actor, h.clock);
    expect(r.cleared).toBe(2);
    expect(r.files.map((f) => [f.sequence, f.count])).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });
});
