import { m } from '../domain/i18n.js';
import type { ReportColumn, ReportModel, ReportValue } from './model.js';

/** One account manager's figures for a period (money in fen). */
export interface PerformanceInput {
  owner: string;
  newCustomers: number;
  followups: number;
  orders: number;
  ordersAmountFen: number;
  receiptsFen: number;
  refundsFen: number;
}

export const PERFORMANCE_COLUMNS: ReportColumn[] = [
  { key: 'owner', label: m('客户经理', 'account manager'), kind: 'text' },
  { key: 'newCustomers', label: m('新增客户', 'new customers'), kind: 'int', sum: true },
  { key: 'followups', label: m('跟进', 'follow-ups'), kind: 'int', sum: true },
  { key: 'orders', label: m('订单数', 'orders'), kind: 'int', sum: true },
  { key: 'ordersAmount', label: m('订单金额', 'orders amount'), kind: 'money', sum: true },
  { key: 'receipts', label: m('回款', 'receipts'), kind: 'money', sum: true },
  { key: 'refunds', label: m('退款', 'refunds'), kind: 'money', sum: true },
  { key: 'netReceived', label: m('净回款', 'net received'), kind: 'money', sum: true },
];

/** Performance per account manager, in the order given, with team totals. */
export function buildPerformance(params: Record<string, ReportValue>, people: PerformanceInput[]): ReportModel {
  const rows = people.map((p) => ({
    owner: p.owner,
    newCustomers: p.newCustomers,
    followups: p.followups,
    orders: p.orders,
    ordersAmount: p.ordersAmountFen,
    receipts: p.receiptsFen,
    refunds: p.refundsFen,
    netReceived: p.receiptsFen - p.refundsFen,
  }));
  const totals: Record<string, ReportValue> = {};
  for (const c of PERFORMANCE_COLUMNS) {
    if (c.sum) totals[c.key] = rows.reduce((s, r) => s + (r[c.key as keyof typeof r] as number), 0);
  }
  return {
    report: 'performance',
    title: m('客户经理业绩', 'Performance per account manager'),
    params,
    columns: PERFORMANCE_COLUMNS,
    rows,
    totals,
    chart: { type: 'bar', labelKey: 'owner', valueKeys: ['ordersAmount', 'netReceived'] },
  };
}
