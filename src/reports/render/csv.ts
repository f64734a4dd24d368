import { stringify } from 'csv-stringify/sync';
import { safeCell } from '../../io/csv-safe.js';
import { dataValue } from '../format.js';
import type { ReportModel } from '../model.js';

/**
 * CSV: a header of column keys, one line per row (amounts as "1234.50"), then a last line "total" with
 * the totals of the summed columns. Cells cannot run as spreadsheet formulas.
 */
export function renderCsv(model: ReportModel, opts: { totals?: boolean } = {}): string {
  const cell = (v: unknown) => safeCell(v === null || v === undefined ? '' : String(v));
  const lines: string[][] = [model.columns.map((c) => c.key)];
  for (const r of model.rows) lines.push(model.columns.map((c) => cell(dataValue(c.kind, r[c.key]))));
  if (opts.totals !== false && model.rows.length > 0) {
    lines.push(
      model.columns.map((c, i) =>
        i === 0 ? 'total' : c.key in model.totals ? cell(dataValue(c.kind, model.totals[c.key])) : '',
      ),
    );
  }
  return stringify(lines, { record_delimiter: 'unix' });
}
