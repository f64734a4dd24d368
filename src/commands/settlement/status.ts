import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson } from '../../cli/output.js';
import { formatYuan, yuanString } from '../../domain/money.js';
import { dateOrToday, loadSettlement, STATE_LABEL } from './shared.js';

export interface StatusOptions {
  /** Absent or `today`: the clock's business day. */
  date?: string;
}

export function parseStatusOptions(_args: string[], raw: RawOptions): StatusOptions {
  return { date: stringOption(raw, 'date') };
}

export async function runStatus(ctx: CliContext, opts: StatusOptions): Promise<void> {
  const { dayStatus } = await loadSettlement();
  const svc = await ctx.services();
  const s = await dayStatus(svc, await dateOrToday(svc, opts.date));
  const json = {
    date: s.date,
    state: s.state,
    forced: s.forced,
    openedAt: s.openedAt,
    cutOffAt: s.cutOffAt,
    clearedAt: s.clearedAt,
    pending: { count: s.pending.count, total: yuanString(s.pending.totalFen), late: s.pending.late },
    cleared: {
      count: s.cleared.count,
      total: yuanString(s.cleared.totalFen),
      pendingDate: s.cleared.pendingDate,
    },
    files: s.files,
    vouchersLeft: s.vouchersLeft,
    nextStep: s.nextStep,
  };
  if (ctx.json) return printJson(ctx, json);
  ctx.out(`${s.date}  ${ctx.t(STATE_LABEL[s.state])}${s.forced ? ctx.t(m('（强制启动）', ' (forced)')) : ''}`);
  ctx.out(
    ctx.t(m('本日待清算：{n} 笔，{t} 元（其中迟到 {late} 笔）', 'pending for this day: {n}, {t} yuan ({late} late)'), {
      n: s.pending.count,
      t: formatYuan(s.pending.totalFen),
      late: s.pending.late,
    }),
  );
  ctx.out(
    ctx.t(m('本日已清算：{n} 笔，{t} 元（待清算日期 {p}）', 'cleared on this day: {n}, {t} yuan (pending date {p})'), {
      n: s.cleared.count,
      t: formatYuan(s.cleared.totalFen),
      p: s.cleared.pendingDate ?? '-',
    }),
  );
  for (const f of s.files) ctx.out(`  ${f.name}  ${f.voucher}  ${f.count}  ${f.total}`);
  ctx.out(
    ctx.t(m('剩余凭证：划款 {p} 张，退款 {r} 张', 'vouchers left: {p} payment, {r} refund'), {
      p: s.vouchersLeft.payment,
      r: s.vouchersLeft.refund,
    }),
  );
  ctx.out(`${ctx.t(m('下一步', 'next step'))}: ${s.nextStep}`);
}

export function registerStatus(settlement: Command, ctx: CliContext, run: RunVerb<StatusOptions> = runStatus): Command {
  return verb(settlement, ctx, 'status', m('营业日状态与下一步', "the day's state and the next step"), [
    'crm settlement status --date 2026-11-23 --json',
  ])
    .option('--date <date>', ctx.t(m('营业日（默认今天）', 'business day (default: today)')))
    .action(act(ctx, parseStatusOptions, run));
}
