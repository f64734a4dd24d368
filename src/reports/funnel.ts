import type { L10n } from '../domain/errors.js';
import { m } from '../domain/i18n.js';
import { stageLabel } from '../domain/stages.js';
import { percentBp, percentString } from './common.js';
import type { ReportModel, ReportValue } from './model.js';

export interface FunnelInput {
  stages: { stage: string; probability: number; count: number; amountFen: number; weightedFen: number }[];
  /** Weighted amount of open opportunities expected to close in the period. */
  forecastFen: number;
  won: number;
  lost: number;
}

/**
 * The open pipeline by stage (stages ordered by probability). Conversion from one stage to the next is
 * the share of opportunities at that stage or beyond that are at the next stage or beyond (won ones of
 * the period count as beyond every stage). Win rate: won / (won + lost) among those closed in the period.
 */
export function buildFunnel(params: Record<string, ReportValue>, input: FunnelInput): ReportModel {
  const rows = input.stages.map((s) => ({
    stage: s.stage,
    probability: s.probability,
    count: s.count,
    amount: s.amountFen,
    weightedAmount: s.weightedFen,
  }));
  const sum = (k: 'count' | 'amount' | 'weightedAmount') => rows.reduce((t, r) => t + r[k], 0);
  const reached = rows.map((_, i) => rows.slice(i).reduce((t, r) => t + r.count, 0) + input.won);
  const conversions: string[] = [];
  const conversionsZh: string[] = [];
  const subtitle: L10n[] = [];
  for (let i = 0; i + 1 < rows.length; i++) {
    const pct = percentString(percentBp(reached[i + 1] ?? 0, reached[i] ?? 0));
    const [from, to] = [rows[i]?.stage ?? '', rows[i + 1]?.stage ?? ''];
    conversions.push(`${from}→${to} ${pct}%`);
    conversionsZh.push(`${stageLabel(from).zh}→${stageLabel(to).zh} ${pct}%`);
  }
  const winRate = percentString(percentBp(input.won, input.won + input.lost));
  if (conversions.length)
    subtitle.push({ zh: `阶段转化：${conversionsZh.join('，')}`, en: `conversion: ${conversions.join(', ')}` });
  subtitle.push({
    zh: `赢单率 ${winRate}%（本期赢 ${input.won}、输 ${input.lost}）`,
    en: `win rate ${winRate}% (won ${input.won}, lost ${input.lost} in the period)`,
  });
  return {
    report: 'funnel',
    title: m('销售漏斗', 'Sales funnel'),
    params,
    columns: [
      { key: 'stage', label: m('阶段', 'stage'), kind: 'text', words: stageLabel },
      { key: 'probability', label: m('赢率%', 'probability %'), kind: 'int' },
      { key: 'count', label: m('商机数', 'opportunities'), kind: 'int', sum: true },
      { key: 'amount', label: m('金额', 'amount'), kind: 'money', sum: true },
      { key: 'weightedAmount', label: m('加权金额', 'weighted amount'), kind: 'money', sum: true },
    ],
    rows,
    totals: {
      count: sum('count'),
      amount: sum('amount'),
      weightedAmount: sum('weightedAmount'),
      forecast: input.forecastFen,
      won: input.won,
      lost: input.lost,
      winRate,
      conversion: conversions.join(', '),
    },
    totalKinds: { forecast: 'money', won: 'int', lost: 'int', winRate: 'percent', conversion: 'text' },
    totalLabels: {
      forecast: m('预测金额', 'forecast'),
      won: m('赢单', 'won'),
      lost: m('输单', 'lost'),
      winRate: m('赢单率', 'win rate'),
      // the subtitle states the conversions in the user's words (stage names translated)
      conversion: null,
    },
    chart: { type: 'funnel', labelKey: 'stage', valueKeys: ['amount'] },
    subtitle,
  };
}
