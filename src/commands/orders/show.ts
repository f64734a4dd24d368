import type { Command } from 'commander';
import { act, type RunVerb, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printOrder } from './render.js';
import { loadOrders } from './shared.js';

export interface ShowOrderOptions {
  number: string;
}

export function parseShowOrderOptions([number]: string[]): ShowOrderOptions {
  return { number: number! };
}

export async function runShowOrder(ctx: CliContext, opts: ShowOrderOptions): Promise<void> {
  const { showOrder } = await loadOrders();
  printOrder(ctx, await showOrder(await ctx.services(), opts.number));
}

export function registerShowOrder(
  orders: Command,
  ctx: CliContext,
  run: RunVerb<ShowOrderOptions> = runShowOrder,
): Command {
  return verb(orders, ctx, 'show <number>', m('显示订单、回款计划与回款', 'show an order, its plan and its money'), [
    'crm orders show SO20261123-0001 --json',
  ]).action(act(ctx, parseShowOrderOptions, run));
}
