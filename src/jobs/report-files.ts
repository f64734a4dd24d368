import path from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { ReportModel } from '../reports/model.js';
import { renderCsv } from '../reports/render/csv.js';
import { renderPrint } from '../reports/render/print.js';

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
  // Atomic, so a reader never sees half a report.
  const printed = renderPrint(model, { lang: 'zh', pageLines: opts.pageLines, printedAt: opts.printedAt });
  writeFileAtomic(txt, printed, { createDir: true });
  writeFileAtomic(csv, renderCsv(model), { createDir: true });
  return [txt, csv];
}
