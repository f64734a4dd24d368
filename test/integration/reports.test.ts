/**
 * Reports against a hand-built fixture whose answers are worked out by hand below (and a few by
 * independent hand-written SQL). Rows go straight into the tables, so these tests do not depend on the
 * customers and orders services. Business time zone Asia/Shanghai (UTC+8): several rows sit on the
 * midnight boundary to check that business dates, not UTC dates, decide the period.
 */
import type { Knex } from 'knex';
import { beforeAll, describe, expect, it } from 'vitest';
import { toJson } from '../../src/reports/render/json.js';
import {
  funnelReport,
  gradingReport,
  listTargets,
  performanceReport,
  poolReport,
  portraitReport,
  productsReport,
  rankingReport,
  receivablesReport,
  setTarget,
  settlementReport,
  targetsReport,
} from '../../src/services/reports/index.js';
import { type DbHarness, describeEachDb } from '../support/db.js';

const NOV = { from: '2026-11-01', to: '2026-11-30' };
const TS = '2026-11-01T00:00:00.000Z';

async function ins(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [id] = await db(table).insert(row);
  return Number(id);
}

interface Ids {
  users: Record<string, number>;
  customers: Record<string, number>;
  orders: Record<string, number>;
}

async function userIds(db: Knex): Promise<Record<string, number>> {
  const rows: { id: number; name: string }[] = await db('users').select('id', 'name');
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.id)]));
}

/** The fixture. Figures are in fen; comments give local (UTC+8) times where it matters. */
async function seed(h: DbHarness): Promise<Ids> {
  await h.addUser('carol', 'manager');
  await h.addUser('bob', 'sales', 'carol');
  await h.addUser('dave', 'sales', 'carol');
  await h.addUser('eve', 'sales');
  await h.addUser('olga', 'operator');
  const db = h.db();
  const u = await userIds(db);
  const customer = (
    code: string,
    owner: string | null,
    grade: string | null,
    industry: string | null,
    createdAt: string,
  ) =>
    ins(db, 'customers', {
      code,
      name: `客户${code}`,
      name_norm: `客户${code}`,
      owner_id: owner ? u[owner] : null,
      grade,
      industry,
      region: '北京',
      created_at: createdAt,
      updated_at: createdAt,
    });
  const c = {
    c1: await customer('C1', 'bob', 'A', 'IT', '2026-11-05T02:00:00.000Z'),
    c2: await customer('C2', 'bob', 'B', '教育', '2026-10-31T17:00:00.000Z'), // local 11-01 01:00: November
    c3: await customer('C3', 'dave', 'A', 'IT', '2026-10-31T15:00:00.000Z'), // local 10-31 23:00: October
    c4: await customer('C4', 'eve', 'C', '教育', '2026-11-10T02:00:00.000Z'),
    c5: await customer('C5', null, null, null, '2026-09-01T02:00:00.000Z'), // in the pool
  };
  const order = (
    n: string,
    owner: string,
    cust: number,
    status: string,
    totalFen: number,
    signedAt: string | null,
    createdAt = '2026-11-02T02:00:00.000Z',
  ) =>
    ins(db, 'orders', {
      number: n,
      customer_id: cust,
      owner_id: u[owner],
      status,
      total_fen: totalFen,
      signed_at: signedAt,
      created_at: createdAt,
      updated_at: createdAt,
    });
  const o = {
    o1: await order('O1', 'bob', c.c1, 'approved', 10000000, '2026-11-10'),
    o2: await order('O2', 'bob', c.c2, 'fulfilled', 234567, null, '2026-10-31T16:30:00.000Z'), // local 11-01 00:30
    o3: await order('O3', 'bob', c.c1, 'cancelled', 500000, '2026-11-12'),
    o4: await order('O4', 'bob', c.c1, 'draft', 70000, null),
    o5: await order('O5', 'dave', c.c3, 'closed', 80001, '2026-10-30'),
    o6: await order('O6', 'dave', c.c3, 'approved', 123456, null, '2026-11-30T16:30:00.000Z'), // local 12-01 00:30
    o7: await order('O7', 'eve', c.c4, 'approved', 99999, '2026-11-20'),
    o8: await order('O8', 'dave', c.c3, 'submitted', 30000, '2026-11-05'),
    o9: await order('O9', 'dave', c.c3, 'rejected', 40000, '2026-11-06'),
  };
  let ref = 0;
  const pay = (orderId: number, kind: string, amountFen: number, businessDate: string) =>
    ins(db, 'order_payments', {
      order_id: orderId,
      kind,
      amount_fen: amountFen,
      at: `${businessDate}T02:00:00.000Z`,
      business_date: businessDate,
      ref: `R${++ref}`,
      created_at: TS,
    });
  await pay(o.o1, 'receipt', 3000000, '2026-11-11');
  await pay(o.o1, 'refund', 50050, '2026-11-15');
  await pay(o.o2, 'receipt', 234567, '2026-11-02');
  await pay(o.o5, 'receipt', 80001, '2026-11-03'); // an October order paid in November
  await pay(o.o7, 'receipt', 10000, '2026-12-01'); // December
  await pay(o.o3, 'receipt', 7000, '2026-10-20'); // on a cancelled order, in October

  const followup = (user: string, cust: number, at: string) =>
    ins(db, 'followups', { customer_id: cust, user_id: u[user], method: 'phone', content: '电话', at, created_at: at });
  await followup('bob', c.c1, '2026-10-31T16:00:00.000Z'); // local 11-01 00:00: November
  await followup('bob', c.c2, '2026-11-20T02:00:00.000Z');
  await followup('bob', c.c1, '2026-10-31T15:59:59.000Z'); // local 10-31 23:59:59: October
  await followup('dave', c.c3, '2026-11-21T02:00:00.000Z');

  const opp = (
    owner: string,
    stage: string,
    probability: number,
    amountFen: number,
    status: string,
    expected: string | null,
    closedAt: string | null = null,
  ) =>
    ins(db, 'opportunities', {
      customer_id: c.c1,
      name: `${stage}-${amountFen}`,
      amount_fen: amountFen,
      stage,
      probability,
      status,
      expected_close_date: expected,
      owner_id: u[owner],
      closed_at: closedAt,
      created_at: TS,
      updated_at: TS,
    });
  await opp('bob', 'Prospecting', 10, 1000005, 'open', '2026-11-20'); // weighted 100000.5 → 100001
  await opp('bob', 'Proposal', 50, 33333, 'open', '2026-12-15'); // 16666.5 → 16667, not this month
  await opp('dave', 'Proposal', 50, 100000, 'open', '2026-11-30'); // 50000
  await opp('eve', 'Negotiation', 80, 50000, 'open', '2026-11-25'); // 40000
  await opp('bob', 'Won', 100, 70000, 'won', null, '2026-11-15T02:00:00.000Z');
  await opp('dave', 'Lost', 0, 90000, 'lost', null, '2026-11-16T02:00:00.000Z');
  await opp('bob', 'Won', 100, 10000, 'won', null, '2026-10-01T02:00:00.000Z'); // October

  const cat1 = await ins(db, 'product_categories', { name: '服务器', path: '硬件/服务器', created_at: TS });
  const cat2 = await ins(db, 'product_categories', { name: '软件', path: '软件', created_at: TS });
  const product = (code: string, cat: number) =>
    ins(db, 'products', {
      code,
      name: `产品${code}`,
      category_id: cat,
      price_fen: 100,
      created_at: TS,
      updated_at: TS,
    });
  const p1 = await product('P1', cat1);
  const p2 = await product('P2', cat2);
  const item = (orderId: number, line: number, productId: number, qtyMilli: number, subtotal: number) =>
    ins(db, 'order_items', {
      order_id: orderId,
      line_no: line,
      product_id: productId,
      quantity_milli: qtyMilli,
      unit_price_fen: subtotal,
      subtotal_fen: subtotal,
    });
  await item(o.o1, 1, p1, 2000, 8000000);
  await item(o.o1, 2, p2, 1500, 2000000);
  await item(o.o2, 1, p2, 1000, 234567);
  await item(o.o3, 1, p1, 10000, 500000); // cancelled
  await item(o.o7, 1, p1, 500, 99999);

  const inst = (orderId: number, number: number, due: string, amount: number, paid: number, status: string) =>
    ins(db, 'plan_instalments', {
      order_id: orderId,
      number,
      due_date: due,
      amount_fen: amount,
      paid_fen: paid,
      status,
    });
  await inst(o.o1, 1, '2026-10-15', 5000000, 2949950, 'overdue'); // 46 days overdue on 11-30
  await inst(o.o1, 2, '2026-12-31', 5000000, 0, 'due');
  await inst(o.o7, 1, '2026-08-01', 99999, 0, 'overdue'); // 121 days

  const move = (cust: number, action: string, from: string | null, to: string | null, at: string) =>
    ins(db, 'ownership_history', {
      customer_id: cust,
      from_user_id: from ? u[from] : null,
      to_user_id: to ? u[to] : null,
      action,
      at,
    });
  await move(c.c5, 'return', 'bob', null, '2026-11-03T02:00:00.000Z');
  await move(c.c4, 'claim', null, 'eve', '2026-11-10T02:00:00.000Z');
  await move(c.c2, 'assign', null, 'bob', '2026-10-20T02:00:00.000Z');

  return { users: u, customers: c, orders: o };
}

async function seedSettlement(db: Knex, customerId: number): Promise<void> {
  const run = await ins(db, 'clearing_runs', {
    voucher_date: '2026-11-23',
    pending_date: '2026-11-20',
    state: 'completed',
    started_at: TS,
  });
  const file = await ins(db, 'clearing_files', {
    run_id: run,
    name: 'qs11232026xxxx01.txt',
    kind: 'qs',
    voucher_date: '2026-11-23',
    pending_date: '2026-11-20',
    sequence: 1,
    voucher_number: '0001',
    row_count: 1,
    txn_count: 1,
    total_fen: 20000,
    sha256: 'x'.repeat(64),
    path: '/tmp/x',
    encoding: 'gbk',
    status: 'active',
    created_at: TS,
  });
  const range = await ins(db, 'voucher_ranges', {
    kind: 'payment',
    from_number: '0001',
    to_number: '0002',
    registered_at: TS,
  });
  await ins(db, 'vouchers', { kind: 'payment', number: '0001', range_id: range, status: 'used', file_id: file });
  await ins(db, 'vouchers', { kind: 'payment', number: '0002', range_id: range, status: 'unused' });
  let n = 0;
  const txn = (kind: string, amount: number, date: string, status: string) =>
    ins(db, 'settlement_transactions', {
      ref: `T${++n}`,
      kind,
      amount_fen: amount,
      customer_id: customerId,
      unit_code: 'U1',
      unit_name: '单位',
      account_class: '财政授权支付',
      occurred_at: `${date}T02:00:00.000Z`,
      business_date: date,
      source: 'feed',
      content_hash: 'h',
      clearing_status: status,
      clearing_file_id: status === 'cleared' ? file : null,
      created_at: TS,
    });
  await txn('payment', 10000, '2026-11-20', 'pending');
  await txn('payment', 20000, '2026-11-20', 'cleared');
  await txn('refund', 5000, '2026-11-20', 'cleared');
  await txn('payment', 1000, '2026-11-21', 'pending');
  await txn('payment', 99900, '2026-10-31', 'pending'); // outside the period
}

const byOwner = (rows: Record<string, unknown>[]) => Object.fromEntries(rows.map((r) => [r.owner, r]));

describeEachDb('reports', (h) => {
  let ids: Ids;
  beforeAll(async () => {
    ids = await seed(h);
    await seedSettlement(h.db(), ids.customers.c1!);
  });

  describe('performance', () => {
    it('counts orders by signing date (else creation date in the business zone), receipts and refunds by business date', async () => {
      const json = toJson(await performanceReport(await h.as('admin'), NOV));
      expect(json.report).toBe('performance');
      expect(json.params).toMatchObject(NOV);
      const rows = byOwner(json.rows);
      expect(Object.keys(rows).sort()).toEqual(['bob', 'carol', 'dave', 'eve']);
      expect(rows.bob).toEqual({
        owner: 'bob',
        newCustomers: 2,
        followups: 2,
        orders: 2,
        ordersAmount: '102345.67',
        receipts: '32345.67',
        refunds: '500.50',
        netReceived: '31845.17',
      });
      expect(rows.dave).toEqual({
        owner: 'dave',
        newCustomers: 0,
        followups: 1,
        orders: 0,
        ordersAmount: '0.00',
        receipts: '800.01',
        refunds: '0.00',
        netReceived: '800.01',
      });
      expect(rows.eve).toMatchObject({ newCustomers: 1, orders: 1, ordersAmount: '999.99', receipts: '0.00' });
      expect(json.totals).toEqual({
        newCustomers: 3,
        followups: 3,
        orders: 3,
        ordersAmount: '103345.66',
        receipts: '33145.68',
        refunds: '500.50',
        netReceived: '32645.18',
      });
    });

    it('agrees with hand-written SQL for the orders total', async () => {
      const [r] = await h
        .db()('orders')
        .whereIn('status', ['approved', 'fulfilled', 'closed'])
        .whereIn('number', ['O1', 'O2', 'O7'])
        .sum({ s: 'total_fen' });
      const json = toJson(await performanceReport(await h.as('admin'), NOV));
      expect(Number(r?.s)).toBe(10334566);
      expect(json.totals.ordersAmount).toBe('103345.66');
    });

    it('applies data scope: sales see themselves, managers their team', async () => {
      const bob = toJson(await performanceReport(await h.as('bob'), NOV));
      expect(bob.rows.map((r) => r.owner)).toEqual(['bob']);
      expect(bob.totals.ordersAmount).toBe('102345.67');
      const carol = toJson(await performanceReport(await h.as('carol'), NOV));
      expect(carol.rows.map((r) => r.owner).sort()).toEqual(['bob', 'carol', 'dave']);
      expect(carol.totals.ordersAmount).toBe('102345.67');
      expect(carol.totals.receipts).toBe('33145.68');
      const team = toJson(await performanceReport(await h.as('admin'), { ...NOV, team: 'carol' }));
      expect(team.totals).toEqual(carol.totals);
      await expect(performanceReport(await h.as('carol'), { ...NOV, owner: 'eve' })).rejects.toMatchObject({
        code: 'E9104',
        exitCode: 4,
      });
      await expect(performanceReport(await h.as('bob'), { ...NOV, owner: 'dave' })).rejects.toMatchObject({
        code: 'E9104',
      });
      await expect(performanceReport(await h.as('admin'), { ...NOV, owner: 'nobody' })).rejects.toMatchObject({
        code: 'E9103',
      });
    });

    it('gives zeros for an empty period, and refuses a reversed one', async () => {
      const json = toJson(await performanceReport(await h.as('admin'), { from: '2025-01-01', to: '2025-01-31' }));
      expect(json.totals).toEqual({
        newCustomers: 0,
        followups: 0,
        orders: 0,
        ordersAmount: '0.00',
        receipts: '0.00',
        refunds: '0.00',
        netReceived: '0.00',
      });
      await expect(
        performanceReport(await h.as('admin'), { from: '2026-12-01', to: '2026-11-01' }),
      ).rejects.toMatchObject({ code: 'E9102', exitCode: 2 });
    });

    it('reads the period presets against the business date of the clock', async () => {
      // The harness clock is 2026-11-23 10:00 +08:00.
      const json = toJson(await performanceReport(await h.as('admin'), { period: 'this-month' }));
      expect(json.params).toMatchObject(NOV);
      expect(json.totals.ordersAmount).toBe('103345.66');
      const q = toJson(await performanceReport(await h.as('admin'), { period: 'this-quarter' }));
      expect(q.params).toMatchObject({ from: '2026-10-01', to: '2026-12-31' });
      // The quarter adds O5 (October) and O6 (created 12-01 local).
      expect(q.totals.ordersAmount).toBe('105380.23');
    });
  });

  describe('funnel', () => {
    it('lists open opportunities per stage with weighted amounts rounded half up per opportunity', async () => {
      const json = toJson(await funnelReport(await h.as('admin'), NOV));
      expect(json.rows).toEqual([
        { stage: 'Prospecting', probability: 10, count: 1, amount: '10000.05', weightedAmount: '1000.01' },
        { stage: 'Proposal', probability: 50, count: 2, amount: '1333.33', weightedAmount: '666.67' },
        { stage: 'Negotiation', probability: 80, count: 1, amount: '500.00', weightedAmount: '400.00' },
      ]);
      expect(json.totals).toMatchObject({
        count: 4,
        amount: '11833.38',
        weightedAmount: '2066.68',
        forecast: '1900.01',
        won: 1,
        lost: 1,
        winRate: '50.00',
      });
    });

    it('applies data scope', async () => {
      const json = toJson(await funnelReport(await h.as('carol'), NOV));
      expect(json.rows.map((r) => [r.stage, r.count])).toEqual([
        ['Prospecting', 1],
        ['Proposal', 2],
      ]);
      expect(json.totals.forecast).toBe('1500.01');
    });
  });

  describe('ranking', () => {
    it('ranks by each metric, best first, cut at --top', async () => {
      const admin = await h.as('admin');
      const amount = toJson(await rankingReport(admin, { ...NOV, by: 'orders-amount', top: 2 }));
      expect(amount.rows).toEqual([
        { rank: 1, owner: 'bob', value: '102345.67' },
        { rank: 2, owner: 'eve', value: '999.99' },
      ]);
      const receipts = toJson(await rankingReport(admin, { ...NOV, by: 'receipts' }));
      expect(receipts.rows.slice(0, 2).map((r) => [r.owner, r.value])).toEqual([
        ['bob', '31845.17'],
        ['dave', '800.01'],
      ]);
      const sold = toJson(await rankingReport(admin, { ...NOV, by: 'products-sold', top: 2 }));
      expect(sold.rows.map((r) => [r.owner, r.value])).toEqual([
        ['bob', '4.5'],
        ['eve', '0.5'],
      ]);
      const fu = toJson(await rankingReport(admin, { ...NOV, by: 'followups', top: 1 }));
      expect(fu.rows).toEqual([{ rank: 1, owner: 'bob', value: 2 }]);
      await expect(rankingReport(admin, { ...NOV, by: 'height' })).rejects.toMatchObject({ code: 'E9105' });
    });
  });

  describe('grading and portrait', () => {
    it('distributes customers A–E with share of sales', async () => {
      const json = toJson(await gradingReport(await h.as('admin'), NOV));
      expect(json.rows.map((r) => [r.grade, r.customers, r.customerShare, r.sales, r.salesShare])).toEqual([
        ['A', 2, '40.00', '100000.00', '96.76'],
        ['B', 1, '20.00', '2345.67', '2.27'],
        ['C', 1, '20.00', '999.99', '0.97'],
        ['D', 0, '0.00', '0.00', '0.00'],
        ['E', 0, '0.00', '0.00', '0.00'],
        [null, 1, '20.00', '0.00', '0.00'],
      ]);
      expect(json.totals).toMatchObject({ customers: 5, sales: '103345.66' });
      const a = toJson(await gradingReport(await h.as('admin'), { ...NOV, grade: 'a' }));
      expect(a.rows.map((r) => [r.code, r.sales])).toEqual([
        ['C1', '100000.00'],
        ['C3', '0.00'],
      ]);
      const bobA = toJson(await gradingReport(await h.as('bob'), { ...NOV, grade: 'A' }));
      expect(bobA.rows.map((r) => r.code)).toEqual(['C1']);
    });

    it('groups customers and sales by industry', async () => {
      const json = toJson(await portraitReport(await h.as('admin'), { ...NOV, by: 'industry' }));
      expect(json.rows.map((r) => [r.industry, r.customers, r.orders, r.sales])).toEqual([
        ['IT', 2, 1, '100000.00'],
        ['教育', 2, 2, '3345.66'],
        [null, 1, 0, '0.00'],
      ]);
      await expect(portraitReport(await h.as('admin'), { by: 'shoe-size' })).rejects.toMatchObject({
        code: 'E9105',
      });
    });
  });

  describe('products', () => {
    it('sums quantity and amount of counted orders per product and per category', async () => {
      const json = toJson(await productsReport(await h.as('admin'), NOV));
      expect(json.rows.map((r) => [r.rank, r.code, r.quantity, r.amount, r.orders])).toEqual([
        [1, 'P1', '2.5', '80999.99', 2],
        [2, 'P2', '2.5', '22345.67', 2],
      ]);
      expect(json.totals).toMatchObject({ amount: '103345.66', top: '产品P1', bottom: '产品P2' });
      const bottom = toJson(await productsReport(await h.as('admin'), { ...NOV, bottom: 1 }));
      expect(bottom.rows.map((r) => r.code)).toEqual(['P2']);
      const cat = toJson(await productsReport(await h.as('admin'), { ...NOV, by: 'category' }));
      expect(cat.rows.map((r) => [r.category, r.amount])).toEqual([
        ['硬件/服务器', '80999.99'],
        ['软件', '22345.67'],
      ]);
    });
  });

  describe('receivables', () => {
    it('gives outstanding per customer as of a date with overdue ageing buckets', async () => {
      const json = toJson(await receivablesReport(await h.as('admin'), { asOf: '2026-11-30' }));
      expect(json.rows).toEqual([
        {
          code: 'C1',
          customer: '客户C1',
          owner: 'bob',
          orders: 1,
          total: '100000.00',
          received: '29499.50',
          outstanding: '70500.50',
          overdue0To30: '0.00',
          overdue31To60: '20500.50',
          overdue61To90: '0.00',
          overdueOver90: '0.00',
        },
        {
          code: 'C4',
          customer: '客户C4',
          owner: 'eve',
          orders: 1,
          total: '999.99',
          received: '0.00',
          outstanding: '999.99',
          overdue0To30: '0.00',
          overdue31To60: '0.00',
          overdue61To90: '0.00',
          overdueOver90: '999.99',
        },
      ]);
      expect(json.totals).toMatchObject({ outstanding: '71500.49', customers: 2 });
      // As of 12-01 O6 exists (created 12-01 local) and O7 has received 100.00.
      const dec = toJson(await receivablesReport(await h.as('admin'), { asOf: '2026-12-01' }));
      expect(dec.rows.map((r) => [r.code, r.outstanding])).toEqual([
        ['C1', '70500.50'],
        ['C3', '1234.56'],
        ['C4', '899.99'],
      ]);
      const bob = toJson(await receivablesReport(await h.as('bob'), { asOf: '2026-11-30' }));
      expect(bob.rows.map((r) => r.code)).toEqual(['C1']);
    });
  });

  describe('targets', () => {
    it('sets targets (managers for their team, audited) and compares them with actuals', async () => {
      await setTarget(await h.as('carol'), {
        user: 'bob',
        month: '2026-11',
        ordersAmount: '100,000',
        receipts: '50000',
      });
      await expect(
        setTarget(await h.as('carol'), { user: 'eve', month: '2026-11', ordersAmount: '1' }),
      ).rejects.toMatchObject({ code: 'E9104' });
      await expect(
        setTarget(await h.as('bob'), { user: 'bob', month: '2026-11', ordersAmount: '1' }),
      ).rejects.toMatchObject({ code: 'E4001' });
      await expect(
        setTarget(await h.as('admin'), { user: 'bob', month: '2026-13', ordersAmount: '1' }),
      ).rejects.toMatchObject({ code: 'E9110' });
      const audit = await h.db()('audit_log').where({ action: 'targets.set' });
      expect(audit).toHaveLength(1);
      const json = toJson(await targetsReport(await h.as('admin'), NOV));
      const bob = json.rows.find((r) => r.owner === 'bob');
      expect(bob).toEqual({
        owner: 'bob',
        month: '2026-11',
        ordersTarget: '100000.00',
        ordersActual: '102345.67',
        ordersCompletion: '102.35',
        receiptsTarget: '50000.00',
        receiptsActual: '31845.17',
        receiptsCompletion: '63.69',
      });
      expect((await listTargets(await h.as('bob'), { month: '2026-11' })).map((t) => t.user)).toEqual(['bob']);
      expect(await listTargets(await h.as('eve'), { month: '2026-11' })).toEqual([]);
    });

    it('puts each actual in its business month over several months, as the performance report of each month does', async () => {
      const Q4 = { from: '2026-10-01', to: '2026-12-31' };
      const json = toJson(await targetsReport(await h.as('admin'), Q4));
      const actuals = json.rows.map((r) => [r.owner, r.month, r.ordersActual, r.receiptsActual]);
      expect(actuals).toEqual([
        ['bob', '2026-10', '0.00', '70.00'], // a receipt on a cancelled order still counts as received
        ['dave', '2026-10', '800.01', '0.00'],
        ['bob', '2026-11', '102345.67', '31845.17'], // O2 created at local 11-01 00:30
        ['dave', '2026-11', '0.00', '800.01'],
        ['eve', '2026-11', '999.99', '0.00'],
        ['dave', '2026-12', '1234.56', '0.00'], // O6 created at local 12-01 00:30
        ['eve', '2026-12', '0.00', '100.00'],
      ]);
      for (const month of ['2026-10', '2026-11', '2026-12']) {
        const last = month === '2026-11' ? '30' : '31';
        const perf = toJson(
          await performanceReport(await h.as('admin'), { from: `${month}-01`, to: `${month}-${last}` }),
        );
        const fromPerf = perf.rows
          .filter((r) => r.ordersAmount !== '0.00' || r.receipts !== '0.00' || r.refunds !== '0.00')
          .map((r) => [r.owner, month, r.ordersAmount, r.netReceived]);
        expect(actuals.filter((a) => a[1] === month)).toEqual(fromPerf);
      }
      const dave = toJson(await targetsReport(await h.as('dave'), Q4));
      expect(dave.rows.map((r) => r.owner)).toEqual(['dave', 'dave', 'dave']);
    });
  });

  describe('pool', () => {
    it('counts moves per month and the pool size now', async () => {
      const json = toJson(await poolReport(await h.as('admin'), { from: '2026-10-01', to: '2026-11-30' }));
      expect(json.rows).toEqual([
        { month: '2026-10', returned: 0, released: 0, claimed: 0, assigned: 1 },
        { month: '2026-11', returned: 1, released: 0, claimed: 1, assigned: 0 },
      ]);
      expect(json.totals).toMatchObject({ poolSize: 1, returned: 1, claimed: 1, assigned: 1 });
      const bob = toJson(await poolReport(await h.as('bob'), NOV));
      expect(bob.rows).toEqual([{ month: '2026-11', returned: 1, released: 0, claimed: 0, assigned: 0 }]);
    });
  });

  describe('settlement', () => {
    it('totals pending and cleared per day and kind, with files and vouchers; operators only', async () => {
      const json = toJson(await settlementReport(await h.as('olga'), NOV));
      expect(json.rows).toEqual([
        {
          date: '2026-11-20',
          transactions: 3,
          paymentsPending: '100.00',
          paymentsCleared: '200.00',
          refundsPending: '0.00',
          refundsCleared: '50.00',
          files: 0,
          vouchers: 0,
        },
        {
          date: '2026-11-21',
          transactions: 1,
          paymentsPending: '10.00',
          paymentsCleared: '0.00',
          refundsPending: '0.00',
          refundsCleared: '0.00',
          files: 0,
          vouchers: 0,
        },
        {
          date: '2026-11-23',
          transactions: 0,
          paymentsPending: '0.00',
          paymentsCleared: '0.00',
          refundsPending: '0.00',
          refundsCleared: '0.00',
          files: 1,
          vouchers: 1,
        },
      ]);
      expect(json.totals).toMatchObject({ transactions: 4, paymentsPending: '110.00', files: 1 });
      await expect(settlementReport(await h.as('bob'), NOV)).rejects.toMatchObject({ code: 'E4001' });
    });
  });
});
