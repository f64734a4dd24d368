/** How a report value reads in each format. Money is fen in the model. */
import { type Lang, tr } from '../domain/i18n.js';
import { formatYuan, yuanString } from '../domain/money.js';
import type { ColumnKind, ReportColumn, ReportModel, ReportValue } from './model.js';

/** For people (table, HTML): money grouped "1,234.50", percent "12.34%", empty as "". */
export function displayValue(kind: ColumnKind, v: ReportValue | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (kind === 'money' && typeof v === 'number') return formatYuan(v);
  if (kind === 'percent') return `${v}%`;
  return String(v);
}

/** A cell for people in the user's language: a coded value in words, yes/no as 是/否; else as displayValue. */
export function peopleValue(col: ReportColumn, v: ReportValue | undefined, lang: Lang): string {
  const word = typeof v === 'string' ? col.words?.(v) : undefined;
  if (word) return tr(lang, word);
  if (typeof v === 'boolean') return lang === 'zh' ? (v ? '是' : '否') : v ? 'yes' : 'no';
  return displayValue(col.kind, v);
}

/** For machines (JSON, CSV): money as yuan strings "1234.50", everything else as is. */
export function dataValue(kind: ColumnKind, v: ReportValue | undefined): ReportValue {
  if (v === undefined) return null;
  if (kind === 'money' && typeof v === 'number') return yuanString(v);
  return v;
}

/** The kind of a totals entry: its column's, else totalKinds', else int for numbers. */
export function totalKind(model: ReportModel, key: string): ColumnKind {
  const col = model.columns.find((c: ReportColumn) => c.key === key);
  if (col) return col.kind;
  return model.totalKinds?.[key] ?? (typeof model.totals[key] === 'number' ? 'int' : 'text');
}

export const isNumericKind = (k: ColumnKind) => k === 'int' || k === 'money' || k === 'percent';

/** A chart value as a plain number (money in yuan); only for drawing, never for figures shown as text. */
export function chartNumber(kind: ColumnKind, v: ReportValue | undefined): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 0;
  const n = typeof v === 'number' ? v : Number.parseFloat(v);
  if (!Number.isFinite(n)) return 0;
  return kind === 'money' ? n / 100 : n;
}

/** Report parameters as people read them: the key's label and, for a few coded values, the value's. */
const PARAM_LABELS: Readonly<Record<string, { zh: string; en: string }>> = {
  date: { zh: '日期', en: 'date' },
  status: { zh: '状态', en: 'status' },
  from: { zh: '起', en: 'from' },
  to: { zh: '止', en: 'to' },
  owner: { zh: '负责人', en: 'owner' },
  team: { zh: '团队', en: 'team' },
  grade: { zh: '等级', en: 'grade' },
  by: { zh: '按', en: 'by' },
  top: { zh: '前', en: 'top' },
  bottom: { zh: '后', en: 'bottom' },
  kind: { zh: '类型', en: 'kind' },
  asOf: { zh: '截至', en: 'as of' },
};
const PARAM_VALUES: Readonly<Record<string, { zh: string; en: string }>> = {
  pending: { zh: '待清算', en: 'pending' },
  cleared: { zh: '已清算', en: 'cleared' },
  payment: { zh: '划款', en: 'payment' },
  refund: { zh: '退款', en: 'refund' },
  // crm reports approvals --by
  type: { zh: '类型', en: 'type' },
  approver: { zh: '审批人', en: 'approver' },
  spending: { zh: '预算与实际', en: 'spending' },
};

export function paramEntries(model: ReportModel, lang: 'zh' | 'en'): [string, string][] {
  return Object.entries(model.params)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [PARAM_LABELS[k]?.[lang] ?? k, PARAM_VALUES[String(v)]?.[lang] ?? String(v)]);
}
