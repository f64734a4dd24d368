import type { L10n } from '../domain/errors.js';

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
  chart?: ChartSpec;
  /** Printed forms: the signature lines 经办 / 复核 / 主管 under the grand total. */
  signatures?: boolean;
  /** Extra lines under the title of printed and HTML forms (e.g. "清算类型：待清算"). */
  subtitle?: L10n[];
  /** The subtitle already states the parameters (the forms of the seed): printed forms skip the params line. */
  paramsInSubtitle?: boolean;
}
