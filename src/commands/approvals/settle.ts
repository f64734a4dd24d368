import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson } from '../../cli/output.js';
import { formatYuan } from '../../domain/money.js';
import { requestJson } from './render.js';
import { loadRequests, requestId } from './shared.js';

export interface SettleOptions {
  id: number;
  actual: string;
  note?: string;
}

export function parseSettleOptions([id]: string[], raw: RawOptions): SettleOptions {
  return { id: requestId(id), actual: stringOption(raw, 'actual') ?? '', note: stringOption(raw, 'note') };
}

export async function runSettle(ctx: CliContext, opts: SettleOptions): Promise<void> {
  const { settleRequest } = await loadRequests();
  const v = await settleRequest(await ctx.services(), opts.id, opts.actual, opts.note);
  if (ctx.json) return printJson(ctx, requestJson(v));
  ctx.out(
    ctx.t(m('申请 {id}：实际花费 {actual}，预算 {budget}', 'request {id}: spent {actual} of a budget of {budget}'), {
      id: v.id,
      actual: formatYuan(v.actualFen ?? 0),
      budget: formatYuan(v.amountFen ?? 0),
    }),
  );
}

export function registerSettle(approvals: Command, ctx: CliContext, run: RunVerb<SettleOptions> = runSettle): Command {
  return verb(
    approvals,
    ctx,
    'settle <id>',
    m('报告已通过的招待或礼品申请的实际花费（一次）', 'report what an approved reception or gift actually cost (once)'),
    ['crm approvals settle 12 --actual 1860.00 --note "发票 3 张"'],
  )
    .requiredOption('--actual <yuan>', ctx.t(m('实际花费（元）', 'actual spending (yuan)')))
    .option('--note <text>', ctx.t(m('备注', 'note')))
    .action(act(ctx, parseSettleOptions, run));
}
