import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/services/context.js';
import { cutoffDay, importFeed, openDay } from '../../src/services/settlement/index.js';
import { isolatedEnv, runCli } from '../support/cli.js';
import { describeEachDb } from '../support/db.js';
import { addCustomer } from './settlement-support.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-feed-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: string | Buffer): string {
  n++;
  const f = path.join(dir, `feed${n}.csv`);
  fs.writeFileSync(f, content);
  return f;
}

describeEachDb('settlement feed import', (h) => {
  let ctx: ServiceContext;
  beforeAll(async () => {
    ctx = await h.as('admin');
    const top = await addCustomer(h.db(), '610000', '陕西省财政厅');
    await addCustomer(h.db(), '610100', '西安市财政局', top);
  });

  it('takes times as Excel writes them and an empty or missing account class as the default class', async () => {
    const withEmpty = file(
      [
        '流水号,交易时间,客户编码,交易类型,金额,账户分类',
        'X-1,2026/9/29 13:30,610000,划款,1.00,',
        'X-2,2026-9-29 13:30:05,610100,退款,2.00,其他',
      ].join('\n'),
    );
    const rejectsFile = path.join(dir, `rejects-${h.name}.csv`);
    const r = await importFeed(ctx, { file: withEmpty, errorsOut: rejectsFile });
    expect([r.inserted, r.rejected], JSON.stringify(r.errors)).toEqual([2, 0]);
    // Nothing rejected: no reject report is left on disk.
    expect([fs.existsSync(rejectsFile), r.errorsFile]).toEqual([false, null]);
    const rows = await h.db()('settlement_transactions').whereIn('ref', ['X-1', 'X-2']).orderBy('ref');
    expect(rows.map((t: Record<string, unknown>) => [t.ref, t.kind, t.account_class, t.business_date])).toEqual([
      ['X-1', 'payment', '财政授权支付', '2026-09-29'],
      ['X-2', 'refund', '其他', '2026-09-29'],
    ]);
    expect(new Date(String(rows[1].occurred_at)).toISOString()).toBe('2026-09-29T05:30:05.000Z');
    // Without the column at all, every row takes the default (setting settlement.defaultAccountClass).
    await ctx.settings.set('settlement.defaultAccountClass', '财政直接支付', ctx.actor, ctx.clock);
    const noColumn = file(
      ['流水号,交易时间,客户编码,交易类型,金额', 'X-3,2026/9/30 09:00,610000,划款,3.00'].join('\n'),
    );
    expect((await importFeed(ctx, { file: noColumn })).inserted).toBe(1);
    expect((await h.db()('settlement_transactions').where({ ref: 'X-3' }).first()).account_class).toBe('财政直接支付');
    await ctx.settings.set('settlement.defaultAccountClass', '财政授权支付', ctx.actor, ctx.clock);
  });

  it('lists rejected rows in line order, with the reject report', async () => {
    const rejectsFile = path.join(dir, `rejects-order-${h.name}.csv`);
    const f = file(
      [
        '流水号,交易时间,客户编码,交易类型,金额,账户分类',
        'O-1,2026-11-20 09:00,999998,划款,1.00,其他',
        'O-2,2026-11-20 09:00,610000,划款,1.001,其他',
        'O-3,2026-11-20 09:00,999999,划款,1.00,其他',
      ].join('\n'),
    );
    const r = await importFeed(ctx, { file: f, errorsOut: rejectsFile, lang: 'zh' });
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    const report = fs.readFileSync(rejectsFile, 'utf8').split('\n').filter(Boolean);
    expect(report).toHaveLength(4);
    // The report speaks the user's language; the summary (and --json) keep the English reasons.
    expect(report.join('\n'), report.join('\n')).toContain('客户编码: 没有这个客户：""999998""'); // CSV doubles the quotes
    expect(r.errors[0]?.reason).toBe('unknown customer "999998"');
  });

  it('imports Chinese headers in GBK; rejects bad rows with line and column; idempotent on ref', async () => {
    const csv = [
      '流水号,交易时间,预算单位国标码,交易类型,金额,账户分类,付款账号,摘要',
      'F-1,2026-11-20 09:00:00,610100,财政授权支付,"1,234.50",财政授权支付,622200001,办公费',
      'F-2,2026-11-20T07:30:00Z,610000,财政授权额度退回,10.00,其他,,退回',
      'F-3,2026-11-20 09:00:00,999999,划款,1.00,其他,,',
      'F-4,2026-11-20 09:00:00,610000,划款,0,其他,,',
      'F-5,2026-11-20 09:00:00,610000,划款,1.234,其他,,',
      'F-6,2026-11-20 09:00:00,610000,转账,1.00,其他,,',
      'F-7,2026-11-20 09:00:00,610000,划款,1.00,现金,,',
      'F-8,2026-13-20 09:00:00,610000,划款,1.00,其他,,',
      'F-9,2026-11-20 09:00:00,610000,refund,-5,其他,,',
      '',
    ].join('\r\n');
    const f = file(iconv.encode(csv, 'gbk'));
    const s = await importFeed(ctx, { file: f });
    expect([s.read, s.inserted, s.unchanged, s.rejected]).toEqual([9, 2, 0, 7]);
    expect(s.errors.map((e) => [e.line, e.column]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [4, 'customer'],
      [5, 'amount'],
      [6, 'amount'],
      [7, 'kind'],
      [8, 'account_class'],
      [9, 'occurred_at'],
      [10, 'amount'],
    ]);
    const f2 = await h.db()('settlement_transactions').where({ ref: 'F-2' }).first();
    // 07:30Z is 15:30 Shanghai: still the 20th.
    expect([f2.kind, f2.business_date, f2.unit_code]).toEqual(['refund', '2026-11-20', '610000']);
    const f1 = await h.db()('settlement_transactions').where({ ref: 'F-1' }).first();
    expect([Number(f1.amount_fen), f1.unit_code, f1.unit_name, f1.source]).toEqual([
      123450,
      '610000',
      '陕西省财政厅',
      'feed',
    ]);
    expect(f1.import_batch_id).toBe(s.batchId);

    // Again: unchanged. With a changed amount: a conflict rejected with the line.
    const again = await importFeed(ctx, { file: f });
    expect([again.inserted, again.unchanged]).toEqual([0, 2]);
    const changed = file(
      'ref,occurred_at,customer,kind,amount,account_class,payer_account,memo\n' +
        'F-1,2026-11-20 09:00:00,610100,payment,1234.51,财政授权支付,622200001,办公费\n' +
        'F-10,2026-11-20 09:05:00,610100,payment,5,财政授权支付,,\n',
    );
    const c = await importFeed(ctx, { file: changed });
    expect([c.inserted, c.rejected]).toEqual([1, 1]);
    expect(c.errors[0]).toMatchObject({ line: 2, column: 'ref' });
    expect(c.errors[0]?.reason).toMatch(/different content/);
  });

  it('dry run writes nothing; after cutoff, rows go to the next day flagged late', async () => {
    const f = file(
      'ref,occurred_at,customer,kind,amount,account_class\nG-1,2026-11-23 10:00,610000,payment,3.00,其他\n',
    );
    const dry = await importFeed(ctx, { file: f, dryRun: true });
    expect(dry.inserted).toBe(1);
    expect(await h.db()('settlement_transactions').where({ ref: 'G-1' }).first()).toBeUndefined();
    await openDay(ctx, { date: '2026-11-23' });
    // Cut off at 10:00, before the 10:00 payment is imported: it goes to the next working day, late.
    await cutoffDay(ctx, { date: '2026-11-23', early: true, reason: 'test: the feed arrives after an early cutoff' });
    await importFeed(ctx, { file: f });
    const g = await h.db()('settlement_transactions').where({ ref: 'G-1' }).first();
    expect([g.business_date, Boolean(Number(g.late))]).toEqual(['2026-11-24', true]);
  });

  it('CLI: --json summary and exit 6 with rejects; a sales user may not import', async () => {
    const home = fs.mkdtempSync(path.join(dir, 'home-'));
    const env = isolatedEnv(home, { CRM_DATABASE_URL: h.url() });
    const f = file(
      'ref,occurred_at,customer,kind,amount,account_class\nH-1,2026-11-24 10:00,610000,payment,3.00,其他\nH-2,bad,610000,payment,3.00,其他\n',
    );
    const r = runCli(['settlement', 'import', f, '--json'], env);
    expect(r.code).toBe(6);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ read: 2, inserted: 1, unchanged: 0, rejected: 1 });
    expect(json.errors[0]).toMatchObject({ line: 3, column: 'occurred_at' });
    await h.addUser('bob', 'sales');
    const denied = runCli(['settlement', 'import', f], { ...env, CRM_USER: 'bob' });
    expect(denied.code).toBe(4);
  });

  // On MariaDB the next chunk is decided while the one before still loads (pipelined, two chunks in flight): these
  // hold on both databases, with chunks of 3 rows so that many chunks overlap.
  it('a ref repeated in a later chunk: same content unchanged, other content rejected; ids in file order', async () => {
    const header = 'ref,occurred_at,customer,kind,amount,account_class';
    const lines = [header];
    for (let i = 1; i <= 30; i++)
      lines.push(`P-${100 + i},2026-11-24 10:${String(i).padStart(2, '0')},610000,payment,${i}.00,其他`);
    lines.push('P-101,2026-11-24 10:01,610000,payment,1.00,其他'); // chunk 11: same as line 2
    lines.push('P-102,2026-11-24 10:02,610000,payment,9.99,其他'); // other content than line 3
    lines.push('P-131,2026-11-24 11:00,610000,payment,31.00,其他');
    lines.push('P-131,2026-11-24 11:00,610000,payment,31.00,其他'); // the chunk before, same content
    lines.push('P-131,2026-11-24 11:00,610000,payment,32.00,其他'); // the chunk before, other content
    const s = await importFeed(ctx, { file: file(`${lines.join('\n')}\n`), chunkSize: 3 });
    expect([s.read, s.inserted, s.unchanged, s.rejected]).toEqual([35, 31, 2, 2]);
    expect(s.errors.map((e) => [e.line, e.column])).toEqual([
      [33, 'ref'],
      [36, 'ref'],
    ]);
    for (const e of s.errors) expect(e.reason).toMatch(/different content/);
    const rows = await h
      .db()('settlement_transactions')
      .where('ref', 'like', 'P-%')
      .orderBy('id')
      .select('ref', 'amount_fen');
    expect(rows.map((r) => r.ref)).toEqual(Array.from({ length: 31 }, (_, i) => `P-${101 + i}`));
    expect(rows.map((r) => Number(r.amount_fen))).toEqual(Array.from({ length: 31 }, (_, i) => (i + 1) * 100));
  });

  it('a chunk that fails takes the chunks after it down: what is committed is a prefix of the file; the rerun completes it', async () => {
    const lines = ['ref,occurred_at,customer,kind,amount,account_class'];
    for (let i = 1; i <= 40; i++)
      lines.push(`Q-${100 + i},2026-11-24 11:${String(i).padStart(2, '0')},610100,payment,${i}.00,其他`);
    const f = file(`${lines.join('\n')}\n`);
    await expect(
      importFeed(ctx, {
        file: f,
        chunkSize: 4,
        afterChunk: (n) => {
          if (n === 3) throw new Error('stopped after chunk 3');
        },
      }),
    ).rejects.toThrow('stopped after chunk 3');
    const kept = await h.db()('settlement_transactions').where('ref', 'like', 'Q-%').orderBy('ref').pluck('ref');
    expect(kept).toEqual(Array.from({ length: 12 }, (_, i) => `Q-${101 + i}`));
    const again = await importFeed(ctx, { file: f, chunkSize: 4 });
    expect([again.inserted, again.unchanged, again.rejected]).toEqual([28, 12, 0]);
    const count = await h.db()('settlement_transactions').where('ref', 'like', 'Q-%').count({ n: '*' }).first();
    expect(Number(count?.n)).toBe(40);
  });
});
