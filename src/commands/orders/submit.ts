import type { Command } from 'commander';
import { act, type RunVerb, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson } from '../../cli/output.js';
import { orderJson } from './render.js';
import { loadOrders } from './shared.js';

export interface SubmitOrderOptions {
  number: string;
}

export function parseSubmitOrderOptions([number]: string[]): SubmitOrderOptions {
  return { number: number! };
}

export async function runSubmitOrder(ctx: CliContext, opts: SubmitOrderOptions): Promise<void> {
  const { submitOrder } = await loadOrders();
  const d = await submitOrder(await ctx.services(), opts.number);
  if (ctx.json) {
    printJson(ctx, orderJson(d));
    return;
  }
  ctx.out(
    d.status === 'approved'
      ? ctx.t(m('订单 {n} 已提交并自动生效', 'order {n} submitted and approved (within the limits)'), {
          n: d.number,
        })
      : ctx.t(
          m('订单 {n} 已提交，等待上级经理审批', "order {n} submitted; it waits for the owner's manager to approve"),
          {
            n: d.number,
          },
        ),
  );
}

export function registerSubmitOrder(
  orders: Command,
  ctx: CliContext,
  run: RunVerb<SubmitOrderOptions> = runSubmitOrder,
): Command {
  return verb(
    orders,
    ctx,
    'submit <number>',
    m(
      '提交：折扣或金额超过限额的需经理审批，其余直接生效',
      'submit: a discount or total above the limits waits for a manager, others are approved at once',
    ),
  ).action(act(ctx, parseSubmitOrderOptions, run));
}
