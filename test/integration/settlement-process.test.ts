import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import type { ServiceContext } from '../../src/services/context.js';
import { addVoucherRange, cutoffDay, openDay, postTransactions } from '../../src/services/settlement/index.js';
import { type CliResult, isolatedEnv, ROOT, runCli, runCliAsync, TEST_BIN } from '../support/cli.js';
import { describeEachDb } from '../support/db.js';
import { addCustomer, txn } from './settlement-support.js';

/**
 * What needs real processes: a clear that crashes (the clear's fault hook, installed by the test CLI
 * test/support/crm-test.mjs from CRM_TEST_CRASH_AT) before or after the file rename, or before the commit, then a rerun that completes with
 * the same result; two clear processes at once.
 */
/** `crm settlement clear` in the test CLI, whose clear ends the process at the point CRM_TEST_CRASH_AT names. */
function runClearCrash(date: string, outDir: string, env: Record<string, string>): CliResult {
  return runCli(['settlement', 'clear', '--date', date, '--out-dir', outDir], env, ROOT, undefined, TEST_BIN);
}
let home = '';
beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-settle-proc-'));
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describeEachDb('settlement across processes', (h) => {
  let ctx: ServiceContext;
  let out: string;
  const env = (extra: Record<string, string> = {}) =>
    isolatedEnv(home, { CRM_DATABASE_URL: h.url(), CRM_NOW: '2026-11-30T16:00:00+08:00', ...extra });

  beforeAll(async () => {
    // The CLI runs below stand at 2026-11-30 16:00 (CRM_NOW): so does the setup, after every day it operates on.
    h.clock.set('2026-11-30T16:00:00+08:00');
    ctx = await h.as('admin');
    out = fs.mkdtempSync(path.join(home, `out-${h.name}-`));
    const top = await addCustomer(h.db(), '310000', '上海市财政局');
    const sub = await addCustomer(h.db(), '310101', '上海市黄浦区教育局', top);
    const other = await addCustomer(h.db(), '320000', '江苏省财政厅');
    await addVoucherRange(ctx, { kind: 'payment', from: '7001', to: '7020' });
    await addVoucherRange(ctx, { kind: 'refund', from: '8001', to: '8020' });
    // Transactions for Fri 11-20, Mon 11-23 and Tue 11-24; each day cut off.
    for (const d of ['2026-11-20', '2026-11-23', '2026-11-24']) {
      await openDay(ctx, { date: d });
      await postTransactions(ctx, [
        txn(sub, `${d} 09:00`, 10_000, { ref: `${d}-1` }),
        txn(top, `${d} 10:00`, 2_550, { ref: `${d}-2`, accountClass: '其他' }),
        txn(other, `${d} 11:00`, 99_999, { ref: `${d}-3` }),
        txn(other, `${d} 12:00`, 300, { ref: `${d}-4`, kind: 'refund' }),
      ]);
      await cutoffDay(ctx, { date: d });
    }
    await cutoffDay(ctx, { date: '2026-11-25', force: true });
  });

  const state = async (date: string) => ({
    files: await h.db()('clearing_files').where({ voucher_date: date }).count({ n: '*' }).first(),
    cleared: await h.db()('settlement_transactions').where({ clearing_date: date }).count({ n: '*' }).first(),
    used: await h.db()('vouchers').where({ status: 'used' }).count({ n: '*' }).first(),
  });

  for (const [point, date] of [
    ['before-rename', '2026-11-23'],
    ['after-rename', '2026-11-24'],
    ['before-commit', '2026-11-25'],
  ] as const) {
    it(`a crash ${point} leaves nothing done in the database; the rerun completes it`, async () => {
      const usedBefore = Number((await state(date)).used?.n);
      const crashed = runClearCrash(date, out, env({ CRM_TEST_CRASH_AT: point }));
      expect(crashed.code, crashed.stderr).toBe(86);
      const after = await state(date);
      expect(Number(after.files?.n)).toBe(0);
      expect(Number(after.cleared?.n)).toBe(0);
      expect(Number(after.used?.n)).toBe(usedBefore);
      const names = fs.readdirSync(out).filter((f) => f.includes(date.slice(5, 7) + date.slice(8, 10)));
      // Before the rename only hidden temp files exist; after it, the crashed run's files have their final names.
      expect(names.filter((n) => !n.startsWith('.')).length > 0, names.join(', ')).toBe(point !== 'before-rename');
      const orphan = names.filter((n) => n.startsWith('qs'))[0];
      const orphanSha = orphan ? sha(path.join(out, orphan)) : null;

      const r = runCli(['settlement', 'clear', '--date', date, '--out-dir', out, '--json'], env());
      expect(r.stdout + r.stderr).not.toContain('error');
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json.cleared).toBe(4);
      expect(json.files.map((f: { name: string }) => f.name)).toEqual([
        `qs${date.slice(5, 7)}${date.slice(8, 10)}2026000001.txt`,
        `tk${date.slice(5, 7)}${date.slice(8, 10)}2026000001.txt`,
      ]);
      for (const f of json.files) expect(sha(f.path)).toBe(f.sha256);
      // The rerun writes the same bytes as the crashed run did (which wrote no visible file before the rename).
      expect(point === 'before-rename' ? null : json.files[0].sha256).toBe(orphanSha);
      expect(fs.readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
      const v = runCli(['settlement', 'verify', json.files[0].path, '--json'], env());
      expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, recorded: true, count: 3 });
    });
  }

  it('two clear processes at once: one clears, the other is refused (locked or done)', async () => {
    await openDay(ctx, { date: '2026-11-26' });
    const c = await h.db()('customers').where({ code: '320000' }).first();
    await postTransactions(ctx, [
      txn(c.id, '2026-11-26 09:00', 100, { ref: 'P-1' }),
      txn(c.id, '2026-11-26 09:00', 200, { ref: 'P-2', accountClass: '其他' }),
      txn(c.id, '2026-11-26 09:00', 300, { ref: 'P-3', accountClass: '财政直接支付' }),
      txn(c.id, '2026-11-26 09:00', 400, { ref: 'P-4', kind: 'refund' }),
    ]);
    await cutoffDay(ctx, { date: '2026-11-26' });
    await cutoffDay(ctx, { date: '2026-11-27', force: true });
    const args = ['settlement', 'clear', '--date', '2026-11-27', '--out-dir', out, '--json'];
    const [a, b] = await Promise.all([runCliAsync(args, env()), runCliAsync(args, env())]);
    const codes = [a.code, b.code].sort();
    expect(codes, a.stderr + a.stdout + b.stderr + b.stdout).toEqual([0, 5]);
    const loser = a.code === 5 ? a : b;
    expect(['E5002', 'E7114']).toContain(JSON.parse(loser.stdout).error.code);
    const files = await h.db()('clearing_files').where({ voucher_date: '2026-11-27' });
    expect(files).toHaveLength(2);
    const cleared = await h
      .db()('settlement_transactions')
      .where({ clearing_date: '2026-11-27' })
      .count({ n: '*' })
      .first();
    expect(Number(cleared?.n)).toBe(4);
  });

  it('verify from the command line: ok exits 0; a damaged copy exits 1 naming the line; an unusable --out-dir exits 7', async () => {
    const file = path.join(out, 'qs11272026000001.txt');
    const good = runCli(['settlement', 'verify', file, '--json'], env());
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ ok: true, problems: [] });
    const dir = fs.mkdtempSync(path.join(home, 'damaged-'));
    const copy = path.join(dir, 'qs11272026000001.txt');
    const bytes = fs.readFileSync(file);
    // Drop the last detail line: the header's counts no longer match.
    const lines = bytes.toString('latin1').split('\r\n');
    fs.writeFileSync(copy, Buffer.from(`${lines.slice(0, -2).join('\r\n')}\r\n`, 'latin1'));
    const bad = runCli(['settlement', 'verify', copy, '--json'], env());
    expect(bad.code).toBe(1);
    const json = JSON.parse(bad.stdout);
    expect(json.ok).toBe(false);
    expect(json.problems).toContainEqual(expect.objectContaining({ line: 1, field: 'rows' }));
    const text = runCli(['settlement', 'verify', copy], env());
    expect(text.stdout).toMatch(/FAILED[\s\S]*line 1 \[rows\]/);
    fs.writeFileSync(path.join(dir, 'not-a-dir'), '');
    const c = await h.db()('customers').where({ code: '320000' }).first();
    await openDay(ctx, { date: '2026-11-30' });
    await postTransactions(ctx, [txn(c.id, '2026-11-30 09:00', 100, { ref: 'OD-1' })]);
    await cutoffDay(ctx, { date: '2026-11-30' });
    h.clock.set('2026-12-01T16:00:00+08:00');
    onTestFinished(() => h.clock.set('2026-11-30T16:00:00+08:00'));
    await openDay(ctx, { date: '2026-12-01' });
    await cutoffDay(ctx, { date: '2026-12-01' });
    const r = runCli(
      ['settlement', 'clear', '--date', '2026-12-01', '--out-dir', path.join(dir, 'not-a-dir', 'x')],
      env({ CRM_NOW: '2026-12-01T16:00:00+08:00' }),
    );
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('E7130');
  });

  it('a second clear is refused with the files made, exit 5; --rerun needs a reason', async () => {
    const r = runCli(['settlement', 'clear', '--date', '2026-11-27', '--out-dir', out], env());
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('E7114');
    expect(r.stderr).toContain('qs11272026000001.txt');
    const noReason = runCli(['settlement', 'clear', '--date', '2026-11-27', '--rerun', '--out-dir', out], env());
    expect(noReason.code).toBe(2);
  });
});
