import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderDetails } from '../../cli/output.js';
import { formatYuan, yuanString } from '../../domain/money.js';
import { INSTALMENT_STATUS, ORDER_STATUS, wordFor } from '../../domain/vocabulary.js';
import { bpText, milliText } from '../../services/orders/common.js';
import type { OrderDetail, OrderSummary } from '../../services/orders/orders.js';
import type { MoneyResult } from '../../services/orders/payments.js';

/** The `orders show --json` contract: amounts are yuan strings with two decimals. */
export function orderJson(d: OrderDetail) {
  return {
    number: d.number,
    customerCode: d.customerCode,
    customerName: d.customerName,
    owner: d.owner,
    status: d.status,
    orderDate: d.orderDate,
    signedAt: d.signedAt,
    startDate: d.startDate,
    endDate: d.endDate,
    opportunityId: d.opportunityId,
    needsApproval: d.needsApproval,
    approvedBy: d.approvedBy,
    rejectReason: d.rejectReason,
    cancelReason: d.cancelReason,
    items: d.items.map((i) => ({
      line: i.line,
      productCode: i.productCode,
      productName: i.productName,
      quantity: milliText(i.quantityMilli),
      unitPrice: yuanString(i.unitPriceFen),
      discountPercent: bpText(i.discountBp),
      subtotal: yuanString(i.subtotalFen),
    })),
    total: yuanString(d.totalFen),
    received: yuanString(d.receivedFen),
    refunded: yuanString(d.refundedFen),
    outstanding: yuanString(d.outstandingFen),
    plan: d.plan.map((p) => ({
      number: p.number,
      dueDate: p.dueDate,
      amount: yuanString(p.amountFen),
      paid: yuanString(p.paidFen),
      status: p.status,
    })),
    transactions: d.transactions.map((t) => ({
      ref: t.ref,
      kind: t.kind,
      amount: yuanString(t.amountFen),
      at: t.at,
      businessDate: t.businessDate,
      clearingStatus: t.clearingStatus,
      clearingDate: t.clearingDate,
      method: t.method,
      instalment: t.instalment,
      reason: t.reason,
    })),
  };
}

export function summaryJson(o: OrderSummary) {
  return {
    number: o.number,
    customerCode: o.customerCode,
    customerName: o.customerName,
    owner: o.owner,
    status: o.status,
    orderDate: o.orderDate,
    total: yuanString(o.totalFen),
    received: yuanString(o.receivedFen),
    refunded: yuanString(o.refundedFen),
    outstanding: yuanString(o.outstandingFen),
  };
}

export const orderColumns: Column<OrderSummary>[] = [
  { key: 'number', label: m('订单号', 'number') },
  { key: 'customerCode', label: m('客户', 'customer') },
  { key: 'owner', label: m('负责人', 'owner') },
  { key: 'status', label: m('状态', 'status'), words: ORDER_STATUS },
  { key: 'orderDate', label: m('日期', 'date') },
  { key: 'total', label: m('总额', 'total'), align: 'right', value: (o) => yuanString(o.totalFen) },
  {
    key: 'received',
    label: m('已收', 'received'),
    align: 'right',
    value: (o) => yuanString(o.receivedFen - o.refundedFen),
  },
  { key: 'outstanding', label: m('未收', 'outstanding'), align: 'right', value: (o) => yuanString(o.outstandingFen) },
];

export function printOrder(ctx: CliContext, d: OrderDetail): void {
  if (ctx.json) {
    printJson(ctx, orderJson(d));
    return;
  }
  renderDetails(
    ctx,
    [
      [m('订单号', 'number'), d.number],
      [m('客户', 'customer'), `${d.customerCode} ${d.customerName}`],
      [m('负责人', 'owner'), d.owner],
      [
        m('状态', 'status'),
        wordFor(ctx.lang, ORDER_STATUS, d.status) +
          (d.status === 'submitted' && d.needsApproval ? ctx.t(m('（待审批）', ' (awaiting approval)')) : ''),
      ],
      [m('签订日期', 'signed'), d.signedAt],
      [m('合同期', 'term'), d.startDate || d.endDate ? `${d.startDate ?? ''} – ${d.endDate ?? ''}` : null],
      [m('审批人', 'approved by'), d.approvedBy],
      [m('驳回原因', 'rejected because'), d.rejectReason],
      [m('取消原因', 'cancelled because'), d.cancelReason],
      [m('总额', 'total'), formatYuan(d.totalFen)],
      [m('已收', 'received'), formatYuan(d.receivedFen)],
      [m('已退', 'refunded'), formatYuan(d.refundedFen)],
      [m('未收', 'outstanding'), formatYuan(d.outstandingFen)],
    ],
    null,
  );
  ctx.out('');
  for (const i of d.items) {
    ctx.out(
      `  ${i.line}. ${i.productCode} ${i.productName}  ${milliText(i.quantityMilli)}${i.unit ?? ''} × ${formatYuan(i.unitPriceFen)}` +
        `${i.discountBp ? ` −${bpText(i.discountBp)}%` : ''} = ${formatYuan(i.subtotalFen)}`,
    );
  }
  if (d.plan.length) {
    ctx.out(ctx.t(m('回款计划：', 'payment plan:')));
    for (const p of d.plan) {
      ctx.out(
        `  #${p.number} ${p.dueDate}  ${formatYuan(p.amountFen)}  ${ctx.t(m('已付', 'paid'))} ${formatYuan(p.paidFen)}  ${wordFor(ctx.lang, INSTALMENT_STATUS, p.status)}`,
      );
    }
  }
  if (d.transactions.length) {
    ctx.out(ctx.t(m('回款与退款：', 'receipts and refunds:')));
    for (const t of d.transactions) {
      ctx.out(
        `  ${t.ref}  ${t.kind}  ${formatYuan(t.amountFen)}  ${t.businessDate}  ${t.clearingStatus}${t.reason ? `  ${t.reason}` : ''}`,
      );
    }
  }
}

export function statusLine(ctx: CliContext, d: OrderDetail): void {
  if (ctx.json) {
    printJson(ctx, orderJson(d));
    return;
  }
  ctx.out(
    ctx.t(m('订单 {number}：{status}，总额 {total}', 'order {number}: {status}, total {total}'), {
      number: d.number,
      status: wordFor(ctx.lang, ORDER_STATUS, d.status),
      total: formatYuan(d.totalFen),
    }),
  );
}

/** After a receipt or refund: what was recorded (or that it already was), and the order's money. */
export function printMoney(ctx: CliContext, r: MoneyResult, kind: 'receipt' | 'refund'): void {
  if (ctx.json) {
    printJson(ctx, { status: r.status, ref: r.ref, order: orderJson(r.order) });
    return;
  }
  const t = r.order.transactions.find((x) => x.ref === r.ref);
  if (r.status === 'unchanged') {
    ctx.out(
      ctx.t(
        m(
          '流水号 {ref} 已登记过（内容相同，未重复记账）',
          'ref {ref} was already recorded (same content; nothing changed)',
        ),
        { ref: r.ref },
      ),
    );
  } else {
    ctx.out(
      ctx.t(
        kind === 'receipt'
          ? m(
              '已登记回款 {amount}（流水号 {ref}，清算日 {date}）',
              'receipt {amount} recorded (ref {ref}, business date {date})',
            )
          : m(
              '已登记退款 {amount}（流水号 {ref}，清算日 {date}）',
              'refund {amount} recorded (ref {ref}, business date {date})',
            ),
        { amount: formatYuan(t?.amountFen ?? 0), ref: r.ref, date: t?.businessDate ?? '' },
      ),
    );
  }
  ctx.out(
    ctx.t(m('订单 {n}：已收 {r}，已退 {f}，未收 {o}', 'order {n}: received {r}, refunded {f}, outstanding {o}'), {
      n: r.order.number,
      r: formatYuan(r.order.receivedFen),
      f: formatYuan(r.order.refundedFen),
      o: formatYuan(r.order.outstandingFen),
    }),
  );
}
