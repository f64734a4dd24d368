import type { Command } from 'commander';
import { group } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { registerCreateOrder } from './create.js';
import { registerEditOrder } from './edit.js';
import { registerListOrders } from './list.js';
import { registerOverdue } from './overdue.js';
import { registerPayOrder } from './pay.js';
import { registerPlanOrder } from './plan.js';
import { registerRefundOrder } from './refund.js';
import { registerShowOrder } from './show.js';
import { registerSubmitOrder } from './submit.js';
import { registerOrderTransitions } from './transitions.js';

/** `crm orders …`: one file per verb (the status transitions share one), registered in the order `--help` lists them. */
export function registerOrderCommands(program: Command, ctx: CliContext): Command {
  const orders = group(
    program,
    ctx,
    'orders',
    m('订单与合同：审批、回款计划、回款与退款', 'orders and contracts: approval, payment plans, receipts and refunds'),
    [
      'crm orders create --customer C001 --item P-100:2 --item S-200:1:11000:5% --signed-at 2026-11-20',
      'crm orders submit SO20261123-0001',
      'crm orders show SO20261123-0001 --json',
    ],
  );
  registerCreateOrder(orders, ctx);
  registerListOrders(orders, ctx);
  registerShowOrder(orders, ctx);
  registerEditOrder(orders, ctx);
  registerSubmitOrder(orders, ctx);
  registerOrderTransitions(orders, ctx);
  registerPlanOrder(orders, ctx);
  registerPayOrder(orders, ctx);
  registerRefundOrder(orders, ctx);
  registerOverdue(orders, ctx);
  return orders;
}
