import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import type { RequestView } from '../../services/approvals/requests.js';
import type { ServiceContext } from '../../services/context.js';
import { statusLine } from './render.js';
import { loadRequests, requestId } from './shared.js';

/** The verbs that move a request along: approve, reject, withdraw, resubmit. */
export interface DecideOptions {
  id: number;
  comment?: string;
  reason?: string;
}

export type RequestMove = 'approve' | 'reject' | 'withdraw' | 'resubmit';

export function parseDecideOptions([id]: string[], raw: RawOptions): DecideOptions {
  return { id: requestId(id), comment: stringOption(raw, 'comment'), reason: stringOption(raw, 'reason') };
}

type RequestsService = Awaited<ReturnType<typeof loadRequests>>;

const MOVES: Record<RequestMove, (s: RequestsService, svc: ServiceContext, o: DecideOptions) => Promise<RequestView>> =
  {
    approve: (s, svc, o) => s.approveRequest(svc, o.id, o.comment),
    reject: (s, svc, o) => s.rejectRequest(svc, o.id, o.reason),
    withdraw: (s, svc, o) => s.withdrawRequest(svc, o.id),
    resubmit: (s, svc, o) => s.resubmitRequest(svc, o.id),
  };

export function runMove(move: RequestMove): RunVerb<DecideOptions> {
  return async (ctx, opts) => {
    const requests = await loadRequests();
    statusLine(ctx, await MOVES[move](requests, await ctx.services(), opts));
  };
}

export function registerMoves(
  approvals: Command,
  ctx: CliContext,
  runFor: (move: RequestMove) => RunVerb<DecideOptions> = runMove,
): void {
  const action = (move: RequestMove) => act(ctx, parseDecideOptions, runFor(move));
  verb(
    approvals,
    ctx,
    'approve <id>',
    m(
      '同意当前步骤（审批人、管理员或其代理人）',
      'approve the current step (its approver, an admin, or their delegate)',
    ),
    ['crm approvals approve 12 --comment "同意"'],
  )
    .option('--comment <text>', ctx.t(m('审批意见', 'comment')))
    .action(action('approve'));
  verb(approvals, ctx, 'reject <id>', m('驳回（须写原因）', 'reject (with a reason)'), [
    'crm approvals reject 12 --reason "超出预算"',
  ])
    .option('--reason <text>', ctx.t(m('驳回原因', 'why')))
    .action(action('reject'));
  verb(
    approvals,
    ctx,
    'withdraw <id>',
    m('撤回自己仍在审批中的申请', 'withdraw your own request while it is pending'),
  ).action(action('withdraw'));
  verb(
    approvals,
    ctx,
    'resubmit <id>',
    m('重新提交已驳回或已撤回的申请（新一轮审批）', 'submit a rejected or withdrawn request again (a new round)'),
  ).action(action('resubmit'));
}
