import type { L10n, Lang } from '../domain/i18n.js';

/**
 * A report is a pure model: builders (src/reports/*.ts) compute it from parameters and data,
 * renderers (src/reports/render/*.ts) turn any model into a table, CSV, JSON, a printed form or HTML.
 * Money stays integer fen in the model; renderers format it (JSON as yuan strings "1234.50").
 */
/** money: integer fen; percent: a number of percent, or an exact decimal string such as "12.34" (reports use strings). */
export type ColumnKind = 'text' | 'int' | 'money' | 'percent' | 'date';

export interface ReportColumn {
  key: string;
  label: L10n;
  kind: ColumnKind;
  /** Summed into page subtotals and the grand total of printed forms. */
  sum?: boolean;
  /** Words for coded text values (a stage key → 初步接洽) in table, print and HTML; JSON, CSV and TSV keep the code. */
  words?: (code: string) => L10n | undefined;
}

export type ReportValue = string | number | boolean | null;
export type ReportRow = Record<string, ReportValue>;

export interface ChartSpec {
  type: 'bar' | 'hbar' | 'funnel' | 'donut' | 'stacked' | 'line';
  /** Column giving each bar's (or slice's) label. */
  labelKey: string;
  /** Columns giving the values (several for stacked bars and lines). */
  valueKeys: string[];
}

/** The totals that are not columns, as people read them: label in the user's language, and key. */
export function extraTotals(model: ReportModel, lang: Lang): { key: string; label: string }[] {
  return Object.keys(model.totals)
    .filter((k) => !model.columns.some((c) => c.key === k) && model.totalLabels?.[k] !== null)
    .map((k) => {
      const label = model.totalLabels?.[k];
      return { key: k, label: label ? (lang === 'zh' ? label.zh : label.en) : k };
    });
}

export interface ReportModel {
  /** Stable name used in JSON (`"report"`). */
  report: string;
  title: L10n;
  /** The parameters as given (dates, owner, filters), echoed in every format. */
  params: Record<string, ReportValue>;
  columns: ReportColumn[];
  rows: ReportRow[];
  totals: Record<string, ReportValue>;
  /** Kinds of totals that are not also columns (e.g. `forecast`: money); a totals key found in columns uses its kind. */
  totalKinds?: Record<string, ColumnKind>;
  /**
   * How the totals that are not columns are named for people (`forecast` → 预测金额); null: JSON only, because
   * the subtitle already says it in the user's words. A total without an entry is shown under its key.
   */
  totalLabels?: Record<string, L10n | null>;
  chart?: ChartSpec;
  /** Printed forms: the signature lines 经办 / 复核 / 主管 under the grand total. */
  signatures?: boolean;
  /** Extra lines under the title of printed and HTML forms (e.g. "清算类型：待清算"). */
  subtitle?: L10n[];
  /** The subtitle already states the parameters (the forms of the seed): printed forms skip the params line. */
  paramsInSubtitle?: boolean;
}
