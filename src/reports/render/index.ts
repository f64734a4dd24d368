/**
 * One entry point for every report and every format: table (terminal), tsv (pipes), csv, json, print
 * (paginated text) and html. Pure: a model and a RenderEnv in, the text out; choosing the format and
 * writing it (stdout or `--out FILE`) is the CLI's part (src/cli/report-output.ts).
 */
import { formatLocal } from '../../domain/clock.js';
import type { ReportModel } from '../model.js';
import { renderCsv } from './csv.js';
import type { RenderEnv } from './env.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderPrint } from './print.js';
import { renderTable, renderTsv, type TableOptions } from './table.js';

export type { RenderEnv } from './env.js';

export type ReportFormat = 'table' | 'tsv' | 'csv' | 'json' | 'print' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'tsv', 'csv', 'json', 'print', 'html'];

export interface ReportTextOptions extends TableOptions {
  /** Lines per printed page (format print). */
  pageLines?: number;
  /** Indented JSON (for a person at a terminal). */
  prettyJson?: boolean;
}

/** The text of a report in one format. */
export function renderReportText(
  model: ReportModel,
  format: ReportFormat,
  env: RenderEnv,
  opts: ReportTextOptions = {},
): string {
  const generatedAt = formatLocal(env.now, env.timeZone);
  switch (format) {
    case 'json':
      return renderJson(model, Boolean(opts.prettyJson));
    case 'csv':
      return renderCsv(model);
    case 'tsv':
      return renderTsv(model);
    case 'print': {
      const text = renderPrint(model, { lang: env.lang, pageLines: opts.pageLines, printedAt: generatedAt });
      return text.endsWith('\n') ? text : `${text}\n`;
    }
    case 'html':
      return renderHtml(model, { lang: env.lang, generatedAt });
    default:
      return renderTable(model, env, opts);
  }
}
