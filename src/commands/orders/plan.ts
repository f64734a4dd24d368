import type { Command } from 'commander';
import { act, collect, listOption, type RawOptions, type RunVerb, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printOrder } from './render.js';
import { loadOrdersPlans } from './shared.js';

export interface PlanOrderOptions {
  number: string;
  /** `DATE:AMOUNT` (yuan), one per instalment. */
  instalments: string[];
}

export function parsePlanOrderOptions([number]: string[], raw: RawOptions): PlanOrderOptions {
  return { number: number!, instalments: listOption(raw, 'instalment') };
}

export async function runPlanOrder(ctx: CliContext, opts: PlanOrderOptions): Promise<void> {
  const { setPlan } = await loadOrdersPlans();
  printOrder(ctx, await setPlan(await ctx.services(), opts.number, opts.instalments));
}

export function registerPlanOrder(
  orders: Command,
  ctx: CliContext,
  run: RunVerb<PlanOrderOptions> = runPlanOrder,
): Command {
  return verb(
    orders,
    ctx,
    'plan <number>',
    m('制定回款计划（合计不超过订单总额）', 'set the payment plan (never above the order total)'),
    ['crm orders plan SO20261123-0001 --instalment 2026-12-15:50000 --instalment 2027-03-15:40000'],
  )
    .option(
      '--instalment <date:amount>',
      ctx.t(m('一期：到期日:金额（元），可重复', 'one instalment DATE:AMOUNT (yuan); repeatable')),
      collect,
      [],
    )
    .action(act(ctx, parsePlanOrderOptions, run));
}
