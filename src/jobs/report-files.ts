import fs from 'node:fs';
import path from 'node:path';
import type { ReportModel } from '../reports/model.js';
import { renderCsv } from '../reports/render/csv.js';
import { renderPrint } from '../reports/render/print.js';

/** Write a file atomically (temp file, then rename), so a reader never sees half a report. */
function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
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
  writeAtomic(csv, renderCsv(model));
  return [txt, csv];
}
