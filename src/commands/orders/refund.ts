import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { parseYuan } from '../../domain/money.js';
import { printMoney } from './render.js';
import { accountClassOption, loadOrdersPayments, parseAt, refOption } from './shared.js';

export interface RefundOrderOptions {
  number: string;
  amountFen: number;
  /** Local time in the business time zone, read when the run knows the zone. */
  at: string;
  reason: string;
  accountClass?: string;
  ref?: string;
}

export function parseRefundOrderOptions([number]: string[], raw: RawOptions): RefundOrderOptions {
  return {
    number: number!,
    amountFen: parseYuan(String(raw.amount), { field: '--amount', allowZero: false }),
    at: String(raw.at),
    reason: String(raw.reason),
    accountClass: stringOption(raw, 'accountClass'),
    ref: stringOption(raw, 'ref'),
  };
}

export async function runRefundOrder(ctx: CliContext, opts: RefundOrderOptions): Promise<void> {
  const { refundPayment } = await loadOrdersPayments();
  const svc = await ctx.services();
  const { number, at, ...refund } = opts;
  const r = await refundPayment(svc, number, { ...refund, at: await parseAt(svc, at) });
  printMoney(ctx, r, 'refund');
}

export function registerRefundOrder(
  orders: Command,
  ctx: CliContext,
  run: RunVerb<RefundOrderOptions> = runRefundOrder,
): Command {
  return verb(
    orders,
    ctx,
    'refund <number>',
    m('登记退款（不超过已收减已退）', 'record a refund (never more than received minus refunded)'),
    ['crm orders refund SO20261123-0001 --amount 5000 --at "2026-11-25 09:00" --reason "多付退回"'],
  )
    .requiredOption('--amount <yuan>', ctx.t(m('金额（元）', 'amount in yuan')))
    .requiredOption('--at <time>', ctx.t(m('退款时间', 'time of the refund')))
    .requiredOption('--reason <text>', ctx.t(m('退款原因', 'why')))
    .addOption(accountClassOption(ctx))
    .addOption(refOption(ctx))
    .action(act(ctx, parseRefundOrderOptions, run));
}
