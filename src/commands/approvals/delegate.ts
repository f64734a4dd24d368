import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderRows } from '../../cli/output.js';
import type { DelegateInput, DelegationView } from '../../services/approvals/flows.js';
import { loadFlows } from './shared.js';

export type DelegateOptions = DelegateInput;

export function parseDelegateOptions(_args: string[], raw: RawOptions): DelegateOptions {
  return {
    to: stringOption(raw, 'to') ?? '',
    from: stringOption(raw, 'from') ?? '',
    toDate: stringOption(raw, 'toDate') ?? '',
    for: stringOption(raw, 'for'),
  };
}

const columns: Column<DelegationView>[] = [
  { key: 'id', label: m('编号', 'id'), align: 'right' },
  { key: 'from', label: m('委托人', 'from') },
  { key: 'to', label: m('代理人', 'to') },
  { key: 'fromDate', label: m('开始', 'from date') },
  { key: 'toDate', label: m('结束', 'to date') },
];

export async function runDelegate(ctx: CliContext, opts: DelegateOptions): Promise<void> {
  const { delegate } = await loadFlows();
  const d = await delegate(await ctx.services(), opts);
  if (ctx.json) return printJson(ctx, d);
  ctx.out(
    ctx.t(m('{from} 在 {a} 至 {b} 期间的审批由 {to} 代理', '{to} decides for {from} from {a} to {b}'), {
      from: d.from,
      to: d.to,
      a: d.fromDate,
      b: d.toDate,
    }),
  );
}

export async function runDelegations(ctx: CliContext): Promise<void> {
  const { listDelegations } = await loadFlows();
  const rows = await listDelegations(await ctx.services());
  renderRows(ctx, columns, rows, { empty: m('没有审批委托', 'no delegations') });
}

export function registerDelegate(
  approvals: Command,
  ctx: CliContext,
  run: RunVerb<DelegateOptions> = runDelegate,
): void {
  verb(
    approvals,
    ctx,
    'delegate',
    m(
      '外出期间把自己的审批委托给他人（每次审批记录代理关系）',
      'while you are away, your steps go to a delegate (recorded on each decision)',
    ),
    ['crm approvals delegate --to erin --from 2026-12-01 --to-date 2026-12-05'],
  )
    .requiredOption('--to <user>', ctx.t(m('代理人', 'the delegate')))
    .requiredOption('--from <date>', ctx.t(m('开始日期', 'first day away')))
    .requiredOption('--to-date <date>', ctx.t(m('结束日期', 'last day away')))
    .option('--for <user>', ctx.t(m('为他人设置（管理员）', 'set it up for someone else (admins)')))
    .action(act(ctx, parseDelegateOptions, run));
  verb(approvals, ctx, 'delegations', m('列出与我有关的审批委托', 'list delegations from or to me')).action(
    act(ctx, () => ({}), runDelegations),
  );
}
