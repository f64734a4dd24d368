import { m } from '../domain/i18n.js';
import type { ReportModel, ReportValue } from './model.js';

export interface SettlementDayInput {
  date: string;
  transactions: number;
  paymentsPendingFen: number;
  paymentsClearedFen: number;
  refundsPendingFen: number;
  refundsClearedFen: number;
  files: number;
  vouchers: number;
}

/** Per business day: pending and cleared totals of payments (划款) and refunds (退款), files and vouchers. */
export function buildSettlement(params: Record<string, ReportValue>, days: SettlementDayInput[]): ReportModel {
  const rows = days.map((d) => ({
    date: d.date,
    transactions: d.transactions,
    paymentsPending: d.paymentsPendingFen,
    paymentsCleared: d.paymentsClearedFen,
    refundsPending: d.refundsPendingFen,
    refundsCleared: d.refundsClearedFen,
    files: d.files,
    vouchers: d.vouchers,
  }));
  const keys = [
    'transactions',
    'paymentsPending',
    'paymentsCleared',
    'refundsPending',
    'refundsCleared',
    'files',
    'vouchers',
  ] as const;
  const totals: Record<string, ReportValue> = {};
  for (const k of keys) totals[k] = rows.reduce((s, r) => s + r[k], 0);
  return {
    report: 'settlement',
    title: m('清算日报', 'Settlement by day'),
    params,
    columns: [
      { key: 'date', label: m('业务日期', 'business date'), kind: 'date' },
      { key: 'transactions', label: m('笔数', 'transactions'), kind: 'int', sum: true },
      { key: 'paymentsPending', label: m('划款待清算', 'payments pending'), kind: 'money', sum: true },
      { key: 'paymentsCleared', label: m('划款已清算', 'payments cleared'), kind: 'money', sum: true },
      { key: 'refundsPending', label: m('退款待清算', 'refunds pending'), kind: 'money', sum: true },
      { key: 'refundsCleared', label: m('退款已清算', 'refunds cleared'), kind: 'money', sum: true },
      { key: 'files', label: m('清算文件', 'files'), kind: 'int', sum: true },
      { key: 'vouchers', label: m('凭证', 'vouchers'), kind: 'int', sum: true },
    ],
    rows,
    totals,
    chart: {
      type: 'stacked',
      labelKey: 'date',
      valueKeys: ['paymentsCleared', 'paymentsPending', 'refundsCleared', 'refundsPending'],
    },
  };
}
