import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { parseYuan } from '../../domain/money.js';
import type { PAYMENT_METHODS } from '../../services/orders/payments.js';
import { printMoney } from './render.js';
import { accountClassOption, loadOrdersPayments, parseAt, refOption } from './shared.js';

/** For --help without loading the payments service; the type keeps it equal to the service's list. */
const PAYMENT_METHOD_NAMES: typeof PAYMENT_METHODS = ['transfer', 'cash', 'cheque', 'other'];

export interface PayOrderOptions {
  number: string;
  amountFen: number;
  /** `YYYY-MM-DD HH:mm` (or a date: midnight) in the business time zone, read when the run knows the zone. */
  at: string;
  /** Absent: the oldest open instalment. */
  instalment?: number;
  method: string;
  account?: string;
  accountClass?: string;
  ref?: string;
}

export function parsePayOrderOptions([number]: string[], raw: RawOptions): PayOrderOptions {
  const amountFen = parseYuan(String(raw.amount), { field: '--amount', allowZero: false });
  let instalment: number | undefined;
  if (raw.instalment !== undefined) {
    if (!/^\d{1,6}$/.test(String(raw.instalment))) {
      throw new CrmError(
        'E6153',
        m(`--instalment 应为期号：${raw.instalment}`, `--instalment must be an instalment number: ${raw.instalment}`),
        ExitCode.usage,
      );
    }
    instalment = Number(raw.instalment);
  }
  return {
    number: number!,
    amountFen,
    at: String(raw.at),
    instalment,
    method: String(raw.method),
    account: stringOption(raw, 'account'),
    accountClass: stringOption(raw, 'accountClass'),
    ref: stringOption(raw, 'ref'),
  };
}

export async function runPayOrder(ctx: CliContext, opts: PayOrderOptions): Promise<void> {
  const { receivePayment } = await loadOrdersPayments();
  const svc = await ctx.services();
  const { number, at, ...receipt } = opts;
  const r = await receivePayment(svc, number, { ...receipt, at: await parseAt(svc, at) });
  printMoney(ctx, r, 'receipt');
}

export function registerPayOrder(
  orders: Command,
  ctx: CliContext,
  run: RunVerb<PayOrderOptions> = runPayOrder,
): Command {
  return verb(
    orders,
    ctx,
    'pay <number>',
    m('登记回款（生成一笔清算交易）', 'record a receipt (posts a settlement payment)'),
    [
      'crm orders pay SO20261123-0001 --amount 50000 --at "2026-11-24 10:30" --method transfer --account 6222000011112222',
      'crm orders pay SO20261123-0001 --amount 10000 --at "2026-11-24 11:00" --instalment 2 --ref BANK-20261124-0007',
    ],
  )
    .requiredOption('--amount <yuan>', ctx.t(m('金额（元）', 'amount in yuan')))
    .requiredOption(
      '--at <time>',
      ctx.t(m('到账时间 YYYY-MM-DD HH:mm（业务时区）', 'time received, YYYY-MM-DD HH:mm (business time zone)')),
    )
    .option(
      '--instalment <n>',
      ctx.t(m('记到第 n 期（默认最早未付的一期）', 'apply to instalment n (default: the oldest open one)')),
    )
    .option('--method <method>', PAYMENT_METHOD_NAMES.join(' | '), 'transfer')
    .option('--account <account>', ctx.t(m('付款账号', 'payer account')))
    .addOption(accountClassOption(ctx))
    .addOption(refOption(ctx))
    .action(act(ctx, parsePayOrderOptions, run));
}
