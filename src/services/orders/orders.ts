import type { Knex } from 'knex';
import { businessDate, compareDates, parseDateArg } from '../../domain/clock.js';
import { ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { lineSubtotalFen, parseFen, parseYuan, sumFen } from '../../domain/money.js';
import { requireCapability } from '../../domain/roles.js';
import {
  deciderFor,
  decideStep,
  insertRequest,
  lockRequest,
  markWithdrawn,
  openStepOf,
  People,
  restartRequest,
} from '../approvals/engine.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { scopeUserIds } from '../users.js';
import {
  bpText,
  customerByCode,
  isUniqueViolation,
  milliText,
  OrderErrors,
  orderError,
  parseDiscountBp,
  parseQuantityMilli,
  type Row,
  requireCustomerInScope,
  resolveOwner,
  todayDate,
  userNames,
} from './common.js';
import { checkProductCode, productRowByCode } from './products.js';

export const ORDER_STATUSES = [
  'draft',
  'submitted',
  'approved',
  'rejected',
  'fulfilled',
  'closed',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Statuses in which an order counts as a sale (reports, receipts). */
export const EFFECTIVE_STATUSES: readonly OrderStatus[] = ['approved', 'fulfilled', 'closed'];

export interface OrderItem {
  line: number;
  productCode: string;
  productName: string;
  unit: string | null;
  quantityMilli: number;
  unitPriceFen: number;
  discountBp: number;
  subtotalFen: number;
}

export interface Instalment {
  id: number;
  number: number;
  dueDate: string;
  amountFen: number;
  paidFen: number;
  status: 'due' | 'partly_paid' | 'paid' | 'overdue' | 'void';
}

export interface OrderTransaction {
  ref: string;
  kind: 'payment' | 'refund';
  amountFen: number;
  at: string;
  businessDate: string;
  clearingStatus: string;
  clearingDate: string | null;
  method: string | null;
  instalment: number | null;
  reason: string | null;
  handler: string | null;
}

export interface OrderSummary {
  id: number;
  number: string;
  customerCode: string;
  customerName: string;
  owner: string;
  status: OrderStatus;
  orderDate: string;
  totalFen: number;
  receivedFen: number;
  refundedFen: number;
  outstandingFen: number;
}

export interface OrderDetail extends OrderSummary {
  opportunityId: number | null;
  signedAt: string | null;
  startDate: string | null;
  endDate: string | null;
  maxDiscountBp: number;
  needsApproval: boolean;
  submittedAt: string | null;
  approvedAt: string | null;
  approvedBy: string | null;
  rejectReason: string | null;
  cancelReason: string | null;
  createdAt: string;
  items: OrderItem[];
  plan: Instalment[];
  transactions: OrderTransaction[];
}

// ------------------------------------------------------------------------------------------------
// Reading

/** The order row by number, within the actor's data scope (E6130 not found, E6131 outside scope). */
export async function orderRow(ctx: ServiceContext, number: string): Promise<Row> {
  requireCapability(ctx.actor, 'crm.read', m('查看订单', 'read orders'));
  const row = await ctx.db('orders').where({ number }).first();
  if (!row) {
    throw orderError(
      OrderErrors.orderNotFound,
      m(`订单不存在：${number}`, `no such order: ${number}`),
      ExitCode.noData,
      m('用 "crm orders list" 查看订单号', 'see "crm orders list" for order numbers'),
    );
  }
  const scope = await scopeUserIds(ctx);
  if (scope && !scope.includes(Number(row.owner_id))) {
    throw orderError(
      OrderErrors.orderOutOfScope,
      m(`订单 ${number} 不在你的数据范围内`, `order ${number} is outside your data scope`),
      ExitCode.permission,
      m('只能查看和处理自己（经理：团队）的订单', 'you may see and work on your own orders (a manager: the team’s)'),
    );
  }
  return row;
}

/** Received and refunded totals per order id. */
export async function moneyByOrder(
  db: Knex,
  ids: number[],
): Promise<Map<number, { received: number; refunded: number }>> {
  const map = new Map<number, { received: number; refunded: number }>();
  if (!ids.length) return map;
  const rows: Row[] = await db('order_payments')
    .whereIn('order_id', ids)
    .groupBy('order_id', 'kind')
    .select('order_id', 'kind')
    .sum({ total: 'amount_fen' });
  for (const r of rows) {
    const cur = map.get(Number(r.order_id)) ?? { received: 0, refunded: 0 };
    if (r.kind === 'receipt') cur.received = parseFen(r.total);
    else cur.refunded = parseFen(r.total);
    map.set(Number(r.order_id), cur);
  }
  return map;
}

/** Received and refunded totals of one order (zeros before any money moved). */
export async function moneyOfOrder(db: Knex, id: number): Promise<{ received: number; refunded: number }> {
  return (await moneyByOrder(db, [id])).get(id) ?? { received: 0, refunded: 0 };
}

async function summaries(ctx: ServiceContext, rows: Row[]): Promise<OrderSummary[]> {
  const tz = await ctx.settings.get<string>('timezone');
  const money = await moneyByOrder(
    ctx.db,
    rows.map((r) => Number(r.id)),
  );
  const names = await userNames(
    ctx.db,
    rows.map((r) => Number(r.owner_id)),
  );
  return rows.map((r) => {
    const mo = money.get(Number(r.id)) ?? { received: 0, refunded: 0 };
    const total = parseFen(r.total_fen);
    const status = r.status as OrderStatus;
    return {
      id: Number(r.id),
      number: String(r.number),
      customerCode: String(r.customer_code),
      customerName: String(r.customer_name),
      owner: names.get(Number(r.owner_id)) ?? '',
      status,
      orderDate: (r.signed_at as string | null) ?? businessDate(new Date(String(r.created_at)), tz),
      totalFen: total,
      receivedFen: mo.received,
      refundedFen: mo.refunded,
      outstandingFen: status === 'cancelled' ? 0 : total - (mo.received - mo.refunded),
    };
  });
}

function withCustomer(db: Knex) {
  return db('orders as o')
    .join('customers as c', 'c.id', 'o.customer_id')
    .select('o.*', 'c.code as customer_code', 'c.name as customer_name');
}

export async function planOf(db: Knex, orderId: number): Promise<Instalment[]> {
  const rows: Row[] = await db('plan_instalments').where({ order_id: orderId }).orderBy('number');
  return rows.map((r) => ({
    id: Number(r.id),
    number: Number(r.number),
    dueDate: String(r.due_date),
    amountFen: parseFen(r.amount_fen),
    paidFen: parseFen(r.paid_fen),
    status: r.status as Instalment['status'],
  }));
}

export async function showOrder(ctx: ServiceContext, number: string): Promise<OrderDetail> {
  return orderDetail(ctx, Number((await orderRow(ctx, number)).id));
}

/** An order's detail by id, without the scope check (the caller has made it, or decides as a delegate). */
async function orderDetail(ctx: ServiceContext, id: number): Promise<OrderDetail> {
  const row = await withCustomer(ctx.db).where('o.id', id).first();
  const [summary] = await summaries(ctx, [row]);
  const items: Row[] = await ctx
    .db('order_items as i')
    .join('products as p', 'p.id', 'i.product_id')
    .where('i.order_id', row.id)
    .orderBy('i.line_no')
    .select('i.*', 'p.code as product_code', 'p.name as product_name', 'p.unit as product_unit');
  const txns: Row[] = await ctx
    .db('order_payments as op')
    .leftJoin('settlement_transactions as st', 'st.id', 'op.transaction_id')
    .leftJoin('plan_instalments as pi', 'pi.id', 'op.instalment_id')
    .where('op.order_id', row.id)
    .orderBy('op.id')
    .select(
      'op.*',
      'st.business_date as st_business_date',
      'st.clearing_status',
      'st.clearing_date',
      'pi.number as instalment_number',
    );
  const names = await userNames(ctx.db, [
    row.approved_by == null ? null : Number(row.approved_by),
    ...txns.map((t) => (t.handler_id == null ? null : Number(t.handler_id))),
  ]);
  return {
    ...summary!,
    opportunityId: row.opportunity_id == null ? null : Number(row.opportunity_id),
    signedAt: row.signed_at ?? null,
    startDate: row.start_date ?? null,
    endDate: row.end_date ?? null,
    maxDiscountBp: Number(row.max_discount_bp),
    needsApproval: Boolean(row.needs_approval),
    submittedAt: row.submitted_at ?? null,
    approvedAt: row.approved_at ?? null,
    approvedBy: row.approved_by == null ? null : (names.get(Number(row.approved_by)) ?? null),
    rejectReason: row.reject_reason ?? null,
    cancelReason: row.cancel_reason ?? null,
    createdAt: String(row.created_at),
    items: items.map((i) => ({
      line: Number(i.line_no),
      productCode: String(i.product_code),
      productName: String(i.product_name),
      unit: (i.product_unit as string | null) ?? null,
      quantityMilli: parseFen(i.quantity_milli),
      unitPriceFen: parseFen(i.unit_price_fen),
      discountBp: Number(i.discount_bp),
      subtotalFen: parseFen(i.subtotal_fen),
    })),
    plan: await planOf(ctx.db, Number(row.id)),
    transactions: txns.map((t) => ({
      ref: String(t.ref),
      kind: t.kind === 'receipt' ? 'payment' : 'refund',
      amountFen: parseFen(t.amount_fen),
      at: String(t.at),
      businessDate: String(t.st_business_date ?? t.business_date),
      clearingStatus: String(t.clearing_status ?? 'pending'),
      clearingDate: (t.clearing_date as string | null) ?? null,
      method: (t.method as string | null) ?? null,
      instalment: t.instalment_number == null ? null : Number(t.instalment_number),
      reason: (t.reason as string | null) ?? null,
      handler: t.handler_id == null ? null : (names.get(Number(t.handler_id)) ?? null),
    })),
  };
}

export interface OrderFilter {
  customer?: string;
  owner?: string;
  status?: string;
  from?: string;
  to?: string;
}

export async function listOrders(ctx: ServiceContext, f: OrderFilter = {}): Promise<OrderSummary[]> {
  requireCapability(ctx.actor, 'crm.read', m('查看订单', 'read orders'));
  if (f.status && !(ORDER_STATUSES as readonly string[]).includes(f.status)) {
    throw orderError(
      OrderErrors.badStatus,
      m(
        `未知的订单状态：${f.status}（可选：${ORDER_STATUSES.join(', ')}）`,
        `unknown order status: ${f.status} (one of ${ORDER_STATUSES.join(', ')})`,
      ),
    );
  }
  const from = f.from ? parseDateArg(f.from, '--from') : undefined;
  const to = f.to ? parseDateArg(f.to, '--to') : undefined;
  const q = withCustomer(ctx.db).orderBy('o.id');
  const scope = await scopeUserIds(ctx);
  if (scope) q.whereIn('o.owner_id', scope);
  if (f.customer) q.where('c.code', f.customer);
  if (f.owner) q.whereIn('o.owner_id', ctx.db('users').where({ name: f.owner }).select('id'));
  if (f.status) q.where('o.status', f.status);
  const rows = await summaries(ctx, await q);
  return rows.filter(
    (r) => (!from || compareDates(r.orderDate, from) >= 0) && (!to || compareDates(r.orderDate, to) <= 0),
  );
}

// ------------------------------------------------------------------------------------------------
// Lines and totals

export interface ParsedItem {
  productId: number;
  productCode: string;
  quantityMilli: number;
  unitPriceFen: number;
  discountBp: number;
  subtotalFen: number;
}

/**
 * `PRODUCT:QTY[:UNIT_PRICE[:DISCOUNT%]]` → a priced line. The unit price defaults to the list price;
 * the subtotal is qty × price × (1 − discount), rounded half-up to the fen once per line.
 */
export async function parseItem(db: Knex, spec: string, index: number): Promise<ParsedItem> {
  const where = `--item ${index + 1} "${spec}"`;
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 4 || !parts[0]?.trim() || !parts[1]?.trim()) {
    throw orderError(
      OrderErrors.badItem,
      m(`${where}：格式应为 产品编码:数量[:单价[:折扣%]]`, `${where}: expected PRODUCT:QTY[:UNIT_PRICE[:DISCOUNT%]]`),
      ExitCode.usage,
      m(
        '例如 --item P-100:2 或 --item P-100:2.5:1999.90:12.5%',
        'e.g. --item P-100:2 or --item P-100:2.5:1999.90:12.5%',
      ),
    );
  }
  const code = checkProductCode(parts[0]);
  const product = await productRowByCode(db, code);
  if (!product.on_sale) {
    throw orderError(
      OrderErrors.productOffSale,
      m(`${where}：产品 ${code} 已停售`, `${where}: product ${code} is off sale`),
      ExitCode.usage,
      m('先 "crm products enable" 或换一个产品', 'run "crm products enable" first, or choose another product'),
    );
  }
  const quantityMilli = parseQuantityMilli(parts[1], where);
  const unitPriceFen = parts[2]?.trim() ? parseYuan(parts[2], { field: where }) : parseFen(product.price_fen);
  const discountBp = parts[3]?.trim() ? parseDiscountBp(parts[3], where) : 0;
  return {
    productId: Number(product.id),
    productCode: code,
    quantityMilli,
    unitPriceFen,
    discountBp,
    subtotalFen: lineSubtotalFen(milliText(quantityMilli), unitPriceFen, bpText(discountBp)),
  };
}

async function writeItems(tx: ServiceContext, orderId: number, items: ParsedItem[]): Promise<void> {
  await tx.db('order_items').where({ order_id: orderId }).delete();
  await tx.db('order_items').insert(
    items.map((it, i) => ({
      order_id: orderId,
      line_no: i + 1,
      product_id: it.productId,
      quantity_milli: it.quantityMilli,
      unit_price_fen: it.unitPriceFen,
      discount_bp: it.discountBp,
      subtotal_fen: it.subtotalFen,
    })),
  );
}

function checkDates(start?: string | null, end?: string | null): void {
  if (start && end && compareDates(start, end) > 0) {
    throw orderError(
      OrderErrors.badDates,
      m(`开始日期 ${start} 晚于结束日期 ${end}`, `start ${start} is after end ${end}`),
    );
  }
}

// ------------------------------------------------------------------------------------------------
// Numbers

function renderPattern(
  pattern: string,
  date: string,
): { prefix: string; suffix: string; regex: RegExp; seqWidth: number; hasSeq: boolean } {
  const [y, mo, d] = date.split('-') as [string, string, string];
  const filled = pattern
    .replaceAll('{YYYYMMDD}', `${y}${mo}${d}`)
    .replaceAll('{YYMMDD}', `${y.slice(2)}${mo}${d}`)
    .replaceAll('{YYYYMM}', `${y}${mo}`)
    .replaceAll('{YYYY}', y)
    .replaceAll('{MM}', mo)
    .replaceAll('{DD}', d);
  const match = /\{SEQ(\d)\}/.exec(filled);
  const seqWidth = Number(match?.[1] ?? 4);
  const [before, after] = match
    ? [filled.slice(0, match.index), filled.slice(match.index + match[0].length)]
    : [filled, ''];
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    prefix: before,
    suffix: after,
    regex: new RegExp(`^${esc(before)}(\\d+)${esc(after)}$`),
    seqWidth,
    hasSeq: Boolean(match),
  };
}

async function nextNumber(tx: ServiceContext, date: string): Promise<string> {
  const pattern = await tx.settings.get<string>('orders.numberPattern');
  const { prefix, suffix, regex, seqWidth, hasSeq } = renderPattern(pattern, date);
  const rows: { number: string }[] = await tx.db('orders').where('number', 'like', `${prefix}%`).select('number');
  let max = 0;
  for (const r of rows) {
    const found = regex.exec(r.number);
    if (found) max = Math.max(max, Number(found[1]));
  }
  return hasSeq ? `${prefix}${String(max + 1).padStart(seqWidth, '0')}${suffix}` : prefix;
}

function numberExists(number: string) {
  return orderError(
    OrderErrors.numberExists,
    m(`订单号已存在：${number}`, `order number already exists: ${number}`),
    ExitCode.conflict,
    m('换一个 --number，或省略它自动编号', 'choose another --number, or leave it out to number automatically'),
  );
}

// ------------------------------------------------------------------------------------------------
// Writing

export interface CreateOrderInput {
  customer: string;
  items: string[];
  number?: string;
  opportunity?: number;
  signedAt?: string;
  start?: string;
  end?: string;
  owner?: string;
}

async function checkOpportunity(tx: ServiceContext, id: number, customerId: number): Promise<void> {
  const opp = await tx.db('opportunities').where({ id }).first('customer_id');
  if (!opp) throw orderError(OrderErrors.opportunityNotFound, m(`商机不存在：${id}`, `no such opportunity: ${id}`));
  if (Number(opp.customer_id) !== customerId) {
    throw orderError(
      OrderErrors.opportunityNotFound,
      m(`商机 ${id} 属于另一个客户`, `opportunity ${id} belongs to another customer`),
    );
  }
}

export async function createOrder(ctx: ServiceContext, input: CreateOrderInput): Promise<OrderDetail> {
  requireCapability(ctx.actor, 'crm.write', m('创建订单', 'create orders'));
  if (!input.items.length) {
    throw orderError(
      OrderErrors.noItems,
      m('订单至少需要一行 --item', 'an order needs at least one --item'),
      ExitCode.usage,
      {
        zh: '例如 --item P-100:2',
        en: 'e.g. --item P-100:2',
      },
    );
  }
  const signedAt = input.signedAt ? parseDateArg(input.signedAt, '--signed-at') : null;
  const start = input.start ? parseDateArg(input.start, '--start') : null;
  const end = input.end ? parseDateArg(input.end, '--end') : null;
  checkDates(start, end);
  for (let attempt = 0; ; attempt++) {
    try {
      const number = await inTransaction(ctx, async (tx) => {
        const customer = await customerByCode(tx.db, input.customer);
        await requireCustomerInScope(tx, customer);
        const ownerId = await resolveOwner(tx, input.owner, customer.ownerId ?? tx.actor.id);
        if (input.opportunity !== undefined) await checkOpportunity(tx, input.opportunity, customer.id);
        const items: ParsedItem[] = [];
        for (const [i, spec] of input.items.entries()) items.push(await parseItem(tx.db, spec, i));
        const today = await todayDate(tx);
        let number = input.number?.trim();
        if (number !== undefined) {
          if (!number || number.length > 64)
            throw orderError(OrderErrors.badItem, m('订单号无效', 'invalid order number'));
          if (await tx.db('orders').where({ number }).first('id')) throw numberExists(number);
        } else number = await nextNumber(tx, today);
        const now = nowIso(tx.clock);
        const [id] = await tx.db('orders').insert({
          number,
          customer_id: customer.id,
          opportunity_id: input.opportunity ?? null,
          owner_id: ownerId,
          status: 'draft',
          total_fen: sumFen(items.map((i) => i.subtotalFen)),
          max_discount_bp: Math.max(0, ...items.map((i) => i.discountBp)),
          needs_approval: false,
          signed_at: signedAt,
          start_date: start,
          end_date: end,
          signer_id: null,
          created_at: now,
          updated_at: now,
        });
        await writeItems(tx, Number(id), items);
        const detail = await showOrder(tx, number);
        await audit(tx, { action: 'orders.create', entity: 'order', entityId: number, after: auditView(detail) });
        return number;
      });
      return showOrder(ctx, number);
    } catch (err) {
      if (isUniqueViolation(err)) {
        if (input.number) throw numberExists(input.number);
        if (attempt < 5) continue; // two creators took the same sequence number: take the next one
      }
      throw err;
    }
  }
}

/** What the audit log keeps of an order (no derived money fields that change with receipts). */
function auditView(d: OrderDetail) {
  return {
    number: d.number,
    customer: d.customerCode,
    owner: d.owner,
    status: d.status,
    totalFen: d.totalFen,
    signedAt: d.signedAt,
    startDate: d.startDate,
    endDate: d.endDate,
    items: d.items.map(
      (i) =>
        `${i.productCode}:${milliText(i.quantityMilli)}:${i.unitPriceFen}:${bpText(i.discountBp)}=${i.subtotalFen}`,
    ),
    plan: d.plan.map((p) => `${p.number}:${p.dueDate}:${p.amountFen}:${p.status}`),
    rejectReason: d.rejectReason,
    cancelReason: d.cancelReason,
  };
}

function wrongStatus(number: string, status: string, action: string, allowed: string[]) {
  return orderError(
    OrderErrors.badStatus,
    m(
      `订单 ${number} 当前状态为 ${status}，不能${action}（需要：${allowed.join(' / ')}）`,
      `order ${number} is ${status}; cannot ${action} (needs ${allowed.join(' / ')})`,
    ),
    ExitCode.conflict,
    status === 'approved' || status === 'fulfilled'
      ? m('已审批的订单不能修改：取消后重新创建', 'an approved order cannot change: cancel it and create a new one')
      : undefined,
  );
}

/** Change one order in a transaction, after checking its status; audited with before and after. */
async function transition(
  ctx: ServiceContext,
  number: string,
  action: string,
  allowed: OrderStatus[],
  fn: (tx: ServiceContext, row: Row) => Promise<Row>,
): Promise<OrderDetail> {
  requireCapability(ctx.actor, 'crm.write', m('修改订单', 'change orders'));
  await inTransaction(ctx, async (tx) => {
    const row = await orderRow(tx, number);
    if (!allowed.includes(row.status as OrderStatus)) throw wrongStatus(number, String(row.status), action, allowed);
    const before = auditView(await showOrder(tx, number));
    const patch = await fn(tx, row);
    await tx
      .db('orders')
      .where({ id: row.id })
      .update({ ...patch, updated_at: nowIso(tx.clock) });
    const after = auditView(await showOrder(tx, number));
    await audit(tx, { action: `orders.${action}`, entity: 'order', entityId: number, before, after });
  });
  return showOrder(ctx, number);
}

export interface EditOrderInput {
  items?: string[];
  signedAt?: string | null;
  start?: string | null;
  end?: string | null;
  opportunity?: number | null;
}

/** Draft (and rejected) orders are editable; editing a rejected order returns it to draft. */
export function editOrder(ctx: ServiceContext, number: string, input: EditOrderInput): Promise<OrderDetail> {
  return transition(ctx, number, 'edit', ['draft', 'rejected'], async (tx, row) => {
    const patch: Row = { status: 'draft', reject_reason: null };
    if (input.items?.length) {
      const items: ParsedItem[] = [];
      for (const [i, spec] of input.items.entries()) items.push(await parseItem(tx.db, spec, i));
      await writeItems(tx, Number(row.id), items);
      patch.total_fen = sumFen(items.map((i) => i.subtotalFen));
      patch.max_discount_bp = Math.max(0, ...items.map((i) => i.discountBp));
      const planned = sumFen((await planOf(tx.db, Number(row.id))).map((p) => p.amountFen));
      if (planned > Number(patch.total_fen)) {
        throw orderError(
          OrderErrors.planExceedsTotal,
          m('新的订单总额小于已有回款计划合计', 'the new total is below the payment plan already recorded'),
          ExitCode.conflict,
          m('先用 "crm orders plan" 调整回款计划', 'change the plan first with "crm orders plan"'),
        );
      }
    }
    if (input.signedAt !== undefined)
      patch.signed_at = input.signedAt ? parseDateArg(input.signedAt, '--signed-at') : null;
    if (input.start !== undefined) patch.start_date = input.start ? parseDateArg(input.start, '--start') : null;
    if (input.end !== undefined) patch.end_date = input.end ? parseDateArg(input.end, '--end') : null;
    if (input.opportunity !== undefined) {
      if (input.opportunity !== null) await checkOpportunity(tx, input.opportunity, Number(row.customer_id));
      patch.opportunity_id = input.opportunity;
    }
    checkDates(
      (patch.start_date ?? row.start_date) as string | null,
      (patch.end_date ?? row.end_date) as string | null,
    );
    return patch;
  });
}

/** Does this order need a manager's approval? A discount or total strictly above the configured limits. */
export async function approvalNeeded(
  ctx: ServiceContext,
  totalFen: number,
  maxDiscountBp: number,
): Promise<{ needed: boolean; reasons: string[] }> {
  const pct = await ctx.settings.get<number>('orders.approvalDiscountPercent');
  const amount = await ctx.settings.get<number>('orders.approvalAmount');
  const reasons: string[] = [];
  if (maxDiscountBp > pct * 100) reasons.push('discount');
  if (totalFen > amount) reasons.push('amount');
  return { needed: reasons.length > 0, reasons };
}

/**
 * Submit: within the limits the order is approved at once (as before the engine); above them it waits on the
 * approval engine, whose `order` flow (default: the owner's manager) decides it. A rejected order edited and
 * submitted again starts a new round of the same request.
 */
export function submitOrder(ctx: ServiceContext, number: string): Promise<OrderDetail> {
  return transition(ctx, number, 'submit', ['draft'], async (tx, row) => {
    const totalFen = parseFen(row.total_fen);
    const { needed } = await approvalNeeded(tx, totalFen, Number(row.max_discount_bp));
    const now = nowIso(tx.clock);
    const approvedNow = { status: 'approved', submitted_at: now, approved_at: now, approved_by: null };
    if (!needed) return { ...approvedNow, needs_approval: false };
    const existing = await tx.db('approval_requests').where({ order_id: row.id }).first();
    const status = existing
      ? await restartRequest(tx, existing, totalFen)
      : (
          await insertRequest(tx, {
            type: 'order',
            title: String(row.number),
            requesterId: Number(row.owner_id),
            amountFen: totalFen,
            customerId: Number(row.customer_id),
            orderId: Number(row.id),
          })
        ).status;
    // A flow with no step for this order (turned off, or every step above its total) approves it at once.
    return status === 'approved'
      ? { ...approvedNow, needs_approval: true }
      : { status: 'submitted', needs_approval: true, submitted_at: now };
  });
}

/**
 * Approve or reject the order's current approval step through the engine. The owner's manager (or anyone the
 * order flow names, an admin, or a delegate of theirs) decides; the order becomes approved when its last step is
 * approved, rejected at once on a rejection. Audited on the order (orders.approve / orders.reject) and on the
 * request (approvals.*).
 */
async function decideOrder(
  ctx: ServiceContext,
  number: string,
  action: 'approve' | 'reject',
  comment: string | null,
): Promise<OrderDetail> {
  const base = await ctx.db('orders').where({ number }).first('id');
  if (!base) await orderRow(ctx, number); // E6130
  const orderId = Number(base.id);
  const request = await ctx.db('approval_requests').where({ order_id: orderId }).first('id');
  return inTransaction(ctx, async (tx) => {
    // The request's row first: a second decider, in another process too, waits here and then finds it decided.
    let req = request ? await lockRequest(tx, Number(request.id)) : null;
    const row = (await tx.db('orders').where({ id: orderId }).first()) as Row;
    if (row.status !== 'submitted') throw wrongStatus(number, String(row.status), action, ['submitted']);
    if (!req) {
      // Submitted before the engine existed and not moved by the migration: put it on the engine now.
      const { id } = await insertRequest(tx, {
        type: 'order',
        title: number,
        requesterId: Number(row.owner_id),
        amountFen: parseFen(row.total_fen),
        customerId: Number(row.customer_id),
        orderId,
      });
      req = await lockRequest(tx, id);
    }
    const open = openStepOf(req);
    const decider = open ? await deciderFor(tx, await People.load(tx.db), open, tx.actor) : null;
    // Whoever the step is for (the owner's manager, an executive or a user the flow names, a delegate) decides it;
    // anyone else meets the rule before the engine: approving orders is a manager's or an admin's (E4001), within
    // their data scope (E6131), and then the engine's refusal of who may not decide this step (E4211).
    if (!decider) {
      requireCapability(tx.actor, 'crm.approve', m('审批订单', 'approve orders'));
      await orderRow(tx, number);
    }
    const before = auditView(await orderDetail(tx, orderId));
    const r = await decideStep(tx, req, {
      decision: action === 'approve' ? 'approved' : 'rejected',
      comment,
    });
    const now = nowIso(tx.clock);
    const patch: Row =
      r.status === 'approved'
        ? { status: 'approved', approved_at: now, approved_by: tx.actor.id }
        : r.status === 'rejected'
          ? { status: 'rejected', reject_reason: (comment ?? '').trim().slice(0, 300) }
          : {};
    await tx
      .db('orders')
      .where({ id: orderId })
      .update({ ...patch, updated_at: now });
    const detail = await orderDetail(tx, orderId);
    await audit(tx, {
      action: `orders.${action}`,
      entity: 'order',
      entityId: number,
      before,
      after: auditView(detail),
    });
    return detail;
  });
}

export function approveOrder(ctx: ServiceContext, number: string, comment?: string): Promise<OrderDetail> {
  return decideOrder(ctx, number, 'approve', comment ?? null);
}

export async function rejectOrder(
  ctx: ServiceContext,
  number: string,
  reason: string | undefined,
): Promise<OrderDetail> {
  if (!reason?.trim()) {
    throw orderError(
      OrderErrors.reasonRequired,
      m('驳回必须写明原因（--reason）', 'a rejection needs a reason (--reason)'),
    );
  }
  return decideOrder(ctx, number, 'reject', reason.trim());
}

export function fulfilOrder(ctx: ServiceContext, number: string): Promise<OrderDetail> {
  return transition(ctx, number, 'fulfil', ['approved'], async () => ({ status: 'fulfilled' }));
}

export function closeOrder(ctx: ServiceContext, number: string): Promise<OrderDetail> {
  return transition(ctx, number, 'close', ['fulfilled'], async () => ({ status: 'closed' }));
}

/** Cancel; refused while money is held (refund it first). The plan's open instalments become void. */
export function cancelOrder(ctx: ServiceContext, number: string, reason?: string): Promise<OrderDetail> {
  return transition(
    ctx,
    number,
    'cancel',
    ['draft', 'submitted', 'approved', 'rejected', 'fulfilled'],
    async (tx, row) => {
      const money = (await moneyByOrder(tx.db, [Number(row.id)])).get(Number(row.id)) ?? { received: 0, refunded: 0 };
      if (money.received - money.refunded > 0) {
        throw orderError(
          OrderErrors.moneyHeld,
          m(
            `订单 ${number} 仍有已收款项，不能取消`,
            `order ${number} still holds received money; it cannot be cancelled`,
          ),
          ExitCode.conflict,
          m('先用 "crm orders refund" 退款', 'refund it first with "crm orders refund"'),
        );
      }
      await tx.db('plan_instalments').where({ order_id: row.id }).update({ status: 'void' });
      const waiting = await tx.db('approval_requests').where({ order_id: row.id, status: 'pending' }).first();
      if (waiting) await markWithdrawn(tx, waiting);
      return { status: 'cancelled', cancel_reason: reason?.trim().slice(0, 300) || null };
    },
  );
}
