/**
 * Customer-service reports, pure: the service report (tickets per kind and priority, or per handler) and the
 * monthly satisfaction trend. The caller gives the tickets with their working minutes already computed; no
 * database, no clock.
 */
import { m } from '../domain/i18n.js';
import { KIND_LABELS, KINDS, PRIORITIES, PRIORITY_LABELS } from '../domain/service/tickets.js';
import { pct } from './common.js';
import type { ReportModel, ReportRow, ReportValue } from './model.js';

export interface ServiceTicketFacts {
  kind: string;
  priority: string;
  handler: string | null;
  /** Received in the period. */
  received: boolean;
  /** Resolved in the period (its current resolution). */
  resolved: boolean;
  /** Open now (open, responded or reopened). */
  open: boolean;
  /** Responded by the due time: true, false, or null while neither responded nor due. */
  responseMet: boolean | null;
  /** For a ticket resolved in the period: resolved by the due time. */
  resolveMet: boolean | null;
  /** Received in the period and late for its response or resolution (so far). */
  breached: boolean;
  /** Working minutes from received to resolved, for tickets resolved in the period. */
  minutesToResolve: number | null;
  /** Return-visit scores given in the period. */
  scores: number[];
}

/** Hours with two decimals from minutes: 150 → "2.50". */
export function hoursString(minutes: number): string {
  const hundredths = Math.round((minutes * 100) / 60);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/** The mean of whole numbers to two decimals, half up ("4.33"), or null for none. */
export function meanOf(values: number[]): string | null {
  if (values.length === 0) return null;
  const sum = values.reduce((s, v) => s + v, 0);
  const hundredths = Math.floor((sum * 200 + values.length) / (2 * values.length));
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/** The 90th percentile by nearest rank (the smallest value with at least 90% of values at or below it). */
export function p90(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.9 * sorted.length) - 1] ?? null;
}

function figures(group: ServiceTicketFacts[]): ReportRow {
  const received = group.filter((t) => t.received);
  const decided = received.filter((t) => t.responseMet !== null);
  const resolved = group.filter((t) => t.resolved);
  const minutes = resolved.map((t) => t.minutesToResolve ?? 0);
  const meanMinutes = minutes.length ? minutes.reduce((s, v) => s + v, 0) / minutes.length : null;
  const ninety = p90(minutes);
  return {
    received: received.length,
    resolved: resolved.length,
    open: group.filter((t) => t.open).length,
    breached: group.filter((t) => t.breached).length,
    responseMet: decided.length ? pct(decided.filter((t) => t.responseMet).length, decided.length) : null,
    resolveMet: resolved.length ? pct(resolved.filter((t) => t.resolveMet).length, resolved.length) : null,
    meanHours: meanMinutes === null ? null : hoursString(Math.round(meanMinutes)),
    p90Hours: ninety === null ? null : hoursString(ninety),
    satisfaction: meanOf(group.flatMap((t) => t.scores)),
  };
}

export function buildServiceReport(
  params: Record<string, ReportValue>,
  tickets: ServiceTicketFacts[],
  by: 'kind' | 'handler' = 'kind',
): ReportModel {
  const rows: ReportRow[] = [];
  if (by === 'handler') {
    const names = [...new Set(tickets.map((t) => t.handler ?? '-'))].sort();
    for (const handler of names)
      rows.push({ handler, ...figures(tickets.filter((t) => (t.handler ?? '-') === handler)) });
  } else {
    for (const kind of KINDS)
      for (const priority of PRIORITIES) {
        const group = tickets.filter((t) => t.kind === kind && t.priority === priority);
        if (group.length)
          rows.push({
            kind,
            kindName: KIND_LABELS[kind].zh,
            priority,
            priorityName: PRIORITY_LABELS[priority].zh,
            ...figures(group),
          });
      }
  }
  const all = figures(tickets);
  const keyColumns =
    by === 'handler'
      ? [{ key: 'handler', label: m('处理人', 'handler'), kind: 'text' as const }]
      : [
          { key: 'kind', label: m('类型', 'kind'), kind: 'text' as const },
          { key: 'kindName', label: m('类型名', 'kind (zh)'), kind: 'text' as const },
          { key: 'priority', label: m('优先级', 'priority'), kind: 'text' as const },
          { key: 'priorityName', label: m('优先级名', 'priority (zh)'), kind: 'text' as const },
        ];
  return {
    report: 'service',
    title: m('客户服务', 'Customer service'),
    params,
    columns: [
      ...keyColumns,
      { key: 'received', label: m('受理', 'received'), kind: 'int', sum: true },
      { key: 'resolved', label: m('解决', 'resolved'), kind: 'int', sum: true },
      { key: 'open', label: m('未结', 'open'), kind: 'int', sum: true },
      { key: 'breached', label: m('超时', 'breached'), kind: 'int', sum: true },
      { key: 'responseMet', label: m('响应达标%', 'response met %'), kind: 'percent' },
      { key: 'resolveMet', label: m('解决达标%', 'resolve met %'), kind: 'percent' },
      { key: 'meanHours', label: m('平均解决工时', 'mean hours to resolve'), kind: 'text' },
      { key: 'p90Hours', label: m('90%解决工时', 'p90 hours to resolve'), kind: 'text' },
      { key: 'satisfaction', label: m('平均满意度', 'avg satisfaction'), kind: 'text' },
    ],
    rows,
    totals: all,
    chart: {
      type: 'stacked',
      labelKey: by === 'handler' ? 'handler' : 'kind',
      valueKeys: ['received', 'resolved', 'breached'],
    },
    subtitle: [
      m(
        '工时为工作日工作时间（service.workingHours）',
        'hours are working hours of working days (service.workingHours)',
      ),
    ],
  };
}

export interface SatisfactionMonth {
  month: string;
  revisitScores: number[];
  surveyScores: number[];
  complaints: number;
}

export function buildSatisfactionReport(params: Record<string, ReportValue>, months: SatisfactionMonth[]): ReportModel {
  const rows = months.map((mo) => ({
    month: mo.month,
    revisits: mo.revisitScores.length,
    revisitAverage: meanOf(mo.revisitScores),
    surveyResponses: mo.surveyScores.length,
    surveyAverage: meanOf(mo.surveyScores),
    complaints: mo.complaints,
  }));
  return {
    report: 'satisfaction',
    title: m('客户满意度趋势', 'Customer satisfaction trend'),
    params,
    columns: [
      { key: 'month', label: m('月份', 'month'), kind: 'text' },
      { key: 'revisits', label: m('回访数', 'return visits'), kind: 'int', sum: true },
      { key: 'revisitAverage', label: m('回访满意度', 'return-visit average'), kind: 'text' },
      { key: 'surveyResponses', label: m('调查回复', 'survey answers'), kind: 'int', sum: true },
      { key: 'surveyAverage', label: m('调查满意度', 'survey average'), kind: 'text' },
      { key: 'complaints', label: m('投诉', 'complaints'), kind: 'int', sum: true },
    ],
    rows,
    totals: {
      revisits: rows.reduce((s, r) => s + r.revisits, 0),
      revisitAverage: meanOf(months.flatMap((mo) => mo.revisitScores)),
      surveyResponses: rows.reduce((s, r) => s + r.surveyResponses, 0),
      surveyAverage: meanOf(months.flatMap((mo) => mo.surveyScores)),
      complaints: rows.reduce((s, r) => s + r.complaints, 0),
    },
    chart: { type: 'line', labelKey: 'month', valueKeys: ['revisitAverage', 'surveyAverage'] },
  };
}
