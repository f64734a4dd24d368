import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { CrmError } from '../../src/domain/errors.js';
import { parseYuan } from '../../src/domain/money.js';
import {
  addOpportunity,
  closeOpportunity,
  setStage,
  showOpportunity,
} from '../../src/services/orders/opportunities.js';
import {
  approveOrder,
  cancelOrder,
  createOrder,
  editOrder,
  listOrders,
  rejectOrder,
  showOrder,
  submitOrder,
} from '../../src/services/orders/orders.js';
import { receivePayment, refundPayment } from '../../src/services/orders/payments.js';
import { setPlan } from '../../src/services/orders/plans.js';
import { addProduct, listProducts, setOnSale } from '../../src/services/orders/products.js';
import { markOverdue } from '../../src/services/orders/receivables.js';
import { isolatedEnv, runCli, runCliAsync } from '../support/cli.js';
import { type DbHarness, describeEachDb } from '../support/db.js';
import { testTempDir } from '../support/tmp.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CrmError) return err.code;
    throw err;
  }
  return 'ok';
}

/** Customers straight into the table (the customers service is another engineer's). */
async function addCustomer(h: DbHarness, custCode: string, owner: string | null): Promise<void> {
  const db = h.db();
  const ownerRow = owner ? await db('users').where({ name: owner }).first('id') : null;
  await db('customers').insert({
    code: custCode,
    name: `客户 ${custCode}`,
    name_norm: `客户${custCode}`,
    kind: 'unit',
    owner_id: ownerRow ? ownerRow.id : null,
    status: 'active',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  });
}

const at = (s: string) => new Date(s);

describeEachDb('orders', (h) => {
  beforeAll(async () => {
    await h.addUser('carol', 'manager');
    await h.addUser('bob', 'sales', 'carol');
    await h.addUser('dave', 'sales', 'carol');
    await h.addUser('erin', 'manager');
    await addCustomer(h, 'C-BOB', 'bob');
    await addCustomer(h, 'C-DAVE', 'dave');
    const admin = await h.as();
    await addProduct(admin, { code: 'P-ODD', name: 'odd', priceFen: 33333, category: '硬件/服务器' }); // 333.33
    await addProduct(admin, { code: 'P-BIG', name: 'big', priceFen: 5_000_000 }); // 50000.00
    await addProduct(admin, { code: 'P-ONE', name: 'one', priceFen: 100 });
  });

  it('products: catalogue writes need a manager; categories include subcategories; off-sale cannot be ordered', async () => {
    const bob = await h.as('bob');
    expect(await code(addProduct(bob, { code: 'X', name: 'x', priceFen: 1 }))).toBe('E4001');
    expect(await code(addProduct(await h.as(), { code: 'P-ODD', name: 'dup', priceFen: 1 }))).toBe('E6102');
    expect(await code(addProduct(await h.as(), { code: 'A:B', name: 'colon', priceFen: 1 }))).toBe('E6106');
    expect((await listProducts(bob, { category: '硬件' })).map((p) => p.code)).toEqual(['P-ODD']);
    await addProduct(await h.as(), { code: 'P-OFF', name: 'off', priceFen: 1 });
    await setOnSale(await h.as(), 'P-OFF', false);
    expect(await code(createOrder(bob, { customer: 'C-BOB', items: ['P-OFF:1'] }))).toBe('E6105');
  });

  it('totals: exact fen, half-up once per line, awkward prices and discounts', async () => {
    const bob = await h.as('bob');
    // 3 × 333.33 × (1 − 12.5%) = 874.99125 → 874.99; 0.333 × 333.33 = 110.99889 → 111.00;
    // 1 × 0.01 at 50% = 0.005 → 0.01 (half-up); 7 × 19.99 × (1 − 33.33%) = 93.293... → 93.29
    const o = await createOrder(bob, {
      customer: 'C-BOB',
      items: ['P-ODD:3::12.5%', 'P-ODD:0.333', 'P-ONE:1:0.01:50', 'P-ONE:7:19.99:33.33'],
    });
    expect(o.items.map((i) => i.subtotalFen)).toEqual([87499, 11100, 1, 9329]);
    expect(o.totalFen).toBe(87499 + 11100 + 1 + 9329);
    expect(o.status).toBe('draft');
    expect(o.number).toMatch(/^SO20261123-\d{4}$/);
    expect(await code(createOrder(bob, { customer: 'C-BOB', items: ['P-ODD:0'] }))).toBe('E6133');
    expect(await code(createOrder(bob, { customer: 'C-BOB', items: ['P-ODD:1.0001'] }))).toBe('E6133');
    expect(await code(createOrder(bob, { customer: 'C-BOB', items: ['P-ODD:1::100'] }))).toBe('E6133');
    expect(await code(createOrder(bob, { customer: 'C-BOB', items: ['P-ODD:1:1.001'] }))).toBe('E1001');
    expect(await code(createOrder(bob, { customer: 'C-BOB', items: [] }))).toBe('E6138');
  });

  it('numbers are generated in sequence and explicit ones must be unique', async () => {
    const bob = await h.as('bob');
    const a = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1'] });
    const b = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1'] });
    expect(Number(b.number.slice(-4))).toBe(Number(a.number.slice(-4)) + 1);
    await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1'], number: 'HT-1' });
    expect(await code(createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1'], number: 'HT-1' }))).toBe('E6134');
  });

  it('approval thresholds on both sides: discount 10% and total 100000.00 pass, above them wait', async () => {
    const bob = await h.as('bob');
    const submit = async (items: string[]) => {
      const o = await createOrder(bob, { customer: 'C-BOB', items });
      return (await submitOrder(bob, o.number)).status;
    };
    expect(await submit(['P-ONE:1:100:10'])).toBe('approved'); // exactly 10%
    expect(await submit(['P-ONE:1:100:10.01'])).toBe('submitted');
    expect(await submit(['P-BIG:2'])).toBe('approved'); // exactly 100000.00
    expect(await submit(['P-BIG:2', 'P-ONE:1:0.01'])).toBe('submitted'); // 100000.01
  });

  it('approve and reject: the owner’s manager or an admin; not the owner, not another team’s manager', async () => {
    const bob = await h.as('bob');
    const o = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1:100:20'] });
    expect((await submitOrder(bob, o.number)).status).toBe('submitted');
    expect(await code(approveOrder(bob, o.number))).toBe('E4001');
    expect(await code(approveOrder(await h.as('erin'), o.number))).toBe('E6131');
    expect(await code(rejectOrder(await h.as('carol'), o.number, ' '))).toBe('E6136');
    const rejected = await rejectOrder(await h.as('carol'), o.number, 'too much discount');
    expect(rejected.status).toBe('rejected');
    expect(rejected.rejectReason).toBe('too much discount');
    const edited = await editOrder(bob, o.number, { items: ['P-ONE:1:100:5'] });
    expect(edited.status).toBe('draft');
    expect(edited.totalFen).toBe(9500);
    const o2 = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1:100:20'] });
    await submitOrder(bob, o2.number);
    const approved = await approveOrder(await h.as('carol'), o2.number);
    expect(approved.status).toBe('approved');
    expect(approved.approvedBy).toBe('carol');
    expect(await code(editOrder(bob, o2.number, { signedAt: '2026-11-01' }))).toBe('E6132');
    const audit = await h.db()('audit_log').where({ entity: 'order', entity_id: o2.number }).select('action');
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'orders.create',
      'orders.submit',
      'orders.approve',
    ]);
  });

  it('data scope: a sales user sees and pays only their own; a manager sees the team', async () => {
    const dave = await h.as('dave');
    const mine = await createOrder(dave, { customer: 'C-DAVE', items: ['P-ONE:10'] });
    await submitOrder(dave, mine.number);
    expect(await code(createOrder(dave, { customer: 'C-BOB', items: ['P-ONE:1'] }))).toBe('E6111');
    const bob = await h.as('bob');
    expect(await code(showOrder(bob, mine.number))).toBe('E6131');
    expect(await code(receivePayment(bob, mine.number, { amountFen: 100, at: at('2026-11-23T10:00:00+08:00') }))).toBe(
      'E6131',
    );
    expect((await listOrders(bob)).every((o) => o.owner === 'bob')).toBe(true);
    const team = new Set((await listOrders(await h.as('carol'))).map((o) => o.owner));
    expect([...team].sort()).toEqual(['bob', 'dave']);
    expect(await listOrders(await h.as('erin'))).toEqual([]);
    expect((await listOrders(dave, { status: 'approved' })).map((o) => o.number)).toEqual([mine.number]);
  });

  it('plan, receipts, refunds, settlement transactions and show', async () => {
    // The money below is recorded up to 12:00; money is never recorded ahead of the clock.
    h.clock.set('2026-11-23T12:00:00+08:00');
    onTestFinished(() => h.clock.set('2026-11-23T10:00:00+08:00'));
    const bob = await h.as('bob');
    const o = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1:1000'], signedAt: '2026-11-20' });
    expect(await code(setPlan(bob, o.number, ['2026-12-01:600', '2027-01-01:400.01']))).toBe('E6140');
    await setPlan(bob, o.number, ['2027-01-01:400', '2026-12-01:600']);
    expect(await code(receivePayment(bob, o.number, { amountFen: 100, at: at('2026-11-23T10:00:00+08:00') }))).toBe(
      'E6132',
    ); // still a draft
    await submitOrder(bob, o.number);
    const r1 = await receivePayment(bob, o.number, {
      amountFen: parseYuan('700'),
      at: at('2026-11-23T10:00:00+08:00'),
      ref: 'BANK-1',
      account: '6222',
    });
    expect(r1.status).toBe('inserted');
    expect(r1.order.plan.map((p) => [p.number, p.dueDate, p.paidFen, p.status])).toEqual([
      [1, '2026-12-01', 60000, 'paid'],
      [2, '2027-01-01', 10000, 'partly_paid'],
    ]);
    // the same ref and content: a no-op; other content: refused
    const again = await receivePayment(bob, o.number, {
      amountFen: parseYuan('700'),
      at: at('2026-11-23T10:00:00+08:00'),
      ref: 'BANK-1',
      account: '6222',
    });
    expect(again.status).toBe('unchanged');
    expect(again.order.receivedFen).toBe(70000);
    expect(
      await code(
        receivePayment(bob, o.number, { amountFen: 70001, at: at('2026-11-23T10:00:00+08:00'), ref: 'BANK-1' }),
      ),
    ).toBe('E6152');
    expect(await code(receivePayment(bob, o.number, { amountFen: 30001, at: at('2026-11-23T11:00:00+08:00') }))).toBe(
      'E6150',
    );
    expect(
      await code(refundPayment(bob, o.number, { amountFen: 70001, at: at('2026-11-23T12:00:00+08:00'), reason: 'x' })),
    ).toBe('E6151');
    const ref = await refundPayment(bob, o.number, {
      amountFen: 20000,
      at: at('2026-11-23T12:00:00+08:00'),
      reason: 'over',
    });
    expect(ref.order.receivedFen).toBe(70000);
    expect(ref.order.refundedFen).toBe(20000);
    expect(ref.order.outstandingFen).toBe(50000);
    expect(ref.order.plan.map((p) => [p.paidFen, p.status])).toEqual([
      [50000, 'partly_paid'],
      [0, 'due'],
    ]);
    // a refund after a refund: never more than received minus refunded
    expect(
      await code(refundPayment(bob, o.number, { amountFen: 50001, at: at('2026-11-23T12:00:00+08:00'), reason: 'x' })),
    ).toBe('E6151');
    const txns = await h
      .db()('settlement_transactions')
      .whereIn(
        'ref',
        ref.order.transactions.map((t) => t.ref),
      )
      .orderBy('id');
    expect(txns.map((t: Record<string, unknown>) => [t.kind, Number(t.amount_fen), t.source, t.account_class])).toEqual(
      [
        ['payment', 70000, 'order', '财政授权支付'],
        ['refund', 20000, 'order', '财政授权支付'],
      ],
    );
    // the payment rows: a receipt names the first instalment it paid, a refund the latest it took back
    const instalmentNo = new Map(ref.order.plan.map((p) => [p.id, p.number]));
    const payments = await h.db()('order_payments').where({ order_id: ref.order.id }).orderBy('id');
    expect(
      payments.map((p: Record<string, unknown>) => [
        p.kind,
        Number(p.amount_fen),
        instalmentNo.get(Number(p.instalment_id)),
        p.method,
        p.payer_account,
        p.reason,
        p.business_date,
        txns.find((t: Record<string, unknown>) => t.id === p.transaction_id)?.ref === p.ref,
      ]),
    ).toEqual([
      ['receipt', 70000, 1, 'transfer', '6222', null, '2026-11-23', true],
      ['refund', 20000, 2, null, null, 'over', '2026-11-23', true],
    ]);
    expect(ref.order.transactions[0]).toMatchObject({
      ref: 'BANK-1',
      kind: 'payment',
      businessDate: '2026-11-23',
      clearingStatus: 'pending',
    });
    expect(await code(cancelOrder(bob, o.number))).toBe('E6139');
    expect(await code(setPlan(bob, o.number, ['2026-12-01:100']))).toBe('E6142');
  });

  it('a ref taken by a bank feed transaction is refused, and a failed receipt leaves nothing behind', async () => {
    const bob = await h.as('bob');
    const o = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1:100'] });
    await submitOrder(bob, o.number);
    const before = await h.db()('settlement_transactions').count({ n: '*' }).first();
    expect(
      await code(
        receivePayment(bob, o.number, {
          amountFen: 100,
          at: at('2026-11-23T10:00:00+08:00'),
          accountClass: 'nonsense',
        }),
      ),
    ).toBe('E6155');
    const after = await h.db()('settlement_transactions').count({ n: '*' }).first();
    expect(Number(after?.n)).toBe(Number(before?.n));
    expect((await showOrder(bob, o.number)).receivedFen).toBe(0);
  });

  it('money is never recorded ahead of the clock: a receipt or refund at a future --at is refused', async () => {
    const bob = await h.as('bob');
    const o = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1:300'] });
    await submitOrder(bob, o.number);
    // The clock stands at 2026-11-23 10:00 (business time zone).
    await expect(
      receivePayment(bob, o.number, { amountFen: 100, at: at('2026-11-23T10:00:01+08:00') }),
    ).rejects.toMatchObject({ code: 'E6157', exitCode: 2 });
    await expect(
      receivePayment(bob, o.number, { amountFen: 100, at: at('2026-12-23T10:00:00+08:00') }),
    ).rejects.toThrow('the time 2026-12-23 10:00:00 is after now (2026-11-23 10:00:00)');
    await receivePayment(bob, o.number, { amountFen: 100, at: at('2026-11-23T10:00:00+08:00') });
    await expect(
      refundPayment(bob, o.number, { amountFen: 100, at: at('2026-11-24T09:00:00+08:00'), reason: 'typo' }),
    ).rejects.toMatchObject({ code: 'E6157' });
    expect((await showOrder(bob, o.number)).receivedFen).toBe(100);
  });

  it('overdue: compared with the given date; dry run writes nothing; apply marks once', async () => {
    const bob = await h.as('bob');
    const o = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1:300'] });
    await setPlan(bob, o.number, ['2026-12-01:100', '2026-12-02:100', '2026-12-10:100']);
    await submitOrder(bob, o.number);
    await receivePayment(bob, o.number, { amountFen: 5000, at: at('2026-11-23T10:00:00+08:00') });
    const mine = (r: Awaited<ReturnType<typeof markOverdue>>) =>
      r.instalments.filter((i) => i.orderNumber === o.number);
    const dry = await markOverdue(bob, { date: '2026-12-02' });
    expect(mine(dry).map((i) => [i.instalment, i.outstandingFen, i.daysOverdue])).toEqual([[1, 5000, 1]]);
    expect((await showOrder(bob, o.number)).plan.map((p) => p.status)).toEqual(['partly_paid', 'due', 'due']);
    expect(await code(markOverdue(bob, { date: '2026-12-03', apply: true }))).toBe('E4001');
    const applied = await markOverdue(await h.as(), { date: '2026-12-03', apply: true });
    expect(mine(applied).map((i) => i.instalment)).toEqual([1, 2]);
    expect((await showOrder(bob, o.number)).plan.map((p) => p.status)).toEqual(['overdue', 'overdue', 'due']);
    const twice = await markOverdue(await h.as(), { date: '2026-12-03', apply: true });
    expect(twice.marked).toBe(0);
    // paying an overdue instalment in full makes it paid (on that day: money is never recorded ahead of the clock)
    h.clock.set('2026-12-03T10:00:00+08:00');
    onTestFinished(() => h.clock.set('2026-11-23T10:00:00+08:00'));
    await receivePayment(bob, o.number, { amountFen: 5000, at: at('2026-12-03T10:00:00+08:00') });
    expect((await showOrder(bob, o.number)).plan.map((p) => p.status)).toEqual(['paid', 'overdue', 'due']);
  });

  it('opportunities: stages with probabilities, history with time and user, won closes', async () => {
    const bob = await h.as('bob');
    const opp = await addOpportunity(bob, { customer: 'C-BOB', name: '扩容', amountFen: 30_000_000 });
    expect([opp.stage, opp.probability, opp.status, opp.owner]).toEqual(['Prospecting', 10, 'open', 'bob']);
    await setStage(bob, opp.id, 'proposal');
    expect(await code(setStage(bob, opp.id, 'Dreaming'))).toBe('E6121');
    expect(await code(showOpportunity(await h.as('dave'), opp.id))).toBe('E6123');
    const won = await closeOpportunity(bob, opp.id, true);
    expect([won.stage, won.probability, won.status]).toEqual(['Won', 100, 'won']);
    expect(won.history?.map((x) => [x.from, x.to, x.probability, x.user])).toEqual([
      [null, 'Prospecting', 10, 'bob'],
      ['Prospecting', 'Proposal', 50, 'bob'],
      ['Proposal', 'Won', 100, 'bob'],
    ]);
    expect(await code(setStage(bob, opp.id, 'Lost'))).toBe('E6122');
    const o = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1'], opportunity: opp.id });
    expect(o.opportunityId).toBe(opp.id);
    expect(
      await code(createOrder(await h.as('dave'), { customer: 'C-DAVE', items: ['P-ONE:1'], opportunity: opp.id })),
    ).toBe('E6120');
  });

  describe('two pay processes on one order', () => {
    it('cannot overpay', async () => {
      const bob = await h.as('bob');
      const o = await createOrder(bob, { customer: 'C-BOB', items: ['P-ONE:1:1000'] });
      await submitOrder(bob, o.number);
      const home = testTempDir('crm-pay-');
      const env = isolatedEnv(home, {
        CRM_DATABASE_URL: h.url(),
        CRM_USER: 'bob',
        CRM_NOW: '2026-11-23T10:05:00+08:00',
      });
      const pay = (n: number) =>
        runCliAsync(['orders', 'pay', o.number, '--amount', '600', '--at', `2026-11-23 10:0${n}`, '--json'], env);
      const results = await Promise.all([pay(1), pay(2), pay(3)]);
      const codes = results.map((r) => r.code).sort();
      expect(codes, results.map((r) => r.stdout + r.stderr).join('\n')).toEqual([0, 5, 5]);
      const failed = results.filter((r) => r.code === 5);
      for (const f of failed) expect(JSON.parse(f.stdout).error.code).toBe('E6150');
      const after = await showOrder(bob, o.number);
      expect(after.receivedFen).toBe(60000);
      expect(after.transactions).toHaveLength(1);
    }, 60_000);

    it('show --json keeps the contract', async () => {
      const bob = await h.as('bob');
      const o = await createOrder(bob, { customer: 'C-BOB', items: ['P-ODD:2.5::10'] });
      await setPlan(bob, o.number, ['2026-12-31:100']);
      await submitOrder(bob, o.number);
      h.clock.set('2026-11-23T16:00:00+08:00');
      onTestFinished(() => h.clock.set('2026-11-23T10:00:00+08:00'));
      await receivePayment(bob, o.number, { amountFen: 1050, at: at('2026-11-23T16:00:00+08:00'), ref: `J-${h.name}` });
      const home = testTempDir('crm-show-');
      const r = runCli(['orders', 'show', o.number, '--json'], isolatedEnv(home, { CRM_DATABASE_URL: h.url() }));
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j).toMatchObject({
        number: o.number,
        customerCode: 'C-BOB',
        status: 'approved',
        total: '749.99', // 2.5 × 333.33 × 0.9 = 749.9925
        received: '10.50',
        refunded: '0.00',
        outstanding: '739.49',
        plan: [{ number: 1, dueDate: '2026-12-31', amount: '100.00', paid: '10.50', status: 'partly_paid' }],
        transactions: [
          // 16:00 is after the 15:30 cutoff: the next working day
          {
            ref: `J-${h.name}`,
            kind: 'payment',
            amount: '10.50',
            businessDate: '2026-11-24',
            clearingStatus: 'pending',
          },
        ],
      });
      expect(j.items[0]).toMatchObject({
        productCode: 'P-ODD',
        quantity: '2.5',
        unitPrice: '333.33',
        discountPercent: '10',
        subtotal: '749.99',
      });
    }, 30_000);
  });
});
