import { beforeAll, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/services/context.js';
import { cutoffDay, openDay } from '../../src/services/settlement/day.js';
import { postTransaction } from '../../src/services/settlement/ledger.js';
import { listTransactions, showTransaction } from '../../src/services/settlement/transactions.js';
import { describeEachDb } from '../support/db.js';
import { addCustomer, txn } from './settlement-support.js';

/** The operator's lookup: one payment by ref, unit, customer, dates, kind, status, late, amount range. */
describeEachDb('settlement transactions list and show', (h) => {
  let ctx: ServiceContext;
  beforeAll(async () => {
    ctx = await h.as('admin');
    const top = await addCustomer(h.db(), '130000001', '河北省财政厅');
    const sub = await addCustomer(h.db(), '130000001001', '河北省财政厅一处', top);
    const subsub = await addCustomer(h.db(), '130000001001001', '一处一科', sub);
    const other = await addCustomer(h.db(), '140000001', '山西省财政厅');
    await postTransaction(ctx, txn(top, '2026-11-20 09:00:00', 10000, { ref: 'Q-1' }));
    await postTransaction(ctx, txn(sub, '2026-11-20 10:00:00', 20050, { ref: 'Q-2' }));
    // Friday is cut off before Q-3 arrives: it occurred on Friday but belongs to Monday, late.
    await openDay(ctx, { date: '2026-11-20' });
    await cutoffDay(ctx, { date: '2026-11-20' });
    await postTransaction(ctx, txn(subsub, '2026-11-20 15:00:00', 30000, { ref: 'Q-3' }));
    await postTransaction(ctx, txn(sub, '2026-11-23 09:30:00', 4000, { ref: 'Q-4', kind: 'refund' }));
    await postTransaction(ctx, txn(other, '2026-11-23 09:40:00', 99900, { ref: 'Q-5' }));
  });

  const refs = (r: Awaited<ReturnType<typeof listTransactions>>) => r.items.map((i) => i.ref);

  it('without filters lists every date in order, with payments and refunds totalled apart', async () => {
    const all = await listTransactions(ctx, {});
    expect(refs(all)).toEqual(['Q-1', 'Q-2', 'Q-3', 'Q-4', 'Q-5']);
    expect(all.payments).toEqual({ count: 4, totalFen: 10000 + 20050 + 30000 + 99900 });
    expect(all.refunds).toEqual({ count: 1, totalFen: 4000 });
    expect(all.truncated).toBe(false);
  });

  it('a first-level unit includes its sub-units; a sub-unit its own subtree; --customer exactly one', async () => {
    expect(refs(await listTransactions(ctx, { unit: '130000001' }))).toEqual(['Q-1', 'Q-2', 'Q-3', 'Q-4']);
    expect(refs(await listTransactions(ctx, { unit: '130000001001' }))).toEqual(['Q-2', 'Q-3', 'Q-4']);
    expect(refs(await listTransactions(ctx, { customer: '130000001001' }))).toEqual(['Q-2', 'Q-4']);
    await expect(listTransactions(ctx, { unit: 'NOPE' })).rejects.toMatchObject({ code: 'E7142', exitCode: 3 });
  });

  it('filters by ref, dates, kind, status, late and amount; totals cover every match beyond the limit', async () => {
    const one = await listTransactions(ctx, { ref: 'Q-2' });
    expect(one.items).toMatchObject([
      { ref: 'Q-2', amountFen: 20050, customerCode: '130000001001', unitCode: '130000001', businessDate: '2026-11-20' },
    ]);
    expect(refs(await listTransactions(ctx, { from: '2026-11-23', to: '2026-11-23' }))).toEqual(['Q-3', 'Q-4', 'Q-5']);
    expect(refs(await listTransactions(ctx, { kind: 'refund' }))).toEqual(['Q-4']);
    expect(refs(await listTransactions(ctx, { late: true }))).toEqual(['Q-3']);
    expect(refs(await listTransactions(ctx, { status: 'pending', minFen: 20000, maxFen: 30000 }))).toEqual([
      'Q-2',
      'Q-3',
    ]);
    const page = await listTransactions(ctx, { limit: 2 });
    expect(refs(page)).toEqual(['Q-1', 'Q-2']);
    expect(page).toMatchObject({ truncated: true, payments: { count: 4 }, refunds: { count: 1 } });
    await expect(listTransactions(ctx, { from: '2026-11-24', to: '2026-11-20' })).rejects.toMatchObject({
      code: 'E7144',
    });
    await expect(listTransactions(ctx, { kind: 'gift' })).rejects.toMatchObject({ exitCode: 2 });
  });

  it('show gives one transaction in full, and says how to search when the ref is unknown', async () => {
    const t = await showTransaction(ctx, 'Q-3');
    expect(t).toMatchObject({
      ref: 'Q-3',
      kind: 'payment',
      amountFen: 30000,
      customerCode: '130000001001001',
      unitName: '河北省财政厅',
      late: true,
      businessDate: '2026-11-23',
      clearingStatus: 'pending',
      clearingFile: null,
    });
    await expect(showTransaction(ctx, 'Q-404')).rejects.toMatchObject({ code: 'E7140', exitCode: 3 });
  });

  it('needs the settlement read permission', async () => {
    await h.addUser('sam', 'sales');
    await expect(listTransactions(await h.as('sam'), {})).rejects.toMatchObject({ exitCode: 4 });
  });
});
