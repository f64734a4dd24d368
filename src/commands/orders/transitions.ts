import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import type { ServiceContext } from '../../services/context.js';
import type { OrderDetail } from '../../services/orders/orders.js';
import { statusLine } from './render.js';
import { loadOrders } from './shared.js';

/**
 * The verbs that move an order along (approve, reject, fulfil, close, cancel): each takes the order number and,
 * for reject and cancel, a reason, and prints the order's new status.
 */
export interface OrderTransitionOptions {
  number: string;
  reason?: string;
}

export type OrderTransition = 'approve' | 'reject' | 'fulfil' | 'close' | 'cancel';

export function parseOrderTransitionOptions([number]: string[], raw: RawOptions): OrderTransitionOptions {
  return { number: number!, reason: stringOption(raw, 'reason') };
}

type OrdersService = Awaited<ReturnType<typeof loadOrders>>;

/** The service call behind each transition. */
const TRANSITIONS: Record<
  OrderTransition,
  (orders: OrdersService, svc: ServiceContext, opts: OrderTransitionOptions) => Promise<OrderDetail>
> = {
  approve: (orders, svc, { number }) => orders.approveOrder(svc, number),
  reject: (orders, svc, { number, reason }) => orders.rejectOrder(svc, number, reason),
  fulfil: (orders, svc, { number }) => orders.fulfilOrder(svc, number),
  close: (orders, svc, { number }) => orders.closeOrder(svc, number),
  cancel: (orders, svc, { number, reason }) => orders.cancelOrder(svc, number, reason),
};

export function runOrderTransition(transition: OrderTransition): RunVerb<OrderTransitionOptions> {
  return async (ctx, opts) => {
    const orders = await loadOrders();
    statusLine(ctx, await TRANSITIONS[transition](orders, await ctx.services(), opts));
  };
}

export function registerOrderTransitions(
  orders: Command,
  ctx: CliContext,
  runFor: (transition: OrderTransition) => RunVerb<OrderTransitionOptions> = runOrderTransition,
): void {
  const action = (transition: OrderTransition) => act(ctx, parseOrderTransitionOptions, runFor(transition));
  verb(
    orders,
    ctx,
    'approve <number>',
    m('审批通过（负责人的上级经理或管理员）', "approve (the owner's manager or an admin)"),
  ).action(action('approve'));
  verb(orders, ctx, 'reject <number>', m('驳回（须写原因）', 'reject (with a reason)'), [
    'crm orders reject SO20261123-0002 --reason "折扣过大"',
  ])
    .option('--reason <text>', ctx.t(m('驳回原因', 'why')))
    .action(action('reject'));
  verb(orders, ctx, 'fulfil <number>', m('标记已履约（交付完成）', 'mark fulfilled (delivered)')).action(
    action('fulfil'),
  );
  verb(orders, ctx, 'close <number>', m('关闭已履约的订单', 'close a fulfilled order')).action(action('close'));
  verb(orders, ctx, 'cancel <number>', m('取消订单（有未退款项时不可）', 'cancel an order (not while it holds money)'))
    .option('--reason <text>', ctx.t(m('取消原因', 'why')))
    .action(action('cancel'));
}
