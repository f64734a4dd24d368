/** How a report value reads in each format. Money is fen in the model. */
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
