import { beforeAll, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/services/context.js';
import { postTransaction, postTransactions } from '../../src/services/settlement/ledger.js';
import { describeEachDb } from '../support/db.js';
import { addCustomer, txn } from './settlement-support.js';

describeEachDb('settlement ledger', (h) => {
  let ctx: ServiceContext;
  let top: number;
  let child: number;
  let grandchild: number;
  beforeAll(async () => {
    ctx = await h.as('admin');
    top = await addCustomer(h.db(), '110000001', '北京市财政局');
    child = await addCustomer(h.db(), '110000001001', '北京市财政局下属单位', top);
    grandchild = await addCustomer(h.db(), '110000001001001', '三级单位', child);
  });

  it('posts with the first-level unit, business date and pending status', async () => {
    const r = await postTransaction(ctx, txn(grandchild, '2026-11-23 15:30:00', 12345, { ref: 'L-1' }));
    expect(r.status).toBe('inserted');
    expect(r.transaction).toMatchObject({
      ref: 'L-1',
      unitCode: '110000001',
      unitName: '北京市财政局',
      businessDate: '2026-11-23',
      late: false,
      clearingStatus: 'pending',
      clearingDate: null,
      amountFen: 12345,
    });
    const again = await postTransaction(ctx, txn(grandchild, '2026-11-23 15:30:00', 12345, { ref: 'L-1' }));
    expect(again.status).toBe('unchanged');
    expect(again.transaction.id).toBe(r.transaction.id);
    const audits = await h.db()('audit_log').where({ action: 'settlement.post', entity_id: 'L-1' });
    expect(audits).toHaveLength(1);
  });

  it('refuses the same ref with different content as a conflict (exit 5)', async () => {
    await expect(
      postTransaction(ctx, txn(grandchild, '2026-11-23 15:30:00', 12346, { ref: 'L-1' })),
    ).rejects.toMatchObject({ code: 'E7105', exitCode: 5 });
    // The refusal names what differs, recorded → sent.
    await expect(
      postTransaction(ctx, txn(child, '2026-11-23 15:31:00', 12346, { ref: 'L-1', memo: '补发' })),
    ).rejects.toThrow(
      'ref L-1 already exists with different content (posted to 2026-11-23): amount 123.45 → 123.46; customer 110000001001001 → 110000001001; memo - → 补发; occurred_at 2026-11-23T07:30:00.000Z → 2026-11-23T07:31:00.000Z',
    );
  });

  it('rejects bad input with a usage error', async () => {
    await expect(postTransaction(ctx, txn(top, '2026-11-23 10:00', 0))).rejects.toMatchObject({ code: 'E7103' });
    await expect(postTransaction(ctx, txn(top, '2026-11-23 10:00', 5, { accountClass: '未知' }))).rejects.toMatchObject(
      {
        code: 'E7104',
      },
    );
    await expect(postTransaction(ctx, txn(999999, '2026-11-23 10:00', 5))).rejects.toMatchObject({ code: 'E7108' });
  });

  it('works inside the caller transaction and rolls back with it', async () => {
    await expect(
      h.db().transaction(async (trx) => {
        await postTransaction(
          { ...ctx, db: trx, settings: ctx.settings.withDb(trx) },
          txn(top, '2026-11-23 10:00', 100, { ref: 'L-RB' }),
        );
        throw new Error('caller failed');
      }),
    ).rejects.toThrow('caller failed');
    expect(await h.db()('settlement_transactions').where({ ref: 'L-RB' }).first()).toBeUndefined();
  });

  it('sends a transaction for a cut-off day to the next open day, flagged late', async () => {
    await h.db()('business_days').insert({ date: '2026-11-25', state: 'cut_off', forced: false });
    const r = await postTransaction(ctx, txn(top, '2026-11-25 11:00', 500, { ref: 'L-LATE' }));
    expect(r.transaction).toMatchObject({ businessDate: '2026-11-26', late: true });
  });

  it('bulk posting: inserted, unchanged, conflicts and rejects by index', async () => {
    const rows = [
      txn(child, '2026-11-24 09:00', 100, { ref: 'B-1' }),
      txn(child, '2026-11-24 09:00', 100, { ref: 'B-1' }), // duplicate in chunk, same content
      txn(child, '2026-11-24 09:00', 101, { ref: 'B-1' }), // duplicate in chunk, different
      txn(child, '2026-11-23 15:30:00', 12346, { ref: 'L-1' }), // conflict with the database
      txn(child, '2026-11-23 15:30:00', 12345, { ref: 'X', kind: 'bogus' as 'payment' }),
      txn(424242, '2026-11-23 15:30:00', 1, { ref: 'B-2' }),
      txn(child, '2026-11-25 15:00', 7, { ref: 'B-3', kind: 'refund' }),
    ];
    const r = await postTransactions(ctx, rows);
    expect(r.statuses).toEqual(['inserted', 'unchanged', 'rejected', 'rejected', 'rejected', 'rejected', 'inserted']);
    expect(r.rejected.map((x) => x.code)).toEqual(['E7105', 'E7105', 'E7102', 'E7108']);
    const b3 = await h.db()('settlement_transactions').where({ ref: 'B-3' }).first();
    expect(b3.business_date).toBe('2026-11-26');
    expect(Boolean(Number(b3.late))).toBe(true);
    expect(b3.unit_code).toBe('110000001');
  });
});
