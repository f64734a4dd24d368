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
  const { calendarWarning } = await import('../../services/calendar.js');
  const svc = await ctx.services();
  const s = await dayStatus(svc, await dateOrToday(svc, opts.date));
  const warning = await calendarWarning(svc);
  const kinds = (k: { count: number; totalFen: number }) => ({ count: k.count, total: yuanString(k.totalFen) });
  const json = {
    date: s.date,
    state: s.state,
    forced: s.forced,
    openedAt: s.openedAt,
    cutOffAt: s.cutOffAt,
    clearedAt: s.clearedAt,
    pending: {
      count: s.pending.count,
      total: yuanString(s.pending.totalFen),
      late: s.pending.late,
      payments: kinds(s.pending.payments),
      refunds: kinds(s.pending.refunds),
    },
    cleared: {
      count: s.cleared.count,
      total: yuanString(s.cleared.totalFen),
      pendingDate: s.cleared.pendingDate,
      payments: kinds(s.cleared.payments),
      refunds: kinds(s.cleared.refunds),
    },
    files: s.files,
    vouchersLeft: s.vouchersLeft,
    nextStep: s.nextStep,
    nextNote: s.nextNote ? ctx.t(s.nextNote) : null,
    calendarWarning: warning ? ctx.t(warning) : null,
  };
  if (warning) ctx.note(warning);
  if (ctx.json) return printJson(ctx, json);
  const split = (k: { payments: { count: number; totalFen: number }; refunds: { count: number; totalFen: number } }) =>
    ctx.t(m('划款 {pn} 笔 {pt} 元，退款 {rn} 笔 {rt} 元', '{pn} payments {pt} yuan, {rn} refunds {rt} yuan'), {
      pn: k.payments.count,
      pt: formatYuan(k.payments.totalFen),
      rn: k.refunds.count,
      rt: formatYuan(k.refunds.totalFen),
    });
  ctx.out(`${s.date}  ${ctx.t(STATE_LABEL[s.state])}${s.forced ? ctx.t(m('（强制启动）', ' (forced)')) : ''}`);
  ctx.out(
    ctx.t(m('本日待清算：{split}（其中迟到 {late} 笔）', 'pending for this day: {split} ({late} late)'), {
      split: split(s.pending),
      late: s.pending.late,
    }),
  );
  ctx.out(
    ctx.t(m('本日已清算：{split}（待清算日期 {p}）', 'cleared on this day: {split} (pending date {p})'), {
      split: split(s.cleared),
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
  const note = s.nextNote ? ctx.t(s.nextNote) : '';
  const next = s.nextStep && note ? `${s.nextStep} (${note})` : (s.nextStep ?? note);
  ctx.out(`${ctx.t(m('下一步', 'next step'))}: ${next}`);
}

export function registerStatus(settlement: Command, ctx: CliContext, run: RunVerb<StatusOptions> = runStatus): Command {
  return verb(settlement, ctx, 'status', m('营业日状态与下一步', "the day's state and the next step"), [
    'crm settlement status --date 2026-11-23 --json',
  ])
    .option('--date <date>', ctx.t(m('营业日（默认今天）', 'business day (default: today)')))
    .action(act(ctx, parseStatusOptions, run));
}
