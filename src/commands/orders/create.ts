import type { Command } from 'commander';
import { act, collect, listOption, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { askText } from '../../cli/prompt.js';
import type { CreateOrderInput } from '../../services/orders/orders.js';
import { statusLine } from './render.js';
import { loadOrders, optionalId } from './shared.js';

/** The service's input, except that the customer and the items may be asked for on a terminal. */
export type CreateOrderOptions = Omit<CreateOrderInput, 'customer'> & {
  /** Absent: asked for on a terminal, else a usage error. */
  customer?: string;
};

export function parseCreateOrderOptions(_args: string[], raw: RawOptions): CreateOrderOptions {
  return {
    customer: stringOption(raw, 'customer'),
    items: listOption(raw, 'item'),
    number: stringOption(raw, 'number'),
    opportunity: optionalId(stringOption(raw, 'opportunity'), '--opportunity'),
    signedAt: stringOption(raw, 'signedAt'),
    start: stringOption(raw, 'start'),
    end: stringOption(raw, 'end'),
    owner: stringOption(raw, 'owner'),
  };
}

/** On a terminal, ask for what is missing; in scripts a missing --customer or --item is a usage error. */
async function askItems(ctx: CliContext): Promise<string[]> {
  const items: string[] = [];
  if (!ctx.interactive) return items;
  for (;;) {
    const answer = await askText(
      ctx,
      '--item',
      items.length
        ? m(
            '下一行（产品编码:数量[:单价[:折扣%]]，回车结束）',
            'next line (PRODUCT:QTY[:PRICE[:DISCOUNT%]], empty to finish)',
          )
        : m('订单行（产品编码:数量[:单价[:折扣%]]）', 'order line (PRODUCT:QTY[:PRICE[:DISCOUNT%]])'),
      { required: items.length === 0 },
    );
    if (!answer) return items;
    items.push(answer);
  }
}

export async function runCreateOrder(ctx: CliContext, opts: CreateOrderOptions): Promise<void> {
  const { createOrder } = await loadOrders();
  const customer =
    opts.customer ?? (await askText(ctx, '--customer', m('客户编码', 'customer code'), { required: true }));
  const items = opts.items.length ? opts.items : await askItems(ctx);
  const svc = await ctx.services();
  const d = await createOrder(svc, { ...opts, customer: String(customer), items });
  statusLine(ctx, d);
}

export function registerCreateOrder(
  orders: Command,
  ctx: CliContext,
  run: RunVerb<CreateOrderOptions> = runCreateOrder,
): Command {
  return verb(orders, ctx, 'create', m('创建订单（草稿）', 'create an order (draft)'), [
    'crm orders create --customer C001 --item P-100:2.5:1999.90:12.5% --number HT-2026-001',
  ])
    .option('--customer <code>', ctx.t(m('客户编码', 'customer code')))
    .option(
      '--item <spec>',
      ctx.t(m('订单行 产品编码:数量[:单价[:折扣%]]，可重复', 'line PRODUCT:QTY[:UNIT_PRICE[:DISCOUNT%]], repeatable')),
      collect,
      [],
    )
    .option(
      '--number <n>',
      ctx.t(m('订单号（默认按设置 orders.numberPattern 生成）', 'order number (default: from orders.numberPattern)')),
    )
    .option('--opportunity <id>', ctx.t(m('来源商机编号', 'the opportunity it comes from')))
    .option('--signed-at <date>', ctx.t(m('签订日期', 'date signed')))
    .option('--start <date>', ctx.t(m('合同开始日期', 'contract start')))
    .option('--end <date>', ctx.t(m('合同结束日期', 'contract end')))
    .option('--owner <user>', ctx.t(m('负责人（默认客户负责人）', "owner (default: the customer's owner)")))
    .action(act(ctx, parseCreateOrderOptions, run));
}
