import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { renderRows } from '../../cli/output.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import type { ListFilter } from '../../services/approvals/requests.js';
import { printRequest, requestColumns, requestJson } from './render.js';
import { loadRequests, requestId } from './shared.js';

export type ListRequestsOptions = ListFilter;

export function parseListRequestsOptions(_args: string[], raw: RawOptions): ListRequestsOptions {
  const boxes = (['mine', 'toMe', 'cc', 'all'] as const).filter((b) => raw[b]);
  if (boxes.length > 1) {
    throw new CrmError(
      'E4241',
      m('--mine、--to-me、--cc、--all 只能选一个', 'choose one of --mine, --to-me, --cc, --all'),
      ExitCode.usage,
    );
  }
  const box = boxes[0] === 'toMe' ? 'to-me' : (boxes[0] ?? 'mine');
  return { box, status: stringOption(raw, 'status'), type: stringOption(raw, 'type') };
}

export async function runListRequests(ctx: CliContext, opts: ListRequestsOptions): Promise<void> {
  const { listRequests } = await loadRequests();
  const rows = await listRequests(await ctx.services(), opts);
  renderRows(ctx, requestColumns, rows, { json: rows.map(requestJson), empty: m('没有申请', 'no requests') });
}

export function registerListRequests(
  approvals: Command,
  ctx: CliContext,
  run: RunVerb<ListRequestsOptions> = runListRequests,
): Command {
  return verb(
    approvals,
    ctx,
    'list',
    m(
      '列出申请：--mine 我发起的（默认）、--to-me 待我审批的（含订单）、--cc 知会我的、--all 范围内全部',
      'list requests: --mine (default), --to-me (waiting for me, orders included), --cc (copied to me), --all (within your scope)',
    ),
    ['crm approvals list --to-me', 'crm approvals list --all --status pending --type expense'],
  )
    .option('--mine', ctx.t(m('我发起的', 'mine')))
    .option('--to-me', ctx.t(m('待我审批的', 'waiting for me')))
    .option('--cc', ctx.t(m('知会我的', 'copied to me')))
    .option('--all', ctx.t(m('数据范围内全部', 'all within your data scope')))
    .option('--status <status>', 'pending | approved | rejected | withdrawn')
    .option('--type <type>', ctx.t(m('申请类型', 'request type')))
    .action(act(ctx, parseListRequestsOptions, run));
}

export interface ShowRequestOptions {
  id: number;
}

export function parseShowRequestOptions([id]: string[]): ShowRequestOptions {
  return { id: requestId(id) };
}

export async function runShowRequest(ctx: CliContext, opts: ShowRequestOptions): Promise<void> {
  const { showRequest } = await loadRequests();
  printRequest(ctx, await showRequest(await ctx.services(), opts.id));
}

export function registerShowRequest(
  approvals: Command,
  ctx: CliContext,
  run: RunVerb<ShowRequestOptions> = runShowRequest,
): Command {
  return verb(
    approvals,
    ctx,
    'show <id>',
    m('查看申请、审批步骤和审批记录', 'show a request, its steps and decisions'),
    ['crm approvals show 12 --json'],
  ).action(act(ctx, parseShowRequestOptions, run));
}
