import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { parseClearingFile } from '../../src/domain/settlement/clearing-file.js';
import type { ServiceContext } from '../../src/services/context.js';
import {
  addVoucherRange,
  classificationStep,
  classify,
  clearDay,
  cutoffDay,
  dayStatus,
  generateSummary,
  listVouchers,
  openDay,
  postTransaction,
  previousWorkingDay,
  showSummary,
  verifyFile,
  voidVoucher,
} from '../../src/services/settlement/index.js';
import { describeEachDb } from '../support/db.js';
import { testTempDir } from '../support/tmp.js';
import { addCustomer, txn } from './settlement-support.js';

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describeEachDb('settlement day', (h) => {
  let ctx: ServiceContext;
  let a: number;
  let b: number;
  let outDir: string;
  beforeAll(async () => {
    // Monday after the cutoff: the day's steps on today run at their time, none is early (see settlement-guard).
    h.clock.set('2026-11-23T16:00:00+08:00');
    ctx = await h.as('admin');
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-clear-'));
    tempDirs.push(outDir);
    a = await addCustomer(h.db(), '110000', '北京市财政局');
    const a1 = await addCustomer(h.db(), '110000001', '北京市教育局', a);
    b = await addCustomer(h.db(), '120000', '天津市财政局');
    await addVoucherRange(ctx, { kind: 'payment', from: '000100', to: '000109' });
    await addVoucherRange(ctx, { kind: 'refund', from: '000500', to: '000501' });
    a = a1;
  });
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('vouchers: leading zeros, no overlap, void rules', async () => {
    await expect(addVoucherRange(ctx, { kind: 'payment', from: '000105', to: '000120' })).rejects.toMatchObject({
      code: 'E7121',
      exitCode: 5,
    });
    // One width per kind, so the lowest unused is the numerically lowest.
    await expect(addVoucherRange(ctx, { kind: 'payment', from: '1021', to: '1029' })).rejects.toMatchObject({
      code: 'E7122',
      exitCode: 2,
      hint: { en: expect.stringContaining('e.g. 001021') },
    });
    await addVoucherRange(ctx, { kind: 'payment', from: '000200', to: '000200' });
    const v = await voidVoucher(ctx, { number: '000200', reason: '填错作废', kind: 'payment' });
    expect(v.status).toBe('void');
    const list = await listVouchers(ctx, { kind: 'payment' });
    expect(list[0]?.number).toBe('000100');
    expect(list.find((x) => x.number === '000200')?.status).toBe('void');
  });

  it('runs one day: open, cutoff, clear, lists', async () => {
    // P = 2026-11-20 (Friday), D = 2026-11-23 (Monday).
    expect(await previousWorkingDay(ctx, '2026-11-23')).toBe('2026-11-20');
    await openDay(ctx, { date: '2026-11-20' });
    await postTransaction(ctx, txn(a, '2026-11-20 09:00', 10000, { ref: 'D1' }));
    await postTransaction(ctx, txn(a, '2026-11-20 15:29:59', 250, { ref: 'D2', accountClass: '其他' }));
    await postTransaction(ctx, txn(b, '2026-11-20 15:30:00', 99, { ref: 'D3' }));
    await postTransaction(ctx, txn(b, '2026-11-20 11:00', 500, { ref: 'D4', kind: 'refund' }));
    const late = await postTransaction(ctx, txn(b, '2026-11-20 15:30:01', 7, { ref: 'D5' }));
    expect(late.transaction.businessDate).toBe('2026-11-23');
    const sat = await postTransaction(ctx, txn(b, '2026-11-21 10:00', 8, { ref: 'D6' }));
    expect(sat.transaction.businessDate).toBe('2026-11-23');

    // Morning lists for P while pending.
    const pend = await generateSummary(ctx, { date: '2026-11-20', status: 'pending' });
    expect(pend.rows.map((r) => [r.unitCode, r.kind, r.count, r.totalFen])).toEqual([
      ['110000', 'payment', 2, 10250],
      ['120000', 'payment', 1, 99],
      ['120000', 'refund', 1, 500],
    ]);
    const shown = await showSummary(ctx, { date: '2026-11-20', status: 'pending', kind: 'refund' });
    expect(shown.totalFen).toBe(500);
    await expect(showSummary(ctx, { date: '2026-11-20', status: 'pending', unit: '999' })).rejects.toMatchObject({
      code: 'E2033',
      exitCode: 3,
    });
    await expect(showSummary(ctx, { date: '2026-11-20', status: 'cleared' })).rejects.toMatchObject({ code: 'E2033' });
    const cls = await classify(ctx, { date: '2026-11-20', status: 'pending' });
    expect(cls.count).toBe(4);
    await expect(
      classify(ctx, { date: '2026-11-20', status: 'pending', accountClass: '财政直接支付' }),
    ).rejects.toMatchObject({
      code: 'E9999',
      exitCode: 3,
    });

    // Clearing needs D cut off, and P cut off.
    await openDay(ctx, { date: '2026-11-23' });
    await expect(clearDay(ctx, { date: '2026-11-23', outDir })).rejects.toMatchObject({ code: 'E7113' });
    expect((await cutoffDay(ctx, { date: '2026-11-23' })).status).toBe('done');
    expect((await cutoffDay(ctx, { date: '2026-11-23' })).status).toBe('unchanged');
    await expect(clearDay(ctx, { date: '2026-11-23', outDir })).rejects.toMatchObject({ code: 'E7118' });
    await cutoffDay(ctx, { date: '2026-11-20' });
    // After cutoff nothing enters 11-23.
    const after = await postTransaction(ctx, txn(b, '2026-11-23 10:00', 1, { ref: 'D7' }));
    expect(after.transaction).toMatchObject({ businessDate: '2026-11-24', late: true });

    const points: string[] = [];
    const r = await clearDay(ctx, { date: '2026-11-23', outDir, faultAt: (p) => points.push(p) });
    // The fault hook sees each file's rename, then the commit: where the crash tests stop the process.
    expect(points).toEqual([
      'before-rename',
      'after-rename',
      'before-rename',
      'after-rename',
      'before-commit',
      'after-commit',
    ]);
    expect(r.pendingDate).toBe('2026-11-20');
    expect(r.cleared).toBe(4);
    expect(r.files.map((f) => [f.name, f.kind, f.voucher, f.sequence, f.rows, f.count, f.total])).toEqual([
      ['qs11232026000001.txt', 'qs', '000100', 1, 3, 3, '103.49'],
      ['tk11232026000001.txt', 'tk', '000500', 1, 1, 1, '5.00'],
    ]);
    const parsed = parseClearingFile(fs.readFileSync(r.files[0]!.path), 'gbk');
    expect(parsed.ok).toBe(true);

    await expect(clearDay(ctx, { date: '2026-11-23', outDir })).rejects.toMatchObject({ code: 'E7114', exitCode: 5 });
    const st = await dayStatus(ctx, '2026-11-23');
    expect(st).toMatchObject({ state: 'cleared', cleared: { count: 4, totalFen: 10849 } });
    expect(st.files).toHaveLength(2);

    const clearedList = await generateSummary(ctx, { date: '2026-11-23', status: 'cleared' });
    expect(clearedList.totalFen).toBe(10849);

    // Rerun: supersedes, new vouchers and sequence, same set.
    const again = await clearDay(ctx, { date: '2026-11-23', outDir, rerun: true, reason: '文件损坏重做' });
    expect(again.files.map((f) => [f.name, f.voucher, f.count, f.total])).toEqual([
      ['qs11232026000002.txt', '000101', 3, '103.49'],
      ['tk11232026000002.txt', '000501', 1, '5.00'],
    ]);
    expect(again.cleared).toBe(4);
    const superseded = await h.db()('clearing_files').where({ status: 'superseded' });
    expect(superseded).toHaveLength(2);
    // verify: the current file is ok; the superseded one is flagged; damaged copies name the line.
    expect(await verifyFile(ctx, again.files[0]!.path)).toMatchObject({ ok: true, recorded: true, status: 'active' });
    const old = await verifyFile(ctx, r.files[0]!.path);
    expect(old.ok).toBe(false);
    expect(old.problems.map((p) => p.field)).toEqual(['status']);
    const damagedDir = testTempDir('crm-damaged-');
    const copy = path.join(damagedDir, again.files[0]!.name);
    const text = fs.readFileSync(again.files[0]!.path);
    fs.writeFileSync(copy, Buffer.from(text.toString('latin1').replace('|1|2.50', '|2|2.50'), 'latin1'));
    const bad = await verifyFile(ctx, copy);
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p) => [p.line, p.field])).toEqual(
      expect.arrayContaining([
        [1, 'transactions'],
        [0, 'sha256'],
      ]),
    );
    // Same totals but another name: the structure is fine, the SHA-256 against the record is not.
    fs.writeFileSync(copy, Buffer.from(text.toString('latin1').replace('110000|', '110000|X'), 'latin1'));
    const renamed = await verifyFile(ctx, copy);
    expect(renamed.problems.map((p) => p.field)).toContain('sha256');
    // Refund vouchers are now exhausted: a further rerun is refused before anything is written.
    await expect(clearDay(ctx, { date: '2026-11-23', outDir, rerun: true, reason: 'x' })).rejects.toMatchObject({
      code: 'E7115',
    });
    expect(fs.readdirSync(outDir).sort()).toEqual([
      'qs11232026000001.txt',
      'qs11232026000002.txt',
      'tk11232026000001.txt',
      'tk11232026000002.txt',
    ]);
  });

  it('refuses to open a day off unless forced with a reason; forced day becomes a working day', async () => {
    // On the Saturday itself (a future day is never opened).
    h.clock.set('2026-11-28T09:00:00+08:00');
    onTestFinished(() => h.clock.set('2026-11-23T16:00:00+08:00'));
    await expect(openDay(ctx, { date: '2026-11-28' })).rejects.toMatchObject({ code: 'E7110' });
    await expect(openDay(ctx, { date: '2026-11-28', force: true })).rejects.toMatchObject({ code: 'E7111' });
    const r = await openDay(ctx, { date: '2026-11-28', force: true, reason: '周末开机维护' });
    expect(r).toMatchObject({ status: 'done', forced: true });
    expect((await openDay(ctx, { date: '2026-11-28' })).status).toBe('unchanged');
    const t = await postTransaction(ctx, txn(b, '2026-11-28 10:00', 3, { ref: 'SAT' }));
    expect(t.transaction.businessDate).toBe('2026-11-28');
  });

  it("the day's classification step records a day without transactions as null, not a failure", async () => {
    await expect(classify(ctx, { date: '2026-11-29', status: 'pending' })).rejects.toMatchObject({ code: 'E9999' });
    expect(await classificationStep(ctx, '2026-11-29', 'pending')).toBeNull();
  });
});
