import { businessDate, formatLocal } from '../../domain/clock.js';
import { ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { parseFen, yuanString } from '../../domain/money.js';
import { requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { type PostedTransaction, postTransaction } from '../settlement/ledger.js';
import { isMysql, OrderErrors, orderError, type Row } from './common.js';
import { type Instalment, moneyOfOrder, type OrderDetail, orderRow, planOf, showOrder } from './orders.js';
import { instalmentStatus } from './plans.js';

export const PAYMENT_METHODS = ['transfer', 'cash', 'cheque', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface ReceiptInput {
  amountFen: number;
  at: Date;
  instalment?: number;
  method?: string;
  account?: string;
  ref?: string;
  accountClass?: string;
}

export interface RefundInput {
  amountFen: number;
  at: Date;
  reason: string;
  ref?: string;
  accountClass?: string;
}

export interface MoneyResult {
  /** 'inserted' for a new receipt or refund, 'unchanged' when the same --ref with the same content was repeated. */
  status: 'inserted' | 'unchanged';
  ref: string;
  order: OrderDetail;
}

/** Statuses in which money may come in or go back. */
const PAYABLE = ['approved', 'fulfilled', 'closed'];

/**
 * Lock the order row for the rest of the transaction, then read it: no amount is read before the lock. The first
 * statement is a real write (money_version + 1): on SQLite it takes the database write lock, on one MySQL server
 * the row lock, and on a Galera cluster, where row locks are local to a node, two payments on one order from two
 * nodes both write the row, so certification aborts one (1213) and inTransaction runs it again, re-reading the
 * amounts the winner left. A second `pay` therefore always sees the first one's receipt.
 */
async function lockedOrderRow(tx: ServiceContext, number: string): Promise<Row> {
  await tx
    .db('orders')
    .where({ number })
    .update({ money_version: tx.db.raw('money_version + 1') });
  if (isMysql(tx.db)) await tx.db('orders').where({ number }).forUpdate().first('id');
  return orderRow(tx, number);
}

function refConflict(ref: string, what: string) {
  return orderError(
    OrderErrors.refConflict,
    m(`流水号 ${ref} 已被使用且内容不同（${what}）`, `ref ${ref} is already used with different content (${what})`),
    ExitCode.conflict,
    m(
      '同一 --ref 重复提交时内容必须完全一致；新的一笔请用新的 --ref（或省略自动生成）',
      'repeat a --ref only with identical content; give a new --ref for a new payment (or leave it out)',
    ),
  );
}

/** The same ref again: identical content is a no-op, anything else a conflict. Returns true when identical. */
async function sameAsExisting(
  tx: ServiceContext,
  ref: string,
  want: {
    orderId: number;
    kind: 'receipt' | 'refund';
    amountFen: number;
    at: string;
    method?: string | null;
    account?: string | null;
    reason?: string | null;
    instalmentId?: number | null;
  },
): Promise<boolean> {
  const existing: Row | undefined = await tx.db('order_payments').where({ ref }).first();
  if (!existing) {
    const txn = await tx.db('settlement_transactions').where({ ref }).first('id');
    if (txn) throw refConflict(ref, 'settlement transaction from another source');
    return false;
  }
  const diffs: string[] = [];
  if (Number(existing.order_id) !== want.orderId) diffs.push('order');
  if (existing.kind !== want.kind) diffs.push('kind');
  if (parseFen(existing.amount_fen) !== want.amountFen)
    diffs.push(`amount ${yuanString(parseFen(existing.amount_fen))}`);
  if (String(existing.at) !== want.at) diffs.push(`time ${existing.at}`);
  if (want.method !== undefined && (existing.method ?? null) !== want.method) diffs.push('method');
  if (want.account !== undefined && (existing.payer_account ?? null) !== want.account) diffs.push('account');
  if (want.reason !== undefined && (existing.reason ?? null) !== want.reason) diffs.push('reason');
  if (want.instalmentId != null && Number(existing.instalment_id) !== want.instalmentId) diffs.push('instalment');
  if (diffs.length) throw refConflict(ref, diffs.join(', '));
  return true;
}

async function nextRef(tx: ServiceContext, number: string, kind: 'receipt' | 'refund'): Promise<string> {
  const row = await tx
    .db('order_payments')
    .where({ order_id: tx.db('orders').where({ number }).select('id') })
    .count({ n: '*' })
    .first();
  let n = Number(row?.n ?? 0) + 1;
  for (;;) {
    const ref = `${number}-${kind === 'receipt' ? 'R' : 'T'}${n}`.slice(0, 64);
    if (!(await tx.db('settlement_transactions').where({ ref }).first('id'))) return ref;
    n++;
  }
}

function checkPayable(row: Row, number: string, what: 'pay' | 'refund'): void {
  if (!PAYABLE.includes(String(row.status))) {
    throw orderError(
      OrderErrors.badStatus,
      m(
        `订单 ${number} 状态为 ${row.status}，不能${what === 'pay' ? '回款' : '退款'}（需要 approved / fulfilled / closed）`,
        `order ${number} is ${row.status}; it cannot take a ${what === 'pay' ? 'receipt' : 'refund'} (needs approved / fulfilled / closed)`,
      ),
      ExitCode.conflict,
      what === 'pay'
        ? m('订单生效（提交并审批）后才能回款', 'an order takes money once submitted and approved')
        : undefined,
    );
  }
}

function checkMethod(method: string | undefined): PaymentMethod {
  const value = (method ?? 'transfer').trim();
  if (!(PAYMENT_METHODS as readonly string[]).includes(value)) {
    throw orderError(
      OrderErrors.badMethod,
      m(
        `付款方式无效：${value}（可选：${PAYMENT_METHODS.join(', ')}）`,
        `invalid method: ${value} (one of ${PAYMENT_METHODS.join(', ')})`,
      ),
    );
  }
  return value as PaymentMethod;
}

/**
 * Money is recorded when it moved, never ahead: a receipt or refund dated in the future (a mistyped `--at`)
 * would post to a business day that has not happened and be cleared with it.
 */
async function checkNotFuture(ctx: ServiceContext, at: Date): Promise<void> {
  const now = ctx.clock.now();
  if (at.getTime() > now.getTime()) {
    const tz = await ctx.settings.get<string>('timezone');
    throw orderError(
      OrderErrors.futureTime,
      m(
        `时间 ${formatLocal(at, tz)} 晚于现在（${formatLocal(now, tz)}）：不能登记未来的款项`,
        `the time ${formatLocal(at, tz)} is after now (${formatLocal(now, tz)}): money cannot be recorded ahead of time`,
      ),
      ExitCode.usage,
      m(
        '检查 --at（业务时区的本地时间）；省略则为现在',
        'check --at (local time, business time zone); leave it out for now',
      ),
    );
  }
}

function checkAmount(amountFen: number): void {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) {
    throw orderError(OrderErrors.badAmount, m('金额必须大于 0', 'the amount must be above 0'));
  }
}

async function accountClassOf(tx: ServiceContext, given: string | undefined): Promise<string> {
  const cls = given?.trim() || (await tx.settings.get<string>('settlement.defaultAccountClass'));
  const known = await tx.settings.get<string[]>('settlement.accountClasses');
  if (!known.includes(cls)) {
    throw orderError(
      OrderErrors.badAccountClass,
      m(
        `未知的账户分类：${cls}（可选：${known.join('、')}）`,
        `unknown account class: ${cls} (one of ${known.join(', ')})`,
      ),
      ExitCode.usage,
      m(
        '账户分类在设置 settlement.accountClasses 中配置',
        'account classes are configured in settlement.accountClasses',
      ),
    );
  }
  return cls;
}

async function updateInstalments(tx: ServiceContext, changes: Map<number, Instalment>): Promise<void> {
  for (const i of changes.values()) {
    await tx
      .db('plan_instalments')
      .where({ id: i.id })
      .update({ paid_fen: i.paidFen, status: instalmentStatus(i) });
  }
}

/** A receipt or a refund as recordMovement writes it. */
interface Movement {
  kind: 'receipt' | 'refund';
  amountFen: number;
  at: Date;
  /** The caller's --ref; absent: the next free one for the order. */
  ref: string | undefined;
  accountClass: string | undefined;
  method: PaymentMethod | null;
  payerAccount: string | null;
  reason: string | null;
  /** The settlement transaction's memo. */
  memo: string;
  /** The instalment the payment row names. */
  instalmentId: number | null;
  /** Instalments with their new paid amounts. */
  changes: Map<number, Instalment>;
}

/**
 * What a receipt and a refund both write, after the caller has locked the order and checked the amount: the
 * settlement transaction, the order's payment row pointing at it, and the instalments' paid amounts.
 */
async function recordMovement(
  tx: ServiceContext,
  number: string,
  row: Row,
  mv: Movement,
): Promise<{ ref: string; transaction: PostedTransaction }> {
  const ref = mv.ref ?? (await nextRef(tx, number, mv.kind));
  const posted = await postTransaction(tx, {
    ref,
    kind: mv.kind === 'receipt' ? 'payment' : 'refund',
    amountFen: mv.amountFen,
    customerId: Number(row.customer_id),
    accountClass: await accountClassOf(tx, mv.accountClass),
    payerAccount: mv.payerAccount,
    memo: mv.memo,
    occurredAt: mv.at,
    source: 'order',
  });
  // A repeated --ref was answered before this point: a transaction already holding the ref is someone else's.
  if (posted.status !== 'inserted') throw refConflict(ref, 'settlement transaction already exists');
  const tz = await tx.settings.get<string>('timezone');
  await tx.db('order_payments').insert({
    order_id: Number(row.id),
    instalment_id: mv.instalmentId,
    kind: mv.kind,
    amount_fen: mv.amountFen,
    at: mv.at.toISOString(),
    business_date: businessDate(mv.at, tz),
    method: mv.method,
    payer_account: mv.payerAccount,
    reason: mv.reason,
    ref,
    transaction_id: posted.transaction.id,
    handler_id: tx.actor.id > 0 ? tx.actor.id : null,
    created_at: nowIso(tx.clock),
  });
  await updateInstalments(tx, mv.changes);
  return { ref, transaction: posted.transaction };
}

/**
 * A receipt 回款: never more than is still owed; applied to the given instalment, else the oldest open one,
 * spilling into the next ones. The receipt and its settlement transaction are written in one transaction.
 */
export async function receivePayment(ctx: ServiceContext, number: string, input: ReceiptInput): Promise<MoneyResult> {
  requireCapability(ctx.actor, 'crm.write', m('登记回款', 'record receipts'));
  checkAmount(input.amountFen);
  await checkNotFuture(ctx, input.at);
  const method = checkMethod(input.method);
  const account = input.account?.trim() || null;
  const result = await inTransaction(ctx, async (tx) => {
    const row = await lockedOrderRow(tx, number);
    const orderId = Number(row.id);
    const plan = await planOf(tx.db, orderId);
    let target: Instalment | undefined;
    if (input.instalment !== undefined) {
      target = plan.find((p) => p.number === input.instalment);
      if (!target || target.status === 'void') {
        throw orderError(
          OrderErrors.instalmentNotFound,
          m(
            `订单 ${number} 没有第 ${input.instalment} 期回款计划`,
            `order ${number} has no instalment ${input.instalment}`,
          ),
          ExitCode.usage,
          m('用 "crm orders show" 查看回款计划', 'see the plan with "crm orders show"'),
        );
      }
    }
    const at = input.at.toISOString();
    if (input.ref) {
      const same = await sameAsExisting(tx, input.ref, {
        orderId,
        kind: 'receipt',
        amountFen: input.amountFen,
        at,
        method,
        account,
        instalmentId: target?.id ?? null,
      });
      if (same) return { status: 'unchanged' as const, ref: input.ref };
    }
    checkPayable(row, number, 'pay');
    const money = await moneyOfOrder(tx.db, orderId);
    const outstanding = parseFen(row.total_fen) - (money.received - money.refunded);
    if (input.amountFen > outstanding) {
      throw orderError(
        OrderErrors.payExceedsOutstanding,
        m(
          `回款 ${yuanString(input.amountFen)} 超过订单 ${number} 尚欠的 ${yuanString(Math.max(0, outstanding))}`,
          `a receipt of ${yuanString(input.amountFen)} is more than the ${yuanString(Math.max(0, outstanding))} still owed on order ${number}`,
        ),
        ExitCode.conflict,
        m('用 "crm orders show" 查看已收与未收金额', 'see received and outstanding with "crm orders show"'),
      );
    }
    if (target && target.paidFen >= target.amountFen) {
      throw orderError(
        OrderErrors.instalmentNotFound,
        m(`第 ${target.number} 期已付清`, `instalment ${target.number} is already paid`),
        ExitCode.conflict,
        m('省略 --instalment 则记到最早未付的一期', 'leave out --instalment to apply it to the oldest open one'),
      );
    }
    // Allocate: the chosen instalment (or the oldest open), then the following open ones by due date.
    const open = plan
      .filter((p) => p.status !== 'void' && p.paidFen < p.amountFen)
      .sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.number - b.number));
    const order = target ? [target, ...open.filter((p) => p.id !== target.id)] : open;
    const changes = new Map<number, Instalment>();
    let left = input.amountFen;
    for (const p of order) {
      if (left <= 0) break;
      const take = Math.min(left, p.amountFen - p.paidFen);
      changes.set(p.id, { ...p, paidFen: p.paidFen + take });
      left -= take;
    }
    const { ref, transaction } = await recordMovement(tx, number, row, {
      kind: 'receipt',
      amountFen: input.amountFen,
      at: input.at,
      ref: input.ref,
      accountClass: input.accountClass,
      method,
      payerAccount: account,
      reason: null,
      memo: `回款 ${number}`,
      instalmentId: order.find((p) => changes.has(p.id))?.id ?? null,
      changes,
    });
    await audit(tx, {
      action: 'orders.pay',
      entity: 'order',
      entityId: number,
      after: {
        ref,
        amount: yuanString(input.amountFen),
        at,
        method,
        account,
        instalments: [...changes.values()].map((c) => `${c.number}:${yuanString(c.paidFen)}`),
        transactionId: transaction.id,
        businessDate: transaction.businessDate,
      },
    });
    return { status: 'inserted' as const, ref };
  });
  return { ...result, order: await showOrder(ctx, number) };
}

/** A refund 退款: never more than received minus refunded; taken back from the latest paid instalments. */
export async function refundPayment(ctx: ServiceContext, number: string, input: RefundInput): Promise<MoneyResult> {
  requireCapability(ctx.actor, 'crm.write', m('登记退款', 'record refunds'));
  checkAmount(input.amountFen);
  await checkNotFuture(ctx, input.at);
  const reason = input.reason?.trim();
  if (!reason)
    throw orderError(
      OrderErrors.reasonRequired,
      m('退款必须写明原因（--reason）', 'a refund needs a reason (--reason)'),
    );
  const result = await inTransaction(ctx, async (tx) => {
    const row = await lockedOrderRow(tx, number);
    const orderId = Number(row.id);
    const at = input.at.toISOString();
    if (input.ref) {
      const same = await sameAsExisting(tx, input.ref, {
        orderId,
        kind: 'refund',
        amountFen: input.amountFen,
        at,
        reason: reason.slice(0, 300),
      });
      if (same) return { status: 'unchanged' as const, ref: input.ref };
    }
    checkPayable(row, number, 'refund');
    const money = await moneyOfOrder(tx.db, orderId);
    const refundable = money.received - money.refunded;
    if (input.amountFen > refundable) {
      throw orderError(
        OrderErrors.refundExceedsReceived,
        m(
          `退款 ${yuanString(input.amountFen)} 超过订单 ${number} 可退金额 ${yuanString(refundable)}（已收 ${yuanString(money.received)}，已退 ${yuanString(money.refunded)}）`,
          `a refund of ${yuanString(input.amountFen)} is more than the ${yuanString(refundable)} refundable on order ${number} (received ${yuanString(money.received)}, refunded ${yuanString(money.refunded)})`,
        ),
        ExitCode.conflict,
      );
    }
    const plan = await planOf(tx.db, orderId);
    const paidBack = plan
      .filter((p) => p.status !== 'void' && p.paidFen > 0)
      .sort((a, b) => (a.dueDate > b.dueDate ? -1 : a.dueDate < b.dueDate ? 1 : b.number - a.number));
    const changes = new Map<number, Instalment>();
    // Money received beyond the plan is refunded first, then the latest instalments.
    let left =
      input.amountFen - Math.max(0, refundable - plan.reduce((s, p) => s + (p.status === 'void' ? 0 : p.paidFen), 0));
    for (const p of paidBack) {
      if (left <= 0) break;
      const take = Math.min(left, p.paidFen);
      changes.set(p.id, { ...p, paidFen: p.paidFen - take });
      left -= take;
    }
    const { ref, transaction } = await recordMovement(tx, number, row, {
      kind: 'refund',
      amountFen: input.amountFen,
      at: input.at,
      ref: input.ref,
      accountClass: input.accountClass,
      method: null,
      payerAccount: null,
      reason: reason.slice(0, 300),
      memo: `退款 ${number}: ${reason}`.slice(0, 300),
      instalmentId: [...changes.keys()][0] ?? null, // the latest instalment taken back
      changes,
    });
    await audit(tx, {
      action: 'orders.refund',
      entity: 'order',
      entityId: number,
      after: { ref, amount: yuanString(input.amountFen), at, reason, transactionId: transaction.id },
    });
    return { status: 'inserted' as const, ref };
  });
  return { ...result, order: await showOrder(ctx, number) };
}
