import type { Command } from 'commander';
import { group } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { registerMoves } from './decide.js';
import { registerDelegate } from './delegate.js';
import { registerFlows } from './flows.js';
import { registerListRequests, registerShowRequest } from './list.js';
import { registerSettle } from './settle.js';
import { registerSubmitRequest } from './submit.js';

/** `crm approvals …`: one engine for every request that needs a yes (orders included). */
export function registerApprovals(program: Command, ctx: CliContext): Command {
  const approvals = group(
    program,
    ctx,
    'approvals',
    m(
      '审批：报销、出差、请假、加班、借款、招待、礼品、拜访及订单，多级流程、委托与催办',
      'approvals: expenses, travel, leave, overtime, loans, reception, gifts, visits and orders; multi-step flows, delegation, escalation',
    ),
    [
      'crm approvals submit --type leave --title "年假" --from 2026-12-01 --to 2026-12-03',
      'crm approvals list --to-me',
    ],
  );
  registerSubmitRequest(approvals, ctx);
  registerListRequests(approvals, ctx);
  registerShowRequest(approvals, ctx);
  registerMoves(approvals, ctx);
  registerSettle(approvals, ctx);
  registerDelegate(approvals, ctx);
  registerFlows(approvals, ctx);
  return approvals;
}
