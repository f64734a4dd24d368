import type { Command } from 'commander';
import { act, listOption, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson } from '../../cli/output.js';
import { clearJson, printClear } from './render.js';
import { copyToOption, earlyOption, loadSettlement, outDirs } from './shared.js';

export interface DayOptions {
  date: string;
  pendingDate?: string;
  /** As given (relative to the working directory). */
  outDir?: string;
  /** More directories for verified copies (relative to the working directory). */
  copyTo: string[];
  /** Today, before the open or cutoff time: run anyway (with a reason). */
  early: boolean;
  reason?: string;
}

export function parseDayOptions(_args: string[], raw: RawOptions): DayOptions {
  return {
    date: String(raw.date),
    pendingDate: stringOption(raw, 'pendingDate'),
    outDir: stringOption(raw, 'outDir'),
    copyTo: listOption(raw, 'copyTo'),
    early: Boolean(raw.early),
    reason: stringOption(raw, 'reason'),
  };
}

export async function runDayVerb(ctx: CliContext, opts: DayOptions): Promise<void> {
  const { runDay } = await loadSettlement();
  const svc = await ctx.services();
  const r = await runDay(svc, {
    date: opts.date,
    pendingDate: opts.pendingDate,
    ...outDirs(ctx, opts.outDir, opts.copyTo),
    early: opts.early,
    reason: opts.reason,
  });
  if (ctx.json) {
    const steps = r.steps.map(({ text: _text, ...step }) => step);
    return printJson(ctx, { ...r, steps, clear: r.clear ? clearJson(r.clear) : null });
  }
  for (const s of r.steps) ctx.out(`${s.status === 'done' ? '✓' : '-'} ${ctx.t(s.text)}`);
  if (r.clear) printClear(ctx, r.clear);
}

export function registerDay(settlement: Command, ctx: CliContext, run: RunVerb<DayOptions> = runDayVerb): Command {
  return verb(
    settlement,
    ctx,
    'day',
    m(
      '补做一整天：启动、早间清单、截止、清算、清单（已完成的步骤跳过）',
      'run the whole day in order (catch-up); steps already done are skipped',
    ),
    ['crm settlement day --date 2026-11-24'],
  )
    .requiredOption('--date <date>', ctx.t(m('营业日', 'business day')))
    .option('--pending-date <date>', ctx.t(m('待清算日期', 'pending date')))
    .option('--out-dir <dir>', ctx.t(m('文件目录', 'output directory')))
    .addOption(copyToOption(ctx))
    .addOption(earlyOption(ctx))
    .option('--reason <text>', ctx.t(m('提前执行的原因', 'why it runs early')))
    .action(act(ctx, parseDayOptions, run));
}
