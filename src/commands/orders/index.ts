import type { Command } from 'commander';
import { group } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';

export function registerOrders(program: Command, ctx: CliContext): Command {
  const cmd = group(program, ctx, 'orders', {
    zh: '订单：产品、商机、合同审批、回款计划、回款与退款',
    en: 'orders: products, opportunities, contracts and approval, payment plans, receipts and refunds',
  });
  return cmd;
}
