import fs from 'node:fs';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { parseFen } from '../../src/domain/money.js';
import { parseClearingFile } from '../../src/domain/settlement/clearing-file.js';
import { type ServiceContext, withDb } from '../../src/services/context.js';
import {
  addVoucherRange,
  clearDay,
  cutoffDay,
  openDay,
  postTransactions,
} from '../../src/services/settlement/index.js';
import { describeEachDb } from '../support/db.js';
import { testTempDir } from '../support/tmp.js';
import { addCustomer } from './settlement-support.js';

/**
 * Invariants over random feeds, random arrival (some after their day's cutoff), random file split size and
 * random reruns, around National Day 2026: every transaction cleared at most once; per file, header total = sum
 * of rows = sum of its transactions; pending + cleared = all; voucher numbers unique; nothing enters a day
 * after its cutoff.
 */
const DAYS = ['2026-09-28', '2026-09-29', '2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12'];
const TABLES = [
  'settlement_transactions',
  'vouchers',
  'clearing_files',
  'clearing_runs',
  'voucher_ranges',
  'business_days',
  'locks',
  'calendar_overrides',
];

describeEachDb('settlement invariants (property)', (h) => {
  let ctx: ServiceContext;
  let units: number[] = [];
  beforeAll(async () => {
    ctx = await h.as('admin');
    const a = await addCustomer(h.db(), '510000', '四川省财政厅');
    const b = await addCustomer(h.db(), '510100', '成都市财政局', a);
    const c = await addCustomer(h.db(), '520000', '贵州省财政厅');
    const d = await addCustomer(h.db(), '530000', '云南省财政厅');
    const e = await addCustomer(h.db(), '530100', '昆明市财政局', d);
    units = [a, b, c, d, e];
  });

  const txnArb = fc.record({
    unit: fc.integer({ min: 0, max: 4 }),
    // Seconds from 2026-09-27 00:00 (Sun) to 2026-10-12 23:59 (Mon), Shanghai.
    at: fc.integer({ min: 0, max: 16 * 86_400 - 1 }),
    amountFen: fc.integer({ min: 1, max: 50_000_000 }),
    refund: fc.boolean(),
    cls: fc.constantFrom('财政授权支付', '财政直接支付', '其他'),
    // Arrival delay: most arrive at once, some hours or days late.
    delay: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3 * 86_400 })),
  });

  it('hold for random feeds', async () => {
    let run = 0;
    let clearedSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(txnArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 0, max: DAYS.length - 1 }), { maxLength: 2 }),
        async (txns, maxRows, reruns) => {
          run++;
          const db = h.db();
          await db('clearing_runs').update({ rerun_of: null });
          for (const t of TABLES) await db(t).delete();
          const out = testTempDir('crm-prop-');
          await ctx.settings.set('settlement.maxRowsPerFile', String(maxRows), ctx.actor, h.clock);
          const fresh = { ...withDb(ctx, db) };
          await addVoucherRange(fresh, { kind: 'payment', from: '100000', to: '100199' });
          await addVoucherRange(fresh, { kind: 'refund', from: '900000', to: '900199' });
          const base = Date.parse('2026-09-27T00:00:00+08:00');
          const items = txns.map((t, i) => ({
            ...t,
            ref: `R${run}-${i}`,
            occurred: new Date(base + t.at * 1000),
            arrives: base + (t.at + t.delay) * 1000,
          }));
          let posted = 0;
          const post = async (until: number) => {
            const due = items.filter((x) => x.arrives <= until && !('done' in x));
            for (const x of due) Object.assign(x, { done: true });
            if (due.length === 0) return;
            h.clock.set(new Date(until).toISOString());
            const r = await postTransactions(
              fresh,
              due.map((x) => ({
                ref: x.ref,
                kind: x.refund ? 'refund' : 'payment',
                amountFen: x.amountFen,
                customerId: units[x.unit] as number,
                accountClass: x.cls,
                occurredAt: x.occurred,
                source: 'feed',
              })),
            );
            expect(r.rejected).toEqual([]);
            posted += r.inserted;
          };
          // The operator's days in order; transactions arrive in between.
          for (let i = 0; i < DAYS.length; i++) {
            const d = DAYS[i] as string;
            await post(Date.parse(`${d}T08:30:00+08:00`));
            h.clock.set(`${d}T08:30:00+08:00`);
            await openDay(fresh, { date: d });
            await post(Date.parse(`${d}T15:30:00+08:00`));
            h.clock.set(`${d}T15:30:00+08:00`);
            await cutoffDay(fresh, { date: d });
            if (i > 0) {
              h.clock.set(`${d}T16:00:00+08:00`);
              await clearDay(fresh, { date: d, outDir: out });
              if (reruns.includes(i)) await clearDay(fresh, { date: d, outDir: out, rerun: true, reason: 'property' });
            }
          }
          await post(Date.parse('2026-12-31T00:00:00Z'));

          // Pending + cleared = all.
          const all = await db('settlement_transactions').select('*');
          expect(all).toHaveLength(posted);
          expect(all.every((t) => ['pending', 'cleared'].includes(t.clearing_status))).toBe(true);
          // Nothing entered a day after its cutoff; cleared ones point at exactly one active file.
          const days = new Map((await db('business_days').select('*')).map((d) => [d.date, d]));
          const files = await db('clearing_files').select('*');
          const active = new Map(files.filter((f) => f.status === 'active').map((f) => [Number(f.id), f]));
          for (const t of all) {
            const cutOffAt = days.get(t.business_date)?.cut_off_at;
            expect(!cutOffAt || t.created_at <= cutOffAt, `${t.ref} created after its day's cutoff`).toBe(true);
          }
          const cleared = all.filter((t) => t.clearing_status === 'cleared');
          clearedSeen += cleared.length;
          for (const t of cleared) {
            const f = active.get(Number(t.clearing_file_id));
            expect(f).toBeDefined();
            expect(f.pending_date).toBe(t.business_date);
            expect(t.clearing_date).toBe(f.voucher_date);
          }
          expect(all.filter((t) => t.clearing_status !== 'cleared' && t.clearing_file_id !== null)).toEqual([]);
          // Per file: header = rows = its transactions (and the bytes on disk match the record).
          for (const f of active.values()) {
            const mine = all.filter((t) => Number(t.clearing_file_id) === Number(f.id));
            const parsed = parseClearingFile(fs.readFileSync(f.path), f.encoding);
            expect(parsed.ok).toBe(true);
            if (!parsed.ok) continue;
            expect(parsed.content.header.txnCount).toBe(mine.length);
            expect(parsed.content.header.totalFen).toBe(mine.reduce((s, t) => s + parseFen(t.amount_fen), 0));
            expect(Number(f.txn_count)).toBe(mine.length);
            expect(parseFen(f.total_fen)).toBe(parsed.content.header.totalFen);
            expect(parsed.content.rows.length).toBeLessThanOrEqual(maxRows);
          }
          // Every transaction of a cleared pending date that was in the set is cleared once: the sum of active
          // files' counts equals the cleared transactions.
          expect([...active.values()].reduce((s, f) => s + Number(f.txn_count), 0)).toBe(cleared.length);
          // Voucher numbers unique, one per file (superseded files keep theirs).
          const used = await db('vouchers').where({ status: 'used' });
          expect(used).toHaveLength(files.length);
          expect(new Set(files.map((f) => `${f.kind}:${f.voucher_number}`)).size).toBe(files.length);
          expect(new Set(used.map((v) => Number(v.file_id))).size).toBe(files.length);
        },
      ),
      { numRuns: 12 },
    );
    // The checks of cleared transactions above ran on some (a feed whose every transaction stays pending passes them).
    expect(clearedSeen).toBeGreaterThan(0);
  }, 120_000);
});
