import { expect, it } from 'vitest';
import { withDb } from '../../src/services/context.js';
import { cutoffDay, openDay, postTransactions } from '../../src/services/settlement/index.js';
import { describeEachDb } from '../support/db.js';
import { addCustomer, txn } from './settlement-support.js';

/**
 * A cutoff while a posting chunk of an import is in flight: the cutoff waits for the chunk, and the count it
 * reports (and audits) is what the day then holds, the chunk's rows included, not a snapshot from before.
 */
describeEachDb('settlement cutoff during a posting chunk', (h) => {
  it('reports the count the day holds, the chunk that was in flight included', async () => {
    h.clock.set('2026-11-23T15:45:00+08:00');
    const ctx = await h.as('admin');
    const unit = await addCustomer(h.db(), '710000', '测试财政厅');
    await openDay(ctx, { date: '2026-11-23' });
    await postTransactions(ctx, [txn(unit, '2026-11-23 09:00', 100), txn(unit, '2026-11-23 09:01', 200)]);

    // The chunk: posted, not yet committed, while the cutoff starts.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let chunkPosted!: () => void;
    const posted = new Promise<void>((resolve) => {
      chunkPosted = resolve;
    });
    const chunk = h.db().transaction(async (trx) => {
      const r = await postTransactions(withDb(ctx, trx), [
        txn(unit, '2026-11-23 10:00', 300),
        txn(unit, '2026-11-23 10:01', 400),
        txn(unit, '2026-11-23 10:02', 500),
      ]);
      chunkPosted();
      await held;
      return r.inserted;
    });
    // The cutoff starts once the chunk holds its rows (and its share of the day's row), not before.
    await posted;
    const cutoff = cutoffDay(ctx, { date: '2026-11-23' });
    // Give the cutoff time to reach the day's lock, then let the chunk commit.
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    expect(await chunk).toBe(3);
    const r = await cutoff;
    const held2 = await h
      .db()('settlement_transactions')
      .where({ business_date: '2026-11-23', clearing_status: 'pending' })
      .count({ n: '*' })
      .sum({ total: 'amount_fen' })
      .first();
    expect([r.pendingCount, r.pendingTotalFen]).toEqual([Number(held2?.n), Number(held2?.total)]);
    expect([r.pendingCount, r.pendingTotalFen]).toEqual([5, 1500]);
  });
});
