import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson } from '../../cli/output.js';
import { formatYuan, yuanString } from '../../domain/money.js';
import { dateOrToday, earlyOption, loadSettlement, STATE_LABEL } from './shared.js';

export interface CutoffOptions {
  /** Absent or `today`: the clock's business day. */
  date?: string;
  /** Open a day not yet opened and cut it off in one step (catch-up). */
  force: boolean;
  /** Today, before `settlement.cutoffAt`: cut off anyway (with a reason). */
  early: boolean;
  reason?: string;
}

export function parseCutoffOptions(_args: string[], raw: RawOptions): CutoffOptions {
  return {
    date: stringOption(raw, 'date'),
    force: Boolean(raw.force),
    early: Boolean(raw.early),
    reason: stringOption(raw, 'reason'),
  };
}

export async function runCutoff(ctx: CliContext, opts: CutoffOptions): Promise<void> {
  const { cutoffDay } = await loadSettlement();
  const svc = await ctx.services();
  const date = await dateOrToday(svc, opts.date);
  const r = await cutoffDay(svc, { date, force: opts.force, early: opts.early, reason: opts.reason });
  if (ctx.json) {
    const { pendingTotalFen, ...rest } = r;
    return printJson(ctx, { ...rest, pendingTotal: yuanString(pendingTotalFen ?? 0) });
  }
  ctx.out(
    ctx.t(
      r.status === 'done'
        ? m('{date} 已截止：待清算 {n} 笔，{total} 元', '{date} cut off: {n} pending, {total} yuan')
        : m(
            '{date} 已截止过（{state}）：待清算 {n} 笔，{total} 元',
            '{date} was already {state}: {n} pending, {total} yuan',
          ),
      {
        date,
        state: ctx.t(STATE_LABEL[r.state]),
        n: r.pendingCount ?? 0,
        total: formatYuan(r.pendingTotalFen ?? 0),
      },
    ),
  );
}

export function registerCutoff(settlement: Command, ctx: CliContext, run: RunVerb<CutoffOptions> = runCutoff): Command {
  return verb(
    settlement,
    ctx,
    'cutoff',
    m('停止财政划拨服务：截止后该日不再接收交易', 'cutoff: the day takes no more transactions'),
    [
      'crm settlement cutoff --date 2026-11-23',
      'crm settlement cutoff --date 2026-11-20 --force',
      'crm settlement cutoff --early --reason "总中心提前停止服务"',
    ],
  )
    .option('--date <date>', ctx.t(m('营业日（默认今天）', 'business day (default: today)')))
    .option('--force', ctx.t(m('未启动的日子一并启动并截止（补做）', 'open and cut off in one step (catch-up)')))
    .addOption(earlyOption(ctx))
    .option('--reason <text>', ctx.t(m('提前截止的原因', 'why it is cut off early')))
    .action(act(ctx, parseCutoffOptions, run));
}
