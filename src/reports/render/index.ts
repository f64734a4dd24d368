/**
 * One entry point for every report and every format: table (terminal), tsv (pipes), csv, json, print
 * (paginated text) and html. `--out FILE` writes the file (atomically) instead of stdout.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CliContext, OutputFormat } from '../../cli/context.js';
import { formatLocal } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import type { ReportModel } from '../model.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderPrint } from './print.js';
import { renderTable, renderTsv } from './table.js';

export const REPORT_FORMATS: readonly OutputFormat[] = ['table', 'tsv', 'csv', 'json', 'print', 'html'];

export interface RenderOptions {
  out?: string;
  pageLines?: number;
}

/** The text of a report in one format (pure apart from the context's language and terminal). */
export function reportText(
  ctx: CliContext,
  model: ReportModel,
  format: OutputFormat,
  opts: RenderOptions = {},
): string {
  const generatedAt = formatLocal(ctx.clock().now());
  switch (format) {
    case 'json':
      return renderJson(model, ctx.io.stdout.isTTY && !opts.out);
    case 'csv':
      return renderCsv(model);
    case 'tsv':
      return renderTsv(model);
    case 'print': {
      const text = renderPrint(model, { lang: ctx.lang, pageLines: opts.pageLines, printedAt: generatedAt });
      return text.endsWith('\n') ? text : `${text}\n`;
    }
    case 'html':
      return renderHtml(model, { lang: ctx.lang, generatedAt });
    default:
      return renderTable(ctx, model);
  }
}

/** The format: --json/--csv/--format, else html when --out ends in .html, else table on a terminal, TSV piped. */
export function reportFormat(ctx: CliContext, opts: RenderOptions): OutputFormat {
  if (!ctx.globals.json && !ctx.globals.csv && !ctx.globals.format && opts.out && /\.html?$/i.test(opts.out)) {
    return 'html';
  }
  return ctx.format(REPORT_FORMATS);
}

export function renderReport(ctx: CliContext, model: ReportModel, opts: RenderOptions = {}): void {
  const format = reportFormat(ctx, opts);
  const text = reportText(ctx, model, format, opts);
  if (!opts.out) {
    ctx.io.stdout.write(text);
    return;
  }
  const file = path.resolve(ctx.cwd, opts.out);
  const tmp = `${file}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  try {
    fs.writeFileSync(tmp, text, 'utf8');
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new CrmError(
      'E9106',
      {
        zh: `无法写入报表文件 ${opts.out}：${(err as Error).message}`,
        en: `cannot write the report to ${opts.out}: ${(err as Error).message}`,
      },
      ExitCode.error,
      { zh: '检查目录是否存在、是否有写权限', en: 'check that the directory exists and is writable' },
    );
  }
  ctx.note(
    { zh: '报表已写入 {file}（{format}）', en: 'report written to {file} ({format})' },
    { file: opts.out, format },
  );
}
