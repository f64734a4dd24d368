import { m } from '../domain/i18n.js';
import type { ReportModel, ReportValue } from './model.js';

export interface ReceivableInput {
  code: string;
  name: string;
  owner: string | null;
  orders: number;
  totalFen: number;
  receivedFen: number;
  outstandingFen: number;
  /** Overdue instalment amounts by days past due as of the date: 1–30, 31–60, 61–90, over 90. */
  d0_30: number;
  d31_60: number;
  d61_90: number;
  d90p: number;
}

const MONEY_KEYS = [
  'total',
  'received',
  'outstanding',
  'overdue0To30',
  'overdue31To60',
  'overdue61To90',
  'overdueOver90',
] as const;

/** Outstanding per customer as of a date, with overdue ageing buckets; largest outstanding first. */
export function buildReceivables(params: Record<string, ReportValue>, items: ReceivableInput[]): ReportModel {
  const rows = [...items]
    .sort((a, b) => b.outstandingFen - a.outstandingFen || a.code.localeCompare(b.code))
    .map((r) => ({
      code: r.code,
      customer: r.name,
      owner: r.owner,
      orders: r.orders,
      total: r.totalFen,
      received: r.receivedFen,
      outstanding: r.outstandingFen,
      overdue0To30: r.d0_30,
      overdue31To60: r.d31_60,
      overdue61To90: r.d61_90,
      overdueOver90: r.d90p,
    }));
  const totals: Record<string, ReportValue> = {
    customers: rows.length,
    orders: rows.reduce((s, r) => s + r.orders, 0),
  };
  for (const k of MONEY_KEYS) totals[k] = rows.reduce((s, r) => s + r[k], 0);
  return {
    report: 'receivables',
    title: m('应收账款与逾期账龄', 'Receivables and overdue ageing'),
    params,
    columns: [
      { key: 'code', label: m('编码', 'code'), kind: 'text' },
      { key: 'customer', label: m('客户', 'customer'), kind: 'text' },
      { key: 'owner', label: m('客户经理', 'owner'), kind: 'text' },
      { key: 'orders', label: m('订单数', 'orders'), kind: 'int', sum: true },
      { key: 'total', label: m('合同金额', 'total'), kind: 'money', sum: true },
      { key: 'received', label: m('已回款', 'received'), kind: 'money', sum: true },
      { key: 'outstanding', label: m('未回款', 'outstanding'), kind: 'money', sum: true },
      { key: 'overdue0To30', label: m('逾期0–30天', 'overdue 0-30'), kind: 'money', sum: true },
      { key: 'overdue31To60', label: m('31–60天', '31-60'), kind: 'money', sum: true },
      { key: 'overdue61To90', label: m('61–90天', '61-90'), kind: 'money', sum: true },
      { key: 'overdueOver90', label: m('90天以上', 'over 90'), kind: 'money', sum: true },
    ],
    rows,
    totals,
    totalKinds: { customers: 'int' },
    chart: {
      type: 'stacked',
      labelKey: 'customer',
      valueKeys: ['overdue0To30', 'overdue31To60', 'overdue61To90', 'overdueOver90'],
    },
  };
}
