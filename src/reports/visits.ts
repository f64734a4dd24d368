/**
 * The visit reports as pure models: the 拜访日报表 of one person and day (every format, including the printed
 * form with signature lines), and visits per user by purpose and result over a period.
 */
import { m, tr } from '../domain/i18n.js';
import type { VisitStatsRow } from '../services/office/visits.js';
import type { ReportModel, ReportValue } from './model.js';

/** What the builders need of a visit (the service's record). */
export interface VisitLine {
  id: number;
  customerCode: string;
  customerName: string;
  purpose: 'first' | 'problem' | 'relationship';
  status: string;
  result: string | null;
  notes: string | null;
  problemsHandled: string | null;
  problemsOpen: string | null;
  next: string | null;
  expenseFen: number;
  expenseItem: string | null;
  companion: string | null;
}

const PURPOSE = {
  first: m('a 初次拜访', 'a first visit'),
  problem: m('b 处理问题', 'b problem'),
  relationship: m('c 建立关系', 'c relationship'),
};
const RESULT: Record<string, { zh: string; en: string }> = {
  A: m('A 商谈成功', 'A agreed'),
  B: m('B 有希望', 'B promising'),
  C: m('C 再度访问', 'C visit again'),
  D: m('D 无希望', 'D no prospect'),
  E: m('E 继续观察', 'E keep watching'),
};

/** 拜访日报表: labels of purposes and results in the given language (the model's cells are text). */
export function buildVisitsDaily(
  input: { date: string; user: string; visits: VisitLine[]; expenseTotalFen: number },
  lang: 'zh' | 'en',
): ReportModel {
  const rows = input.visits.map((v) => ({
    id: v.id,
    customer: `${v.customerName}（${v.customerCode}）`,
    purpose: tr(lang, PURPOSE[v.purpose]),
    result: v.result ? tr(lang, RESULT[v.result] ?? m(v.result, v.result)) : tr(lang, m('未填报', 'not reported')),
    notes: v.notes ?? '',
    handled: v.problemsHandled ?? '',
    open: v.problemsOpen ?? '',
    next: v.next ?? '',
    expense: v.expenseFen,
    expenseItem: v.expenseItem ?? '',
  }));
  return {
    report: 'visits-daily',
    title: m('拜访日报表', 'Daily visit report'),
    params: { date: input.date, user: input.user } as Record<string, ReportValue>,
    columns: [
      { key: 'id', label: m('编号', 'id'), kind: 'int' },
      { key: 'customer', label: m('客户', 'customer'), kind: 'text' },
      { key: 'purpose', label: m('拜访目的', 'purpose'), kind: 'text' },
      { key: 'result', label: m('拜访结果', 'result'), kind: 'text' },
      { key: 'notes', label: m('洽谈内容', 'notes'), kind: 'text' },
      { key: 'handled', label: m('已处理问题', 'problems handled'), kind: 'text' },
      { key: 'open', label: m('待处理问题', 'problems open'), kind: 'text' },
      { key: 'next', label: m('下次拜访', 'next'), kind: 'date' },
      { key: 'expense', label: m('费用', 'expense'), kind: 'money', sum: true },
      { key: 'expenseItem', label: m('费用项目', 'expense item'), kind: 'text' },
    ],
    rows,
    totals: { expense: input.expenseTotalFen },
    subtitle: [
      m(
        `日期：${input.date}    拜访人：${input.user}    拜访数：${rows.length}`,
        `date: ${input.date}    by: ${input.user}    visits: ${rows.length}`,
      ),
    ],
    paramsInSubtitle: true,
    signatures: true,
  };
}

/** `crm reports visits`: per user, visits by purpose and result in a period. */
export function buildVisitStats(params: Record<string, ReportValue>, lines: VisitStatsRow[]): ReportModel {
  const rows = lines.map(({ expenseFen, ...r }) => ({ ...r, expense: expenseFen }));
  const keys = [
    'planned',
    'reported',
    'unreported',
    'first',
    'problem',
    'relationship',
    'A',
    'B',
    'C',
    'D',
    'E',
    'expense',
  ] as const;
  const totals: Record<string, ReportValue> = {};
  for (const k of keys) totals[k] = rows.reduce((s, r) => s + Number(r[k]), 0);
  const int = (key: string, label: { zh: string; en: string }) => ({ key, label, kind: 'int' as const, sum: true });
  return {
    report: 'visits',
    title: m('拜访统计', 'Visits'),
    params,
    columns: [
      { key: 'user', label: m('拜访人', 'user'), kind: 'text' },
      int('planned', m('计划', 'planned')),
      int('reported', m('已填报', 'reported')),
      int('unreported', m('逾期未填报', 'not reported')),
      int('first', m('初次拜访', 'first')),
      int('problem', m('处理问题', 'problem')),
      int('relationship', m('建立关系', 'relationship')),
      int('A', m('A 商谈成功', 'A agreed')),
      int('B', m('B 有希望', 'B promising')),
      int('C', m('C 再度访问', 'C again')),
      int('D', m('D 无希望', 'D none')),
      int('E', m('E 继续观察', 'E watch')),
      { key: 'expense', label: m('费用', 'expense'), kind: 'money', sum: true },
    ],
    rows,
    totals,
    chart: { type: 'stacked', labelKey: 'user', valueKeys: ['A', 'B', 'C', 'D', 'E'] },
  };
}
