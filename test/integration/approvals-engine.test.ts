import { beforeAll, describe, expect, it } from 'vitest';
import { CrmError } from '../../src/domain/errors.js';
import { delegate, listDelegations, setFlow, showFlow } from '../../src/services/approvals/flows.js';
import {
  approveRequest,
  listRequests,
  pendingApprovalsFor,
  rejectRequest,
  resubmitRequest,
  settleRequest,
  showRequest,
  submitRequest,
  withdrawRequest,
} from '../../src/services/approvals/requests.js';
import {
  approveOrder,
  cancelOrder,
  createOrder,
  rejectOrder,
  showOrder,
  submitOrder,
} from '../../src/services/orders/orders.js';
import { addProduct } from '../../src/services/orders/products.js';
import { isolatedEnv, runCliAsync } from '../support/cli.js';
import { type DbHarness, describeEachDb } from '../support/db.js';
import { testTempDir } from '../support/tmp.js';

/** The error's code and exit code, or 'ok'. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CrmError) return `${err.code}/${err.exitCode}`;
    throw err;
  }
  return 'ok';
}

async function addCustomer(h: DbHarness, code: string, owner: string): Promise<void> {
  const db = h.db();
  const ownerRow = await db('users').where({ name: owner }).first('id');
  await db('customers').insert({
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

const count = async (h: DbHarness, table: string) => Number((await h.db()(table).count({ n: '*' }).first())?.n);

describeEachDb('approvals engine', (h) => {
  beforeAll(async () => {
    // vic (executive) ← carol (manager) ← bob, dave (sales); erin (manager) ← fay (sales).
    await h.addUser('vic', 'executive');
    await h.addUser('carol', 'manager', 'vic');
    await h.addUser('bob', 'sales', 'carol');
    await h.addUser('dave', 'sales', 'carol');
    await h.addUser('erin', 'manager');
    await h.addUser('fay', 'sales', 'erin');
    await addCustomer(h, 'C-BOB', 'bob');
    await addCustomer(h, 'C-FAY', 'fay');
    await addProduct(await h.as(), { code: 'P-ONE', name: 'one', priceFen: 100 });
  });

  it('a two-step expense: the manager approves, the executive step opens, the executive rejects with a reason', async () => {
    const bob = await h.as('bob');
    const r = await submitRequest(bob, { type: 'expense', title: '11月北京出差报销', amount: '6200.00', cc: ['dave'] });
    expect(r).toMatchObject({ status: 'pending', step: 1, amountFen: 620_000, waitingFor: ['carol'], cc: ['dave'] });
    expect(r.steps.map((s) => [s.approver, s.aboveFen, s.status])).toEqual([
      ['manager', null, 'pending'],
      ['executive', 500_000, 'waiting'],
    ]);
    expect(await refusal(approveRequest(bob, r.id))).toBe('E4210/4'); // nobody approves their own
    expect(await refusal(approveRequest(await h.as('erin'), r.id))).toBe('E4211/4'); // another team's manager
    expect(await refusal(approveRequest(await h.as('dave'), r.id))).toBe('E4211/4'); // a peer, though copied
    const afterManager = await approveRequest(await h.as('carol'), r.id, '同意');
    expect(afterManager).toMatchObject({ status: 'pending', step: 2, waitingFor: ['vic'] });
    expect(await refusal(approveRequest(await h.as('carol'), r.id))).toBe('E4211/4'); // step 2 is an executive's
    expect(await refusal(rejectRequest(await h.as('vic'), r.id, '  '))).toBe('E4213/2');
    const rejected = await rejectRequest(await h.as('vic'), r.id, '超出差旅标准');
    expect(rejected).toMatchObject({ status: 'rejected', step: null, rejectReason: '超出差旅标准' });
    expect(rejected.decisions.map((d) => [d.step, d.by, d.decision, d.comment])).toEqual([
      [1, 'carol', 'approved', '同意'],
      [2, 'vic', 'rejected', '超出差旅标准'],
    ]);
    expect(await refusal(approveRequest(await h.as('vic'), r.id))).toBe('E4212/5'); // decided once
    expect(await refusal(withdrawRequest(bob, r.id))).toBe('E4215/5');
    // The copied colleague sees it in --cc; the requester in --mine; an outsider may not look.
    expect((await listRequests(await h.as('dave'), { box: 'cc' })).map((x) => x.id)).toContain(r.id);
    expect((await listRequests(bob, { box: 'mine', status: 'rejected' })).map((x) => x.id)).toContain(r.id);
    expect(await refusal(showRequest(await h.as('fay'), r.id))).toBe('E4206/4');
    // Resubmitted: a new round through the flow as it is now.
    const again = await resubmitRequest(bob, r.id);
    expect(again).toMatchObject({ status: 'pending', round: 2, step: 1, waitingFor: ['carol'] });
    const actions = await h
      .db()('audit_log')
      .where({ entity: 'approval', entity_id: String(r.id) })
      .select('action');
    expect(actions.map((a: { action: string }) => a.action)).toEqual([
      'approvals.submit',
      'approvals.approve',
      'approvals.reject',
      'approvals.resubmit',
    ]);
  });

  it('an expense of exactly 5000.00 has the manager step only; a top manager’s leave goes to their executive', async () => {
    const r = await submitRequest(await h.as('bob'), { type: 'expense', title: 'taxi', amount: '5000' });
    expect(r.steps.map((s) => s.approver)).toEqual(['manager']);
    expect((await approveRequest(await h.as('carol'), r.id)).status).toBe('approved');
    const leave = await submitRequest(await h.as('carol'), {
      type: 'leave',
      title: '年假',
      from: '2026-12-01',
      to: '2026-12-03',
    });
    expect(leave.waitingFor).toEqual(['vic']);
    // erin has nobody above her: her manager step waits for an admin.
    const top = await submitRequest(await h.as('erin'), { type: 'general', title: '采购打印机' });
    expect(top.waitingFor).toEqual(['admin']);
    expect((await approveRequest(await h.as('admin'), top.id)).status).toBe('approved');
  });

  it('bad input is refused with its code, and nothing is written', async () => {
    const bob = await h.as('bob');
    const before = await count(h, 'approval_requests');
    const audits = await count(h, 'audit_log');
    expect(await refusal(submitRequest(bob, { type: 'holiday', title: 'x' }))).toBe('E4201/2');
    expect(await refusal(submitRequest(bob, { type: 'expense', title: 'x', amount: '12.345' }))).toBe('E4202/2');
    expect(await refusal(submitRequest(bob, { type: 'expense', title: 'x', amount: '-5' }))).toBe('E4202/2');
    expect(await refusal(submitRequest(bob, { type: 'expense', title: 'x' }))).toBe('E4204/2');
    expect(await refusal(submitRequest(bob, { type: 'leave', title: 'x', from: '2026-12-03', to: '2026-12-01' }))).toBe(
      'E4203/2',
    );
    expect(await refusal(submitRequest(bob, { type: 'leave', title: 'x', from: '2026-12-03' }))).toBe('E4204/2');
    expect(await refusal(submitRequest(bob, { type: 'order', title: 'x' }))).toBe('E4208/2');
    expect(
      await refusal(submitRequest(bob, { type: 'gift', title: 'x', customer: 'C-BOB', items: ['茶叶:two:100'] })),
    ).toBe('E4207/2');
    expect(
      await refusal(submitRequest(bob, { type: 'gift', title: 'x', customer: 'C-FAY', items: ['茶叶:2:100'] })),
    ).toBe('E6111/4'); // not bob's customer
    expect(await refusal(submitRequest(bob, { type: 'general', title: 'x', cc: ['nobody'] }))).toBe('E4221/2');
    expect(await refusal(approveRequest(bob, 99_999))).toBe('E4205/3');
    expect(await count(h, 'approval_requests')).toBe(before);
    expect(await count(h, 'audit_log')).toBe(audits);
  });

  it('reception and gift carry the forms’ fields; the approved budget is settled against actual spending once', async () => {
    const bob = await h.as('bob');
    const reception = await submitRequest(bob, {
      type: 'reception',
      title: '招待市财政局',
      customer: 'C-BOB',
      items: ['午餐:1500', '酒水:600.50'],
      attendees: '张三,李四',
    });
    expect(reception).toMatchObject({ amountFen: 210_050, customer: 'C-BOB', attendees: '张三,李四' });
    expect(reception.steps.map((s) => s.approver)).toEqual(['manager', 'executive']); // above 2000.00
    const gift = await submitRequest(bob, {
      type: 'gift',
      title: '新年礼品',
      customer: 'C-BOB',
      items: ['茶叶礼盒:4:1200'],
    });
    expect(gift.items).toEqual([{ name: '茶叶礼盒', quantity: 4, budgetFen: 120_000 }]);
    expect(gift.steps.map((s) => s.approver)).toEqual(['manager']);
    expect(await refusal(settleRequest(bob, gift.id, '1100'))).toBe('E4230/5'); // not approved yet
    await approveRequest(await h.as('carol'), gift.id);
    expect(await refusal(settleRequest(await h.as('carol'), gift.id, '1100'))).toBe('E4214/4');
    expect(await refusal(settleRequest(bob, gift.id, 'abc'))).toBe('E4202/2');
    const settled = await settleRequest(bob, gift.id, '1180.00', '发票 1 张');
    expect(settled).toMatchObject({ actualFen: 118_000, actualNote: '发票 1 张' });
    expect(await refusal(settleRequest(bob, gift.id, '1'))).toBe('E4230/5');
  });

  it('withdraw and resubmit belong to the requester; a withdrawn request leaves the approver’s queue', async () => {
    const bob = await h.as('bob');
    const r = await submitRequest(bob, { type: 'overtime', title: '周末加班', from: '2026-11-28', to: '2026-11-28' });
    expect((await pendingApprovalsFor(await h.as(), 'carol')).map((p) => p.id)).toContain(r.id);
    expect(await refusal(withdrawRequest(await h.as('carol'), r.id))).toBe('E4214/4');
    expect(await refusal(resubmitRequest(bob, r.id))).toBe('E4216/5');
    expect((await withdrawRequest(bob, r.id)).status).toBe('withdrawn');
    expect((await pendingApprovalsFor(await h.as(), 'carol')).map((p) => p.id)).not.toContain(r.id);
    expect(await refusal(approveRequest(await h.as('carol'), r.id))).toBe('E4212/5');
  });

  it('a delegate decides while the approver is away, recorded on the decision; not before, not after', async () => {
    const fay = await h.as('fay');
    const erin = await h.as('erin');
    const r = await submitRequest(fay, { type: 'travel', title: '上海出差', from: '2026-11-24', to: '2026-11-26' });
    expect(r.waitingFor).toEqual(['erin']);
    expect(await refusal(approveRequest(await h.as('carol'), r.id))).toBe('E4211/4');
    // erin is away from tomorrow: today carol may not yet decide for her.
    await delegate(erin, { to: 'carol', from: '2026-11-24', toDate: '2026-11-27' });
    expect(await refusal(approveRequest(await h.as('carol'), r.id))).toBe('E4211/4');
    expect(await refusal(delegate(erin, { to: 'dave', from: '2026-11-27', toDate: '2026-11-30' }))).toBe('E4226/5');
    expect(await refusal(delegate(erin, { to: 'erin', from: '2026-12-01', toDate: '2026-12-02' }))).toBe('E4225/2');
    expect(await refusal(delegate(erin, { to: 'dave', from: '2026-12-02', toDate: '2026-12-01' }))).toBe('E4203/2');
    h.clock.set('2026-11-25T09:00:00+08:00');
    try {
      expect((await pendingApprovalsFor(await h.as(), 'carol')).map((p) => p.id)).toContain(r.id);
      expect((await listRequests(await h.as('carol'), { box: 'to-me' })).map((x) => x.id)).toContain(r.id);
      const done = await approveRequest(await h.as('carol'), r.id, '代批');
      expect(done.status).toBe('approved');
      expect(done.decisions).toEqual([
        expect.objectContaining({ by: 'carol', onBehalfOf: 'erin', decision: 'approved', comment: '代批' }),
      ]);
      expect((await listDelegations(erin)).map((d) => [d.from, d.to, d.fromDate, d.toDate])).toEqual([
        ['erin', 'carol', '2026-11-24', '2026-11-27'],
      ]);
      h.clock.set('2026-11-30T09:00:00+08:00'); // back: the delegation is over
      const later = await submitRequest(fay, { type: 'general', title: 'x' });
      expect(await refusal(approveRequest(await h.as('carol'), later.id))).toBe('E4211/4');
    } finally {
      h.clock.set('2026-11-23T10:00:00+08:00');
    }
  });

  describe('orders on the engine', () => {
    it('an order above the limits waits in the manager’s queue and is decided through the engine', async () => {
      const bob = await h.as('bob');
      const o = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1:100:20'] });
      expect((await submitOrder(bob, o.number)).status).toBe('submitted');
      const queue = await pendingApprovalsFor(await h.as(), 'carol');
      const mine = queue.find((p) => p.title === o.number);
      expect(mine).toMatchObject({ type: 'order', requester: 'bob', command: `crm orders approve ${o.number}` });
      const listed = await listRequests(await h.as('carol'), { box: 'to-me', type: 'order' });
      expect(listed.map((x) => x.order)).toContain(o.number);
      // Decided from the approvals side, the order moves too.
      const r = await approveRequest(await h.as('carol'), mine!.id, 'ok');
      expect(r.status).toBe('approved');
      expect(await showOrder(bob, o.number)).toMatchObject({ status: 'approved', approvedBy: 'carol' });
      // Within the limits: approved on submit, no request.
      const small = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1'] });
      expect((await submitOrder(bob, small.number)).status).toBe('approved');
      const order = await h.db()('orders').where({ number: small.number }).first('id');
      expect(await h.db()('approval_requests').where({ order_id: order.id }).first()).toBeUndefined();
    });

    it('an order flow with a second step: the manager approves, the order waits for the executive', async () => {
      await setFlow(await h.as(), 'order', { steps: ['manager', 'executive>50'] });
      try {
        const bob = await h.as('bob');
        const o = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1:100:20'] }); // 80.00
        await submitOrder(bob, o.number);
        expect((await approveOrder(await h.as('carol'), o.number)).status).toBe('submitted');
        expect(await refusal(approveOrder(await h.as('carol'), o.number))).toBe('E4211/4');
        const rejected = await rejectOrder(await h.as('vic'), o.number, '价格过低');
        expect(rejected).toMatchObject({ status: 'rejected', rejectReason: '价格过低' });
        const req = (await listRequests(await h.as(), { box: 'all', type: 'order' })).find((x) => x.order === o.number);
        expect(req?.decisions.map((d) => [d.step, d.by, d.decision])).toEqual([
          [1, 'carol', 'approved'],
          [2, 'vic', 'rejected'],
        ]);
        // A flow step naming a user: they decide, though the order is outside their data scope.
        await setFlow(await h.as(), 'order', { steps: ['user:fay'] });
        const named = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1:100:20'] });
        await submitOrder(bob, named.number);
        expect(await refusal(approveOrder(await h.as('carol'), named.number))).toBe('E4211/4');
        expect(await refusal(approveOrder(await h.as('dave'), named.number))).toBe('E4001/4');
        expect((await approveOrder(await h.as('fay'), named.number)).approvedBy).toBe('fay');
        await setFlow(await h.as(), 'order', { steps: ['manager', 'executive>50'] });
        // Edited and submitted again: a new round of the same request.
        const again = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1:40:20'] }); // 32.00: one step
        await submitOrder(bob, again.number);
        expect((await approveOrder(await h.as('carol'), again.number)).status).toBe('approved');
      } finally {
        await setFlow(await h.as(), 'order', { reset: true });
      }
      expect((await showFlow(await h.as(), 'order')).isDefault).toBe(true);
    });

    it('a cancelled order withdraws its request; an order submitted before the engine is put on it when decided', async () => {
      const bob = await h.as('bob');
      const o = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1:100:20'] });
      await submitOrder(bob, o.number);
      await cancelOrder(bob, o.number, 'customer changed their mind');
      const row = await h.db()('orders').where({ number: o.number }).first('id');
      expect((await h.db()('approval_requests').where({ order_id: row.id }).first()).status).toBe('withdrawn');
      const legacy = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1:100:20'] });
      const l = await h.db()('orders').where({ number: legacy.number }).first('id');
      await h.db()('orders').where({ id: l.id }).update({ status: 'submitted', needs_approval: true });
      expect((await approveOrder(await h.as('carol'), legacy.number)).status).toBe('approved');
      expect((await h.db()('approval_requests').where({ order_id: l.id }).first()).status).toBe('approved');
    });
  });

  it('flows: only admins change them; a bad step or an unknown user is refused; off approves on submit', async () => {
    expect(await refusal(setFlow(await h.as('carol'), 'general', { enabled: false }))).toBe('E4001/4');
    expect(await refusal(setFlow(await h.as(), 'general', { steps: ['boss'] }))).toBe('E4220/2');
    expect(await refusal(setFlow(await h.as(), 'general', { steps: ['executive>abc'] }))).toBe('E4220/2');
    expect(await refusal(setFlow(await h.as(), 'general', { steps: ['user:nobody'] }))).toBe('E4221/2');
    expect(await refusal(setFlow(await h.as(), 'nothing', { enabled: false }))).toBe('E4201/2');
    await setFlow(await h.as(), 'general', { enabled: false });
    try {
      const r = await submitRequest(await h.as('bob'), { type: 'general', title: '办公用品' });
      expect(r).toMatchObject({ status: 'approved', steps: [] });
      await setFlow(await h.as(), 'general', { enabled: true, steps: ['user:erin', 'manager+1'] });
      const two = await submitRequest(await h.as('bob'), { type: 'general', title: '培训' });
      expect(two.waitingFor).toEqual(['erin']);
      await approveRequest(await h.as('erin'), two.id);
      expect((await showRequest(await h.as('bob'), two.id)).waitingFor).toEqual(['vic']); // two levels above bob
      expect(await refusal(approveRequest(await h.as('carol'), two.id))).toBe('E4211/4'); // one level: too low
    } finally {
      await setFlow(await h.as(), 'general', { reset: true });
    }
  });

  it('two approvers deciding the same step at once from two processes: exactly one decision', async () => {
    const r = await submitRequest(await h.as('bob'), { type: 'loan', title: '备用金', amount: '3000' });
    const home = testTempDir('crm-approvals-');
    const env = (user: string) =>
      isolatedEnv(home, { CRM_DATABASE_URL: h.url(), CRM_USER: user, CRM_NOW: '2026-11-23T10:05:00+08:00' });
    const results = await Promise.all([
      runCliAsync(['approvals', 'approve', String(r.id), '--json'], env('carol')),
      runCliAsync(['approvals', 'reject', String(r.id), '--reason', 'no', '--json'], env('admin')),
      runCliAsync(['approvals', 'approve', String(r.id), '--json'], env('vic')),
    ]);
    const codes = results.map((x) => x.code).sort();
    expect(codes, results.map((x) => x.stdout + x.stderr).join('\n')).toEqual([0, 5, 5]);
    for (const f of results.filter((x) => x.code === 5)) expect(JSON.parse(f.stdout).error.code).toBe('E4212');
    const decisions = await h.db()('approval_decisions').where({ request_id: r.id });
    expect(decisions).toHaveLength(1);
    const winner = results.find((x) => x.code === 0)!;
    expect(JSON.parse(winner.stdout)).toMatchObject({ id: r.id, status: decisions[0].decision, step: null });
  }, 60_000);
});
