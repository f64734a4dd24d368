import type { Command } from 'commander';
import { act, intOption, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { yuanString } from '../../domain/money.js';
import { classificationModel } from '../../reports/settlement-lists.js';
import { renderList } from './render.js';
import { loadSettlement } from './shared.js';

export interface ClassifyOptions {
  date: string;
  /** pending | cleared (the service checks it). */
  status: string;
  accountClass?: string;
  /** Lines per printed page; absent: the setting `settlement.pageLines`. */
  pageLines?: number;
}

export function parseClassifyOptions(_args: string[], raw: RawOptions): ClassifyOptions {
  return {
    date: String(raw.date),
    status: String(raw.status),
    accountClass: stringOption(raw, 'accountClass'),
    pageLines: typeof raw.pageLines === 'number' ? raw.pageLines : undefined,
  };
}

export async function runClassify(ctx: CliContext, opts: ClassifyOptions): Promise<void> {
  const { classify } = await loadSettlement();
  const svc = await ctx.services();
  const t = await classify(svc, { date: opts.date, status: opts.status, accountClass: opts.accountClass });
  const json = {
    date: t.date,
    status: t.status,
    rows: t.rows.map((r) => ({
      accountClass: r.accountClass,
      kind: r.kind,
      count: r.count,
      total: yuanString(r.totalFen),
    })),
    count: t.count,
    total: yuanString(t.totalFen),
  };
  await renderList(ctx, svc, classificationModel(t), json, opts.pageLines);
}

export function registerClassify(
  settlement: Command,
  ctx: CliContext,
  run: RunVerb<ClassifyOptions> = runClassify,
): Command {
  return verb(settlement, ctx, 'classify', m('清算分类统计表（按账户分类）', 'classification table by account class'), [
    'crm settlement classify --date 2026-11-23 --status pending',
    'crm settlement classify --date 2026-11-23 --status cleared --account-class 财政授权支付 --format print',
  ])
    .requiredOption('--date <date>', ctx.t(m('日期', 'date')))
    .requiredOption('--status <status>', 'pending | cleared')
    .option('--account-class <class>', ctx.t(m('账户分类', 'account class')))
    .option('--page-lines <n>', ctx.t(m('打印每页行数', 'lines per printed page')), intOption)
    .action(act(ctx, parseClassifyOptions, run));
}
