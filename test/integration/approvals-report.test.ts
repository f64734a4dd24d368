import { beforeAll, expect, it } from 'vitest';
import { approvalsReport } from '../../src/services/approvals/report.js';
import { approveRequest, rejectRequest, settleRequest, submitRequest } from '../../src/services/approvals/requests.js';
import { type DbHarness, describeEachDb } from '../support/db.js';

async function addCustomer(h: DbHarness, code: string, owner: string): Promise<void> {
  const ownerRow = await h.db()('users').where({ name: owner }).first('id');
  await h
    .db()('customers')
    .insert({
      code,
      name: `客户 ${code}`,
      name_norm: `客户${code}`,
      kind: 'unit',
      owner_id: ownerRow.id,
      status: 'active',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    });
}

const month = { from: '2026-11-01', to: '2026-11-30' };

describeEachDb('approvals report', (h) => {
  beforeAll(async () => {
    await h.addUser('vic', 'executive');
    await h.addUser('carol', 'manager', 'vic');
    await h.addUser('bob', 'sales', 'carol');
    await h.addUser('erin', 'manager');
    await h.addUser('fay', 'sales', 'erin');
    await addCustomer(h, 'C-BOB', 'bob');
    const at = (iso: string) => h.clock.set(iso);
    // Monday 11-23: an expense (two steps), a gift and a reception; fay's leave stays pending.
    at('2026-11-23T10:00:00+08:00');
    const bob = await h.as('bob');
    const expense = await submitRequest(bob, { type: 'expense', title: '报销', amount: '6200' });
    const gift = await submitRequest(bob, { type: 'gift', title: '礼品', customer: 'C-BOB', items: ['茶叶:4:1200'] });
    const reception = await submitRequest(bob, {
      type: 'reception',
      title: '招待',
      customer: 'C-BOB',
      items: ['午餐:1500', '酒水:600.50'],
    });
    await approveRequest(await h.as('carol'), reception.id);
    await approveRequest(await h.as('vic'), reception.id);
    await submitRequest(await h.as('fay'), { type: 'leave', title: '年假', from: '2026-12-01', to: '2026-12-02' });
    at('2026-11-24T10:00:00+08:00');
    await approveRequest(await h.as('carol'), gift.id);
    await settleRequest(await h.as('bob'), gift.id, '1100');
    at('2026-11-25T10:00:00+08:00');
    await approveRequest(await h.as('carol'), expense.id);
    at('2026-11-26T10:00:00+08:00');
    await rejectRequest(await h.as('vic'), expense.id, '超标');
    at('2026-11-30T10:00:00+08:00');
  });

  it('per type: counts per status, amounts, mean working days from submission to decision', async () => {
    const model = await approvalsReport(await h.as(), month);
    expect(model.rows).toEqual([
      {
        type: 'expense',
        submitted: 1,
        pending: 0,
        approved: 0,
        rejected: 1,
        withdrawn: 0,
        amount: 620_000,
        meanDays: '3.00',
      },
      {
        type: 'gift',
        submitted: 1,
        pending: 0,
        approved: 1,
        rejected: 0,
        withdrawn: 0,
        amount: 120_000,
        meanDays: '1.00',
      },
      { type: 'leave', submitted: 1, pending: 1, approved: 0, rejected: 0, withdrawn: 0, amount: 0, meanDays: '' },
      {
        type: 'reception',
        submitted: 1,
        pending: 0,
        approved: 1,
        rejected: 0,
        withdrawn: 0,
        amount: 210_050,
        meanDays: '0.00',
      },
    ]);
    expect(model.totals).toMatchObject({ submitted: 4, approved: 2, meanDays: '1.33' });
  });

  it('per approver: decisions and the working days their steps waited', async () => {
    const model = await approvalsReport(await h.as(), { ...month, by: 'approver' });
    expect(model.rows).toEqual([
      { approver: 'carol', decisions: 3, approved: 3, rejected: 0, onBehalf: 0, meanDays: '1.00' },
      { approver: 'vic', decisions: 2, approved: 1, rejected: 1, onBehalf: 0, meanDays: '0.50' },
    ]);
  });

  it('spending: approved budgets against what was spent, per requester and customer; scoped to the reader', async () => {
    const model = await approvalsReport(await h.as(), { ...month, by: 'spending' });
    expect(model.rows).toEqual([
      {
        requester: 'bob',
        customer: 'C-BOB',
        type: 'gift',
        approved: 1,
        budget: 120_000,
        settled: 1,
        settledBudget: 120_000,
        actual: 110_000,
        difference: 10_000,
      },
      {
        requester: 'bob',
        customer: 'C-BOB',
        type: 'reception',
        approved: 1,
        budget: 210_050,
        settled: 0,
        settledBudget: 0,
        actual: 0,
        difference: 0,
      },
    ]);
    // erin's team has only fay's pending leave; a period without requests is empty.
    expect((await approvalsReport(await h.as('erin'), month)).rows.map((r) => r.type)).toEqual(['leave']);
    expect((await approvalsReport(await h.as(), { from: '2026-10-01', to: '2026-10-31' })).rows).toEqual([]);
    await expect(approvalsReport(await h.as(), { ...month, by: 'month' })).rejects.toMatchObject({
      code: 'E4241',
      exitCode: 2,
    });
  });
});
