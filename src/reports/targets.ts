import { m } from '../domain/i18n.js';
import { pct } from './common.js';
import type { ReportModel, ReportValue } from './model.js';

export interface TargetInput {
  owner: string;
  month: string;
  targetOrdersFen: number;
  actualOrdersFen: number;
  targetReceiptsFen: number;
  /** Receipts less refunds of the month. */
  actualReceiptsFen: number;
}

/** Targets against actuals per user and month; completion in basis points (0 when there is no target). */
export function buildTargets(params: Record<string, ReportValue>, items: TargetInput[]): ReportModel {
  const rows = items.map((t) => ({
    owner: t.owner,
    month: t.month,
    ordersTarget: t.targetOrdersFen,
    ordersActual: t.actualOrdersFen,
    ordersCompletion: pct(t.actualOrdersFen, t.targetOrdersFen),
    receiptsTarget: t.targetReceiptsFen,
    receiptsActual: t.actualReceiptsFen,
    receiptsCompletion: pct(t.actualReceiptsFen, t.targetReceiptsFen),
  }));
  const sum = (k: 'ordersTarget' | 'ordersActual' | 'receiptsTarget' | 'receiptsActual') =>
    rows.reduce((s, r) => s + r[k], 0);
  return {
    report: 'targets',
    title: m('目标完成情况', 'Targets and completion'),
    params,
    columns: [
      { key: 'owner', label: m('用户', 'user'), kind: 'text' },
      { key: 'month', label: m('月份', 'month'), kind: 'text' },
      { key: 'ordersTarget', label: m('订单目标', 'orders target'), kind: 'money', sum: true },
      { key: 'ordersActual', label: m('订单实际', 'orders actual'), kind: 'money', sum: true },
      { key: 'ordersCompletion', label: m('订单完成%', 'orders %'), kind: 'percent' },
      { key: 'receiptsTarget', label: m('回款目标', 'receipts target'), kind: 'money', sum: true },
      { key: 'receiptsActual', label: m('净回款实际', 'net received'), kind: 'money', sum: true },
      { key: 'receiptsCompletion', label: m('回款完成%', 'receipts %'), kind: 'percent' },
    ],
    rows,
    totals: {
      ordersTarget: sum('ordersTarget'),
      ordersActual: sum('ordersActual'),
      ordersCompletion: pct(sum('ordersActual'), sum('ordersTarget')),
      receiptsTarget: sum('receiptsTarget'),
      receiptsActual: sum('receiptsActual'),
      receiptsCompletion: pct(sum('receiptsActual'), sum('receiptsTarget')),
    },
    chart: { type: 'bar', labelKey: 'owner', valueKeys: ['ordersTarget', 'ordersActual'] },
  };
}
