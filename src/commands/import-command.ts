import type { CliContext } from '../cli/context.js';
import { m } from '../cli/i18n.js';
import { printJson } from '../cli/output.js';
import { progress } from '../cli/progress.js';
import { runHooks } from '../cli/run-hooks.js';
import { ExitCode, type ExitCodeValue } from '../domain/errors.js';
import { importColumn, importReason } from '../domain/import-reasons.js';
import type { ImportOptions, ImportSummary } from '../io/import/index.js';
import type { ImportFlags } from './import-options.js';

/** The summary as printed by --json: the fields the issue names first, then a few extras. */
export function summaryJson(s: ImportSummary): Record<string, unknown> {
  return {
    file: s.file,
    read: s.read,
    inserted: s.inserted,
    updated: s.updated,
    unchanged: s.unchanged,
    rejected: s.rejected,
    warnings: s.warnings,
    errors: s.errors,
    ...(s.errorsTruncated ? { errorsTruncated: true } : {}),
    batchId: s.batchId,
    encoding: s.encoding,
    sha256: s.sha256,
    dryRun: s.dryRun,
    ...(s.atomic ? { atomic: true, rolledBack: s.rolledBack } : {}),
    warningDetails: s.warningDetails,
  };
}

/**
 * Run an import from a command: progress on a terminal, the summary (JSON or text); returns exit code 6 when rows
 * were rejected (7 for an unreadable file comes as a CrmError). Tests step in through the run
 * hooks (src/cli/run-hooks.ts).
 */
export async function runImportCommand(
  ctx: CliContext,
  file: string,
  flags: ImportFlags,
  entry: (opts: ImportOptions) => Promise<ImportSummary>,
): Promise<ExitCodeValue> {
  const bar = progress(ctx, ctx.t(m('导入', 'importing')));
  const hooks = runHooks();
  let summary: ImportSummary;
  try {
    summary = await entry({
      file,
      encoding: flags.encoding,
      mode: flags.mode,
      dryRun: flags.dryRun,
      atomic: flags.atomic,
      errorsOut: flags.errorsOut,
      lang: ctx.lang,
      force: flags.force,
      onProgress: (p) => bar.update(p.bytes, p.size),
      onFinishing: (p) =>
        bar.stage(
          ctx.t(
            p.bulk
              ? m('正在重建索引并检查重复…', 'rebuilding indexes and checking for duplicates…')
              : m('正在写入最后的行…', 'writing the last rows…'),
          ),
        ),
      ...ctx.importOptions,
      chunkSize: hooks.importChunkRows,
      afterChunk: hooks.afterImportChunk,
    });
  } finally {
    bar.finish();
  }
  const exitCode = summary.rejected > 0 ? ExitCode.rowsRejected : ExitCode.ok;
  if (ctx.json) {
    printJson(ctx, summaryJson(summary));
    return exitCode;
  }
  const p = {
    file: summary.file,
    read: summary.read,
    inserted: summary.inserted,
    updated: summary.updated,
    unchanged: summary.unchanged,
    rejected: summary.rejected,
    warnings: summary.warnings,
  };
  const head = summary.dryRun
    ? m('试运行（未写入）', 'dry run (nothing written)')
    : summary.rolledBack
      ? m('已全部回滚（--atomic，有被拒绝的行）', 'rolled back (--atomic and some rows were rejected)')
      : m('导入完成', 'import finished');
  const batch = summary.batchId ? ctx.t(m('（批次 {id}）', ' (batch {id})'), { id: summary.batchId }) : '';
  ctx.out(`${ctx.t(head)}: ${summary.file}${batch}`);
  ctx.out(
    ctx.t(
      m(
        '读取 {read} 行：新增 {inserted}，更新 {updated}，未变 {unchanged}，拒绝 {rejected}，警告 {warnings}',
        'read {read}: inserted {inserted}, updated {updated}, unchanged {unchanged}, rejected {rejected}, warnings {warnings}',
      ),
      p,
    ),
  );
  for (const e of summary.errors.slice(0, 20)) {
    ctx.note(m('第 {line} 行 {column}：{reason}', 'line {line} {column}: {reason}'), {
      line: e.line,
      column: e.column ? importColumn(e.column, ctx.lang) : '-',
      reason: importReason(e.reason, ctx.lang),
    });
  }
  if (summary.errors.length > 20 || summary.errorsTruncated) {
    ctx.note(m('……更多拒绝见 --errors 报告或 --json', '… more rejections: use --errors OUT.csv or --json'));
  }
  for (const w of summary.warningDetails.slice(0, 20)) {
    ctx.note(m('警告 第 {line} 行 {column}：{reason}', 'warning line {line} {column}: {reason}'), {
      line: w.line,
      column: w.column ? importColumn(w.column, ctx.lang) : '-',
      reason: importReason(w.reason, ctx.lang),
    });
  }
  if (summary.errorsFile) ctx.note(m('拒绝报告：{file}', 'reject report: {file}'), { file: summary.errorsFile });
  return exitCode;
}
