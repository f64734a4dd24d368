import path from 'node:path';
import { DEFAULT_TIME_ZONE } from '../domain/clock.js';
import { CrmError, ExitCode } from '../domain/errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { ReportModel } from '../reports/model.js';
import { REPORT_FORMATS, type RenderEnv, renderReportText } from '../reports/render/index.js';
import type { CliContext, OutputFormat } from './context.js';

export { REPORT_FORMATS } from '../reports/render/index.js';

export interface RenderOptions {
  out?: string;
  pageLines?: number;
}

/** The renderers' view of the context: its language and its clock ("generated at" in the business zone). */
export function renderEnv(ctx: CliContext): RenderEnv {
  return { lang: ctx.lang, timeZone: DEFAULT_TIME_ZONE, now: ctx.clock().now() };
}

/** The text of a report in one format, as this terminal should see it (colour, bars, indented JSON). */
export function reportText(
  ctx: CliContext,
  model: ReportModel,
  format: OutputFormat,
  opts: RenderOptions = {},
): string {
  const tty = ctx.io.stdout.isTTY;
  return renderReportText(model, format, renderEnv(ctx), {
    pageLines: opts.pageLines,
    prettyJson: tty && !opts.out,
    color: ctx.color,
    bars: tty,
  });
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
  try {
    writeFileAtomic(file, text);
  } catch (err) {
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
