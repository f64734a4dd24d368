import type { Command } from 'commander';
import { act, collect, listOption, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printOrder } from './render.js';
import { loadOrders, optionalId } from './shared.js';

export interface EditOrderOptions {
  number: string;
  /** Replaces every line when non-empty. */
  items: string[];
  /** `""` clears the date. */
  signedAt?: string;
  start?: string;
  end?: string;
  opportunity?: number;
}

export function parseEditOrderOptions([number]: string[], raw: RawOptions): EditOrderOptions {
  return {
    number: number!,
    items: listOption(raw, 'item'),
    signedAt: stringOption(raw, 'signedAt'),
    start: stringOption(raw, 'start'),
    end: stringOption(raw, 'end'),
    opportunity: optionalId(stringOption(raw, 'opportunity'), '--opportunity'),
  };
}

export async function runEditOrder(ctx: CliContext, opts: EditOrderOptions): Promise<void> {
  const { editOrder } = await loadOrders();
  const { number, ...changes } = opts;
  printOrder(ctx, await editOrder(await ctx.services(), number, changes));
}

export function registerEditOrder(
  orders: Command,
  ctx: CliContext,
  run: RunVerb<EditOrderOptions> = runEditOrder,
): Command {
  return verb(orders, ctx, 'edit <number>', m('修改草稿（或被驳回的）订单', 'change a draft (or rejected) order'), [
    'crm orders edit SO20261123-0001 --item P-100:3 --signed-at 2026-11-21',
  ])
    .option('--item <spec>', ctx.t(m('替换全部订单行，可重复', 'replace all lines; repeatable')), collect, [])
    .option('--signed-at <date>', ctx.t(m('签订日期（空字符串清除）', 'date signed ("" clears)')))
    .option('--start <date>', ctx.t(m('合同开始日期', 'contract start')))
    .option('--end <date>', ctx.t(m('合同结束日期', 'contract end')))
    .option('--opportunity <id>', ctx.t(m('来源商机编号', 'the opportunity it comes from')))
    .action(act(ctx, parseEditOrderOptions, run));
}
