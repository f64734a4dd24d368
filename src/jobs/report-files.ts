import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { yuanString } from '../domain/money.js';
import { safeCell } from '../io/csv-safe.js';
import type { ReportModel, ReportValue } from '../reports/model.js';
import { renderPrint } from '../reports/render/print.js';

/** Write a file atomically (temp file, then rename), so a reader never sees half a report. */
function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function csvValue(kind: string, v: ReportValue): string {
  if (v === null || v === undefined) return '';
  if (kind === 'money' && typeof v === 'number') return yuanString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return safeCell(v);
}

/** CSV of a report model: a header of column keys, one line per row, amounts as yuan "1234.50". */
export function reportCsv(model: ReportModel): string {
  return stringify(
    [
      model.columns.map((c) => c.key),
      ...model.rows.map((r) => model.columns.map((c) => csvValue(c.kind, r[c.key] ?? null))),
    ],
    { record_delimiter: 'windows', bom: true },
  );
}

/**
 * A report as the files the operators print and file: `<dir>/<base>.txt` (the printed form, Chinese) and
 * `<dir>/<base>.csv`. Returns the paths written.
 */
export function writeReportFiles(
  dir: string,
  base: string,
  model: ReportModel,
  opts: { pageLines?: number; printedAt?: string } = {},
): string[] {
  const txt = path.join(dir, `${base}.txt`);
  const csv = path.join(dir, `${base}.csv`);
  writeAtomic(txt, renderPrint(model, { lang: 'zh', pageLines: opts.pageLines, printedAt: opts.printedAt }));
  writeAtomic(csv, reportCsv(model));
  return [txt, csv];
}
