import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { renderRows } from '../../cli/output.js';
import type { OrderFilter } from '../../services/orders/orders.js';
import { orderColumns, summaryJson } from './render.js';
import { loadOrders } from './shared.js';

export type ListOrdersOptions = OrderFilter;

export function parseListOrdersOptions(_args: string[], raw: RawOptions): ListOrdersOptions {
  return {
    customer: stringOption(raw, 'customer'),
    owner: stringOption(raw, 'owner'),
    status: stringOption(raw, 'status'),
    from: stringOption(raw, 'from'),
    to: stringOption(raw, 'to'),
  };
}

export async function runListOrders(ctx: CliContext, opts: ListOrdersOptions): Promise<void> {
  const { listOrders } = await loadOrders();
  const rows = await listOrders(await ctx.services(), opts);
  renderRows(ctx, orderColumns, rows, { json: rows.map(summaryJson), empty: m('没有订单', 'no orders') });
}

export function registerListOrders(
  orders: Command,
  ctx: CliContext,
  run: RunVerb<ListOrdersOptions> = runListOrders,
): Command {
  return verb(orders, ctx, 'list', m('列出订单（按数据范围）', 'list orders (within your data scope)'), [
    'crm orders list --status approved --from 2026-11-01 --to 2026-11-30',
  ])
    .option('--customer <code>', ctx.t(m('客户编码', 'customer code')))
    .option('--owner <user>', ctx.t(m('负责人', 'owner')))
    .option('--status <status>', 'draft | submitted | approved | rejected | fulfilled | closed | cancelled')
    .option(
      '--from <date>',
      ctx.t(m('订单日期起（签订日期，否则创建日期）', 'order date from (signed date, else created)')),
    )
    .option('--to <date>', ctx.t(m('订单日期止', 'order date to')))
    .action(act(ctx, parseListOrdersOptions, run));
}
