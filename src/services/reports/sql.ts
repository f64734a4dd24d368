/**
 * The SQL that feeds the report builders. Every figure is an aggregate computed by the database
 * (GROUP BY, SUM, COUNT); nothing here loads all rows. The same statements run on SQLite and MySQL:
 * plain `?` bindings, string comparisons on 'YYYY-MM-DD' dates and UTC ISO timestamps, and one
 * dialect switch for integer division.
 */
import type { Knex } from 'knex';
import { dialectOf } from '../../db/connection.js';
import { addDays, zonedDateTime } from '../../domain/clock.js';
import { parseFen } from '../../domain/money.js';
import { monthEnd, type Period } from '../../reports/common.js';
import type { PerformanceInput } from '../../reports/performance.js';
import type { ProductInput } from '../../reports/products.js';
import type { ReceivableInput } from '../../reports/receivables.js';
import type { SettlementDayInput } from '../../reports/settlement.js';

export type Binding = string | number;
export type Row = Record<string, unknown>;

/** Statuses of an order that count as sold: approved or later, never draft/submitted/rejected/cancelled. */
export const COUNTED_STATUSES = ['approved', 'fulfilled', 'closed'] as const;

export async function query(db: Knex, sql: string, bindings: Binding[] = []): Promise<Row[]> {
  const result = await db.raw(sql, bindings);
  // mysql2 answers [rows, fields]; better-sqlite3 answers the rows.
  return (dialectOf(db) === 'mysql' ? result[0] : result) as Row[];
}

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
export const fen = (v: unknown): number => parseFen(v ?? null);

/** `col IN (?, ?)` for the owners in scope; null = everyone; [] = no one. */
export function inIds(col: string, ids: number[] | null): { sql: string; bindings: Binding[] } {
  if (ids === null) return { sql: '1=1', bindings: [] };
  if (ids.length === 0) return { sql: '1=0', bindings: [] };
  return { sql: `${col} IN (${ids.map(() => '?').join(', ')})`, bindings: ids };
}

/** The UTC instants bounding the business dates of a period: [start of `from`, start of the day after `to`). */
export function instantBounds(period: Period, tz: string): { fromTs: string; toTs: string } {
  return {
    fromTs: zonedDateTime(period.from, '00:00', tz).toISOString(),
    toTs: zonedDateTime(addDays(period.to, 1), '00:00', tz).toISOString(),
  };
}

/**
 * Orders that count in a period (alias `o`): approved, fulfilled or closed, and signed in the period,
 * or, without a signing date, created in it (its business date in the business time zone).
 */
export function countedOrders(period: Period, tz: string): { sql: string; bindings: Binding[] } {
  const { fromTs, toTs } = instantBounds(period, tz);
  return {
    sql: `o.status IN ('approved', 'fulfilled', 'closed') AND ((o.signed_at IS NOT NULL AND o.signed_at >= ? AND o.signed_at <= ?) OR (o.signed_at IS NULL AND o.created_at >= ? AND o.created_at < ?))`,
    bindings: [period.from, period.to, fromTs, toTs],
  };
}

/** Integer division of non-negative integers, exact on both databases. */
export function intDiv(db: Knex, numerator: string, denominator: number): string {
  return dialectOf(db) === 'mysql' ? `((${numerator}) DIV ${denominator})` : `((${numerator}) / ${denominator})`;
}

// ------------------------------------------------------------------------------------------------
// Performance and ranking: one map per figure, keyed by owner id.
// ------------------------------------------------------------------------------------------------

/** The performance figures of one owner, and the quantity sold that ranking may ask for. */
export interface OwnerFigures extends Omit<PerformanceInput, 'owner'> {
  productsSoldMilli: number;
}

export const emptyFigures = (): OwnerFigures => ({
  newCustomers: 0,
  followups: 0,
  orders: 0,
  ordersAmountFen: 0,
  receiptsFen: 0,
  refundsFen: 0,
  productsSoldMilli: 0,
});

export async function ownerFigures(
  db: Knex,
  period: Period,
  tz: string,
  ids: number[] | null,
  opts: { productsSold?: boolean } = {},
): Promise<Map<number, OwnerFigures>> {
  const out = new Map<number, OwnerFigures>();
  const get = (id: unknown) => {
    const key = Number(id);
    let f = out.get(key);
    if (!f) {
      f = emptyFigures();
      out.set(key, f);
    }
    return f;
  };
  const { fromTs, toTs } = instantBounds(period, tz);

  // Owners named (everyone: the users table) so the index (owner_id, created_at, status) is searched per owner
  // over the period instead of scanned whole.
  const cScope =
    ids === null ? { sql: 'c.owner_id IN (SELECT id FROM users)', bindings: [] } : inIds('c.owner_id', ids);
  for (const r of await query(
    db,
    `SELECT c.owner_id AS owner_id, COUNT(*) AS n FROM customers c
     WHERE c.status <> 'deleted' AND c.created_at >= ? AND c.created_at < ? AND ${cScope.sql}
     GROUP BY c.owner_id`,
    [fromTs, toTs, ...cScope.bindings],
  )) {
    get(r.owner_id).newCustomers = num(r.n);
  }

  const fScope = inIds('f.user_id', ids);
  for (const r of await query(
    db,
    `SELECT f.user_id AS owner_id, COUNT(*) AS n FROM followups f
     WHERE f.at >= ? AND f.at < ? AND ${fScope.sql} GROUP BY f.user_id`,
    [fromTs, toTs, ...fScope.bindings],
  )) {
    get(r.owner_id).followups = num(r.n);
  }

  const oScope = inIds('o.owner_id', ids);
  const counted = countedOrders(period, tz);
  for (const r of await query(
    db,
    `SELECT o.owner_id AS owner_id, COUNT(*) AS n, SUM(o.total_fen) AS amount FROM orders o
     WHERE ${counted.sql} AND ${oScope.sql} GROUP BY o.owner_id`,
    [...counted.bindings, ...oScope.bindings],
  )) {
    const f = get(r.owner_id);
    f.orders = num(r.n);
    f.ordersAmountFen = fen(r.amount);
  }

  for (const r of await query(
    db,
    `SELECT o.owner_id AS owner_id,
       SUM(CASE WHEN p.kind = 'receipt' THEN p.amount_fen ELSE 0 END) AS receipts,
       SUM(CASE WHEN p.kind = 'refund' THEN p.amount_fen ELSE 0 END) AS refunds
     FROM order_payments p JOIN orders o ON o.id = p.order_id
     WHERE p.business_date >= ? AND p.business_date <= ? AND ${oScope.sql}
     GROUP BY o.owner_id`,
    [period.from, period.to, ...oScope.bindings],
  )) {
    const f = get(r.owner_id);
    f.receiptsFen = fen(r.receipts);
    f.refundsFen = fen(r.refunds);
  }

  if (opts.productsSold) {
    for (const r of await query(
      db,
      `SELECT o.owner_id AS owner_id, SUM(i.quantity_milli) AS qty FROM order_items i JOIN orders o ON o.id = i.order_id
       WHERE ${counted.sql} AND ${oScope.sql} GROUP BY o.owner_id`,
      [...counted.bindings, ...oScope.bindings],
    )) {
      get(r.owner_id).productsSoldMilli = fen(r.qty);
    }
  }
  return out;
}

export interface UserLite {
  id: number;
  name: string;
  displayName: string | null;
  role: string;
  status: string;
}

export async function usersByIds(db: Knex, ids: number[] | null): Promise<UserLite[]> {
  const scope = inIds('id', ids);
  const rows = await query(
    db,
    `SELECT id, name, display_name, role, status FROM users WHERE ${scope.sql} ORDER BY name`,
    scope.bindings,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    displayName: (r.display_name as string | null) ?? null,
    role: String(r.role),
    status: String(r.status),
  }));
}

// ------------------------------------------------------------------------------------------------
// Funnel
// ------------------------------------------------------------------------------------------------

export interface StageFigures {
  stage: string;
  probability: number;
  count: number;
  amountFen: number;
  weightedFen: number;
}

export interface FunnelData {
  stages: StageFigures[];
  forecastFen: number;
  won: number;
  lost: number;
  wonAmountFen: number;
}

export async function funnelData(db: Knex, period: Period, tz: string, ids: number[] | null): Promise<FunnelData> {
  const scope = inIds('owner_id', ids);
  const weighted = intDiv(db, 'amount_fen * probability * 2 + 100', 200);
  const stages = (
    await query(
      db,
      `SELECT stage, probability, COUNT(*) AS n, SUM(amount_fen) AS amount, SUM(${weighted}) AS weighted
       FROM opportunities WHERE status = 'open' AND ${scope.sql}
       GROUP BY stage, probability ORDER BY probability, stage`,
      scope.bindings,
    )
  ).map((r) => ({
    stage: String(r.stage),
    probability: num(r.probability),
    count: num(r.n),
    amountFen: fen(r.amount),
    weightedFen: fen(r.weighted),
  }));
  const [forecast] = await query(
    db,
    `SELECT SUM(${weighted}) AS weighted FROM opportunities
     WHERE status = 'open' AND expected_close_date >= ? AND expected_close_date <= ? AND ${scope.sql}`,
    [period.from, period.to, ...scope.bindings],
  );
  const { fromTs, toTs } = instantBounds(period, tz);
  const closed = await query(
    db,
    `SELECT status, COUNT(*) AS n, SUM(amount_fen) AS amount FROM opportunities
     WHERE status IN ('won', 'lost') AND closed_at >= ? AND closed_at < ? AND ${scope.sql} GROUP BY status`,
    [fromTs, toTs, ...scope.bindings],
  );
  const won = closed.find((r) => r.status === 'won');
  const lost = closed.find((r) => r.status === 'lost');
  return {
    stages,
    forecastFen: fen(forecast?.weighted),
    won: num(won?.n),
    lost: num(lost?.n),
    wonAmountFen: fen(won?.amount),
  };
}

// ------------------------------------------------------------------------------------------------
// Customer groups: grading and portrait
// ------------------------------------------------------------------------------------------------

export const PORTRAIT_FIELDS = ['industry', 'region', 'source', 'grade'] as const;
export type PortraitField = (typeof PORTRAIT_FIELDS)[number];

export interface GroupFigures {
  key: string | null;
  customers: number;
  orders: number;
  salesFen: number;
}

/** Customers (not deleted) and counted sales of the period per value of one customer column. */
export async function customerGroups(
  db: Knex,
  field: PortraitField,
  period: Period,
  tz: string,
  ids: number[] | null,
): Promise<GroupFigures[]> {
  const groups = new Map<string | null, GroupFigures>();
  const get = (k: unknown) => {
    const key = k === null || k === undefined || k === '' ? null : String(k);
    let g = groups.get(key);
    if (!g) {
      g = { key, customers: 0, orders: 0, salesFen: 0 };
      groups.set(key, g);
    }
    return g;
  };
  const cScope = inIds('c.owner_id', ids);
  for (const r of await query(
    db,
    `SELECT c.${field} AS k, COUNT(*) AS n FROM customers c WHERE c.status <> 'deleted' AND ${cScope.sql} GROUP BY c.${field}`,
    cScope.bindings,
  )) {
    get(r.k).customers += num(r.n);
  }
  const counted = countedOrders(period, tz);
  const oScope = inIds('o.owner_id', ids);
  for (const r of await query(
    db,
    `SELECT c.${field} AS k, COUNT(*) AS n, SUM(o.total_fen) AS amount FROM orders o JOIN customers c ON c.id = o.customer_id
     WHERE ${counted.sql} AND ${oScope.sql} GROUP BY c.${field}`,
    [...counted.bindings, ...oScope.bindings],
  )) {
    const g = get(r.k);
    g.orders += num(r.n);
    g.salesFen += fen(r.amount);
  }
  return [...groups.values()];
}

export interface CustomerSales {
  code: string;
  name: string;
  owner: string | null;
  orders: number;
  salesFen: number;
}

/** The customers of one grade with their counted sales of the period, best first (at most `limit`). */
export async function customersOfGrade(
  db: Knex,
  grade: string | null,
  period: Period,
  tz: string,
  ids: number[] | null,
  limit: number,
): Promise<CustomerSales[]> {
  const counted = countedOrders(period, tz);
  const cScope = inIds('c.owner_id', ids);
  const gradeSql = grade === null ? "(c.grade IS NULL OR c.grade = '')" : 'c.grade = ?';
  const rows = await query(
    db,
    `SELECT c.code, c.name, u.name AS owner, COALESCE(s.n, 0) AS n, COALESCE(s.amount, 0) AS amount
     FROM customers c
     LEFT JOIN users u ON u.id = c.owner_id
     LEFT JOIN (SELECT o.customer_id, COUNT(*) AS n, SUM(o.total_fen) AS amount FROM orders o
                WHERE ${counted.sql} GROUP BY o.customer_id) s ON s.customer_id = c.id
     WHERE c.status <> 'deleted' AND ${gradeSql} AND ${cScope.sql}
     ORDER BY amount DESC, c.code LIMIT ${Math.max(1, Math.floor(limit))}`,
    [...counted.bindings, ...(grade === null ? [] : [grade]), ...cScope.bindings],
  );
  return rows.map((r) => ({
    code: String(r.code),
    name: String(r.name),
    owner: (r.owner as string | null) ?? null,
    orders: num(r.n),
    salesFen: fen(r.amount),
  }));
}

// ------------------------------------------------------------------------------------------------
// Products
// ------------------------------------------------------------------------------------------------

export async function productFigures(
  db: Knex,
  by: 'product' | 'category',
  period: Period,
  tz: string,
  ids: number[] | null,
): Promise<ProductInput[]> {
  const counted = countedOrders(period, tz);
  const oScope = inIds('o.owner_id', ids);
  const keyCols = by === 'product' ? 'p.id, p.code, p.name, pc.path' : 'pc.path';
  const select = by === 'product' ? 'p.code AS code, p.name AS name, pc.path AS category' : 'pc.path AS category';
  const rows = await query(
    db,
    `SELECT ${select}, COUNT(DISTINCT o.id) AS n, SUM(i.quantity_milli) AS qty, SUM(i.subtotal_fen) AS amount
     FROM order_items i JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id
     LEFT JOIN product_categories pc ON pc.id = p.category_id
     WHERE ${counted.sql} AND ${oScope.sql}
     GROUP BY ${keyCols}`,
    [...counted.bindings, ...oScope.bindings],
  );
  return rows.map((r) => ({
    code: r.code === undefined ? '' : String(r.code),
    name: r.name === undefined ? '' : String(r.name),
    category: (r.category as string | null) ?? null,
    orders: num(r.n),
    quantityMilli: fen(r.qty),
    amountFen: fen(r.amount),
  }));
}

// ------------------------------------------------------------------------------------------------
// Receivables
// ------------------------------------------------------------------------------------------------

/** A row of the receivables report, and the customer it belongs to (to attach the ageing). */
export interface ReceivableFigures extends ReceivableInput {
  customerId: number;
}

/**
 * Outstanding per customer as of a date: counted orders signed (or created) by then, less receipts and
 * plus refunds with a business date up to then. Ageing: unpaid amounts of instalments due before the date.
 */
export async function receivables(
  db: Knex,
  asOf: string,
  tz: string,
  ids: number[] | null,
): Promise<ReceivableFigures[]> {
  const endTs = zonedDateTime(addDays(asOf, 1), '00:00', tz).toISOString();
  const oScope = inIds('o.owner_id', ids);
  // Per order first (net received by a search of the covering index on order_payments), then per customer, and
  // only then the customers' names: the big tables are never joined row by row.
  const net = `COALESCE((SELECT SUM(CASE WHEN p.kind = 'receipt' THEN p.amount_fen ELSE -p.amount_fen END)
                FROM order_payments p WHERE p.order_id = o.id AND p.business_date <= ?), 0)`;
  const rows = await query(
    db,
    `SELECT s.customer_id, c.code, c.name, u.name AS owner, s.n, s.total, s.received
     FROM (SELECT x.customer_id, COUNT(*) AS n, SUM(x.total_fen) AS total, SUM(x.net) AS received
           FROM (SELECT o.customer_id, o.total_fen, ${net} AS net FROM orders o
                 WHERE o.status IN ('approved', 'fulfilled', 'closed')
                   AND ((o.signed_at IS NOT NULL AND o.signed_at <= ?) OR (o.signed_at IS NULL AND o.created_at < ?))
                   AND ${oScope.sql}) x
           WHERE x.total_fen <> x.net
           GROUP BY x.customer_id) s
     JOIN customers c ON c.id = s.customer_id
     LEFT JOIN users u ON u.id = c.owner_id`,
    [asOf, asOf, endTs, ...oScope.bindings],
  );
  const byCustomer = new Map<number, ReceivableFigures>();
  for (const r of rows) {
    const totalFen = fen(r.total);
    const receivedFen = fen(r.received);
    byCustomer.set(Number(r.customer_id), {
      customerId: Number(r.customer_id),
      code: String(r.code),
      name: String(r.name),
      owner: (r.owner as string | null) ?? null,
      orders: num(r.n),
      totalFen,
      receivedFen,
      outstandingFen: totalFen - receivedFen,
      d0_30: 0,
      d31_60: 0,
      d61_90: 0,
      d90p: 0,
    });
  }
  const b30 = addDays(asOf, -30);
  const b60 = addDays(asOf, -60);
  const b90 = addDays(asOf, -90);
  const unpaid = 'i.amount_fen - i.paid_fen';
  for (const r of await query(
    db,
    `SELECT o.customer_id,
       SUM(CASE WHEN i.due_date >= ? THEN ${unpaid} ELSE 0 END) AS a,
       SUM(CASE WHEN i.due_date < ? AND i.due_date >= ? THEN ${unpaid} ELSE 0 END) AS b,
       SUM(CASE WHEN i.due_date < ? AND i.due_date >= ? THEN ${unpaid} ELSE 0 END) AS c,
       SUM(CASE WHEN i.due_date < ? THEN ${unpaid} ELSE 0 END) AS d
     FROM plan_instalments i JOIN orders o ON o.id = i.order_id
     WHERE i.status NOT IN ('void', 'paid') AND i.due_date < ? AND i.amount_fen > i.paid_fen
       AND o.status IN ('approved', 'fulfilled', 'closed') AND ${oScope.sql}
     GROUP BY o.customer_id`,
    [b30, b30, b60, b60, b90, b90, asOf, ...oScope.bindings],
  )) {
    const f = byCustomer.get(Number(r.customer_id));
    if (!f) continue; // nothing outstanding on the customer's orders as of the date
    f.d0_30 = fen(r.a);
    f.d31_60 = fen(r.b);
    f.d61_90 = fen(r.c);
    f.d90p = fen(r.d);
  }
  return [...byCustomer.values()];
}

// ------------------------------------------------------------------------------------------------
// Pool, targets, settlement
// ------------------------------------------------------------------------------------------------

export interface PoolFigures {
  returned: number;
  claimed: number;
  assigned: number;
  released: number;
}

export async function poolMoves(db: Knex, period: Period, tz: string, ids: number[] | null): Promise<PoolFigures> {
  const { fromTs, toTs } = instantBounds(period, tz);
  const from = inIds('h.from_user_id', ids);
  const to = inIds('h.to_user_id', ids);
  const rows = await query(
    db,
    `SELECT h.action, COUNT(*) AS n FROM ownership_history h
     WHERE h.at >= ? AND h.at < ? AND h.action IN ('return', 'claim', 'assign', 'release')
       AND (${from.sql} OR ${to.sql}) GROUP BY h.action`,
    [fromTs, toTs, ...from.bindings, ...to.bindings],
  );
  const n = (a: string) => num(rows.find((r) => r.action === a)?.n);
  return { returned: n('return'), claimed: n('claim'), assigned: n('assign'), released: n('release') };
}

export async function poolSize(db: Knex): Promise<number> {
  const [r] = await query(db, `SELECT COUNT(*) AS n FROM customers WHERE owner_id IS NULL AND status <> 'deleted'`);
  return num(r?.n);
}

export interface TargetRow {
  userId: number;
  month: string;
  ordersAmountFen: number;
  receiptsFen: number;
}

/** Per owner within one business month: what `reports targets` compares with the targets. */
export interface MonthSales {
  ordersAmountFen: number;
  receiptsFen: number;
  refundsFen: number;
}

/**
 * A UTC ISO timestamp column mapped to its business month ('YYYY-MM'), for rows already limited to the
 * consecutive `months`: the zone's month starts are computed here, so the database needs no time zone support.
 */
export function businessMonthOf(col: string, months: string[], tz: string): { sql: string; bindings: Binding[] } {
  const later = months.slice(1);
  if (later.length === 0) return { sql: '?', bindings: [months[0]!] };
  const bindings: Binding[] = [];
  const whens = later.map((month, i) => {
    bindings.push(zonedDateTime(`${month}-01`, '00:00', tz).toISOString(), months[i]!);
    return `WHEN ${col} < ? THEN ?`;
  });
  return { sql: `CASE ${whens.join(' ')} ELSE ? END`, bindings: [...bindings, months[months.length - 1]!] };
}

/**
 * Counted order amounts, receipts and refunds per business month and owner over consecutive whole months:
 * one grouped query per measure (a query per month costs a search of the same indexes each time).
 * Keyed by month, then owner id.
 */
export async function monthlySales(
  db: Knex,
  months: string[],
  tz: string,
  ids: number[] | null,
): Promise<Map<string, Map<number, MonthSales>>> {
  const out = new Map<string, Map<number, MonthSales>>();
  if (months.length === 0) return out;
  const get = (month: unknown, owner: unknown) => {
    const key = String(month);
    let perOwner = out.get(key);
    if (!perOwner) {
      perOwner = new Map();
      out.set(key, perOwner);
    }
    let s = perOwner.get(Number(owner));
    if (!s) {
      s = { ordersAmountFen: 0, receiptsFen: 0, refundsFen: 0 };
      perOwner.set(Number(owner), s);
    }
    return s;
  };
  const period = { from: `${months[0]}-01`, to: monthEnd(months[months.length - 1]!) };
  const oScope = inIds('o.owner_id', ids);

  // Signed orders by their signing date; unsigned ones by the business month their creation instant falls in.
  const counted = countedOrders(period, tz);
  const created = businessMonthOf('o.created_at', months, tz);
  for (const r of await query(
    db,
    `SELECT CASE WHEN o.signed_at IS NOT NULL THEN SUBSTR(o.signed_at, 1, 7) ELSE ${created.sql} END AS business_month,
       o.owner_id AS owner_id, SUM(o.total_fen) AS amount
     FROM orders o WHERE ${counted.sql} AND ${oScope.sql}
     GROUP BY business_month, o.owner_id`,
    [...created.bindings, ...counted.bindings, ...oScope.bindings],
  )) {
    get(r.business_month, r.owner_id).ordersAmountFen = fen(r.amount);
  }

  for (const r of await query(
    db,
    `SELECT SUBSTR(p.business_date, 1, 7) AS business_month, o.owner_id AS owner_id,
       SUM(CASE WHEN p.kind = 'receipt' THEN p.amount_fen ELSE 0 END) AS receipts,
       SUM(CASE WHEN p.kind = 'refund' THEN p.amount_fen ELSE 0 END) AS refunds
     FROM order_payments p JOIN orders o ON o.id = p.order_id
     WHERE p.business_date >= ? AND p.business_date <= ? AND ${oScope.sql}
     GROUP BY business_month, o.owner_id`,
    [period.from, period.to, ...oScope.bindings],
  )) {
    const s = get(r.business_month, r.owner_id);
    s.receiptsFen = fen(r.receipts);
    s.refundsFen = fen(r.refunds);
  }
  return out;
}

export async function targetRows(db: Knex, months: string[], ids: number[] | null): Promise<TargetRow[]> {
  if (months.length === 0) return [];
  const scope = inIds('t.user_id', ids);
  const rows = await query(
    db,
    `SELECT t.user_id, t.month, t.orders_amount_fen, t.receipts_fen FROM targets t
     WHERE t.month >= ? AND t.month <= ? AND ${scope.sql} ORDER BY t.month, t.user_id`,
    [months[0]!, months[months.length - 1]!, ...scope.bindings],
  );
  return rows.map((r) => ({
    userId: Number(r.user_id),
    month: String(r.month),
    ordersAmountFen: fen(r.orders_amount_fen),
    receiptsFen: fen(r.receipts_fen),
  }));
}

export async function settlementDays(db: Knex, period: Period): Promise<SettlementDayInput[]> {
  const days = new Map<string, SettlementDayInput>();
  const get = (d: unknown) => {
    const date = String(d);
    let day = days.get(date);
    if (!day) {
      day = {
        date,
        transactions: 0,
        paymentsPendingFen: 0,
        paymentsClearedFen: 0,
        refundsPendingFen: 0,
        refundsClearedFen: 0,
        files: 0,
        vouchers: 0,
      };
      days.set(date, day);
    }
    return day;
  };
  for (const r of await query(
    db,
    `SELECT business_date AS d, kind, clearing_status AS s, COUNT(*) AS n, SUM(amount_fen) AS amount
     FROM settlement_transactions WHERE business_date >= ? AND business_date <= ?
     GROUP BY business_date, kind, clearing_status`,
    [period.from, period.to],
  )) {
    const day = get(r.d);
    day.transactions += num(r.n);
    const amount = fen(r.amount);
    const cleared = r.s === 'cleared';
    if (r.kind === 'refund') {
      if (cleared) day.refundsClearedFen += amount;
      else day.refundsPendingFen += amount;
    } else if (cleared) day.paymentsClearedFen += amount;
    else day.paymentsPendingFen += amount;
  }
  for (const r of await query(
    db,
    `SELECT voucher_date AS d, COUNT(*) AS n FROM clearing_files
     WHERE status = 'active' AND voucher_date >= ? AND voucher_date <= ? GROUP BY voucher_date`,
    [period.from, period.to],
  )) {
    get(r.d).files = num(r.n);
  }
  for (const r of await query(
    db,
    `SELECT f.voucher_date AS d, COUNT(*) AS n FROM vouchers v JOIN clearing_files f ON f.id = v.file_id
     WHERE v.status = 'used' AND f.voucher_date >= ? AND f.voucher_date <= ? GROUP BY f.voucher_date`,
    [period.from, period.to],
  )) {
    get(r.d).vouchers = num(r.n);
  }
  return [...days.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
