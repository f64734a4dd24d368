import type { Command } from 'commander';
import { act, listOption, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { runHooks } from '../../cli/run-hooks.js';
import { printClear } from './render.js';
import { copyToOption, dateOrToday, loadSettlement, outDirs } from './shared.js';

export interface ClearVerbOptions {
  /** The voucher date D; absent or `today`: the clock's business day. */
  date?: string;
  /** The pending date P; absent: the working day before D. */
  pendingDate?: string;
  /** As given (relative to the working directory). */
  outDir?: string;
  /** More directories for verified copies (relative to the working directory). */
  copyTo: string[];
  rerun: boolean;
  reason?: string;
}

export function parseClearOptions(_args: string[], raw: RawOptions): ClearVerbOptions {
  return {
    date: stringOption(raw, 'date'),
    pendingDate: stringOption(raw, 'pendingDate'),
    outDir: stringOption(raw, 'outDir'),
    copyTo: listOption(raw, 'copyTo'),
    rerun: Boolean(raw.rerun),
    reason: stringOption(raw, 'reason'),
  };
}

export async function runClear(ctx: CliContext, opts: ClearVerbOptions): Promise<void> {
  const { clearDay } = await loadSettlement();
  const svc = await ctx.services();
  const date = await dateOrToday(svc, opts.date);
  const r = await clearDay(svc, {
    date,
    pendingDate: opts.pendingDate,
    ...outDirs(ctx, opts.outDir, opts.copyTo),
    rerun: opts.rerun,
    reason: opts.reason,
    faultAt: runHooks().clearFaultAt,
  });
  printClear(ctx, r);
}

export function registerClear(
  settlement: Command,
  ctx: CliContext,
  run: RunVerb<ClearVerbOptions> = runClear,
): Command {
  return verb(
    settlement,
    ctx,
    'clear',
    m(
      '清单数据下载（T+1）：清算待清算日期的交易，生成 qs（划款）与 tk（退款）文件',
      'clearing (T+1): clear the pending transactions of the pending date into qs (payments) and tk (refunds) files',
    ),
    [
      'crm settlement clear --date 2026-11-24',
      'crm settlement clear --date 2007-09-24 --pending-date 2007-09-22 --out-dir /srv/clearing',
      'crm settlement clear --date 2026-11-24 --rerun --reason "文件传输失败重做"',
    ],
  )
    .option('--date <date>', ctx.t(m('凭证日期 D（默认今天）', 'voucher date D (default: today)')))
    .option(
      '--pending-date <date>',
      ctx.t(m('待清算日期 P（默认 D 的上一工作日）', 'pending date P (default: previous working day)')),
    )
    .option('--out-dir <dir>', ctx.t(m('文件目录（默认 settlement.outDir 或数据目录 clearing/）', 'output directory')))
    .addOption(copyToOption(ctx))
    .option(
      '--rerun',
      ctx.t(m('重做已完成的清算（旧文件标记作废，须 --reason）', 'redo a completed clearing (needs --reason)')),
    )
    .option('--reason <text>', ctx.t(m('原因', 'reason')))
    .action(act(ctx, parseClearOptions, run));
}
