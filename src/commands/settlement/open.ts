import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson } from '../../cli/output.js';
import { dateOrToday, earlyOption, loadSettlement, STATE_LABEL } from './shared.js';

export interface OpenOptions {
  /** Absent or `today`: the clock's business day. */
  date?: string;
  force: boolean;
  /** Today, before `settlement.openAt`: open anyway (with a reason). */
  early: boolean;
  reason?: string;
}

export function parseOpenOptions(_args: string[], raw: RawOptions): OpenOptions {
  return {
    date: stringOption(raw, 'date'),
    force: Boolean(raw.force),
    early: Boolean(raw.early),
    reason: stringOption(raw, 'reason'),
  };
}

export async function runOpen(ctx: CliContext, opts: OpenOptions): Promise<void> {
  const { openDay } = await loadSettlement();
  const svc = await ctx.services();
  const date = await dateOrToday(svc, opts.date);
  const r = await openDay(svc, { date, force: opts.force, early: opts.early, reason: opts.reason });
  if (ctx.json) return printJson(ctx, r);
  ctx.out(
    r.status === 'done'
      ? ctx.t(m('{date} 已启动{forced}', '{date} opened{forced}'), {
          date,
          forced: r.forced ? ctx.t(m('（强制）', ' (forced)')) : '',
        })
      : ctx.t(m('{date} 已处于“{state}”状态，无需启动', '{date} is already {state}; nothing to do'), {
          date,
          state: ctx.t(STATE_LABEL[r.state]),
        }),
  );
}

export function registerOpen(settlement: Command, ctx: CliContext, run: RunVerb<OpenOptions> = runOpen): Command {
  return verb(
    settlement,
    ctx,
    'open',
    m('启动财政划拨服务：营业日开始接收交易', 'start of service: open the business day for transactions'),
    [
      'crm settlement open --date 2026-11-23',
      'crm settlement open --date 2007-09-22 --force --reason "总中心周末开机维护"',
    ],
  )
    .option('--date <date>', ctx.t(m('营业日（默认今天）', 'business day (default: today)')))
    .option('--force', ctx.t(m('非工作日强制启动（须 --reason）', 'open a day off (needs --reason)')))
    .addOption(earlyOption(ctx))
    .option('--reason <text>', ctx.t(m('原因', 'reason')))
    .action(act(ctx, parseOpenOptions, run));
}
