import type { L10n } from '../domain/errors.js';
import { m } from '../domain/i18n.js';
import type { ColumnKind, ReportModel, ReportValue } from './model.js';

export const RANKING_METRICS = ['orders-amount', 'receipts', 'new-customers', 'followups', 'products-sold'] as const;
export type RankingMetric = (typeof RANKING_METRICS)[number];

const METRIC: Record<RankingMetric, { label: L10n; kind: ColumnKind }> = {
  'orders-amount': { label: m('订单金额', 'orders amount'), kind: 'money' },
  receipts: { label: m('净回款', 'net received'), kind: 'money' },
  'new-customers': { label: m('新增客户', 'new customers'), kind: 'int' },
  followups: { label: m('跟进次数', 'follow-ups'), kind: 'int' },
  'products-sold': { label: m('产品销量', 'products sold'), kind: 'text' },
};

export interface RankingInput {
  owner: string;
  /** fen for money metrics, a count, or quantity × 1000 for products-sold. */
  value: number;
}

/** Quantity × 1000 as a decimal string without trailing zeros: 2500 → "2.5". */
export function quantityString(milli: number): string {
  const neg = milli < 0;
  const digits = String(Math.abs(milli)).padStart(4, '0');
  const frac = digits.slice(-3).replace(/0+$/, '');
  return `${neg ? '-' : ''}${digits.slice(0, -3)}${frac ? `.${frac}` : ''}`;
}

/** The top N by one metric (ties: by name); rank 1 is the best. */
export function buildRanking(
  params: Record<string, ReportValue>,
  metric: RankingMetric,
  top: number,
  people: RankingInput[],
): ReportModel {
  const sorted = [...people].sort((a, b) => b.value - a.value || (a.owner < b.owner ? -1 : 1)).slice(0, top);
  const spec = METRIC[metric];
  const isQty = metric === 'products-sold';
  const rows = sorted.map((p, i) => ({
    rank: i + 1,
    owner: p.owner,
    value: isQty ? quantityString(p.value) : p.value,
  }));
  const total = sorted.reduce((s, p) => s + p.value, 0);
  return {
    report: 'ranking',
    title: { zh: `排名：${spec.label.zh}`, en: `Ranking by ${spec.label.en}` },
    params: { ...params, by: metric, top },
    columns: [
      { key: 'rank', label: m('名次', 'rank'), kind: 'int' },
      { key: 'owner', label: m('客户经理', 'account manager'), kind: 'text' },
      { key: 'value', label: spec.label, kind: spec.kind },
    ],
    rows,
    totals: { value: isQty ? quantityString(total) : total },
    chart: { type: 'hbar', labelKey: 'owner', valueKeys: ['value'] },
  };
}
