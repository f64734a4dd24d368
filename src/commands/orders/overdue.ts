import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, renderRows } from '../../cli/output.js';
import { yuanString } from '../../domain/money.js';
import type { OverdueInstalment } from '../../services/orders/receivables.js';
import { loadOrdersReceivables } from './shared.js';

export interface OverdueOptions {
  /** Absent: today. */
  date?: string;
  /** Write the overdue status (else only list). */
  apply: boolean;
}

export function parseOverdueOptions(_args: string[], raw: RawOptions): OverdueOptions {
  return { date: stringOption(raw, 'date'), apply: Boolean(raw.apply) };
}

const overdueColumns: Column<OverdueInstalment>[] = [
  { key: 'orderNumber', label: m('订单号', 'order') },
  { key: 'customerCode', label: m('客户', 'customer') },
  { key: 'owner', label: m('负责人', 'owner') },
  { key: 'instalment', label: m('期', 'instalment'), align: 'right' },
  { key: 'dueDate', label: m('到期日', 'due') },
  { key: 'outstanding', label: m('未收', 'outstanding'), align: 'right', value: (r) => yuanString(r.outstandingFen) },
  { key: 'daysOverdue', label: m('逾期天数', 'days overdue'), align: 'right' },
  { key: 'previousStatus', label: m('原状态', 'was') },
];

export async function runOverdue(ctx: CliContext, opts: OverdueOptions): Promise<void> {
  const { markOverdue } = await loadOrdersReceivables();
  const r = await markOverdue(await ctx.services(), opts);
  renderRows(ctx, overdueColumns, r.instalments, {
    json: {
      date: r.date,
      applied: r.applied,
      marked: r.marked,
      instalments: r.instalments.map((i) => ({
        ...i,
        amount: yuanString(i.amountFen),
        paid: yuanString(i.paidFen),
        outstanding: yuanString(i.outstandingFen),
        amountFen: undefined,
        paidFen: undefined,
        outstandingFen: undefined,
      })),
    },
    empty: m('没有逾期的回款计划', 'no instalments past due'),
  });
  if (!ctx.json)
    ctx.note(
      r.applied
        ? m('{date}：新标记逾期 {n} 期', '{date}: {n} instalments newly marked overdue')
        : m(
            '{date}：{n} 期将标记为逾期（加 --apply 写入）',
            '{date}: {n} instalments would be marked overdue (add --apply)',
          ),
      { date: r.date, n: r.marked },
    );
}

export function registerOverdue(orders: Command, ctx: CliContext, run: RunVerb<OverdueOptions> = runOverdue): Command {
  return verb(
    orders,
    ctx,
    'overdue',
    m('列出（--apply 标记）到期未付的回款计划', 'list (and with --apply mark) instalments past due'),
    ['crm orders overdue --date 2026-12-16', 'crm orders overdue --apply'],
  )
    .option('--date <date>', ctx.t(m('业务日期（默认今天）', 'business date (default: today)')))
    .option('--apply', ctx.t(m('写入逾期状态', 'write the overdue status')))
    .action(act(ctx, parseOverdueOptions, run));
}
