/** Flows (`crm approvals flows list|show|set`) and delegations (`crm approvals delegate`). */
import {
  ApprovalErrors,
  approvalError,
  checkType,
  DEFAULT_FLOWS,
  type FlowDef,
  parseStep,
  REQUEST_TYPES,
  type RequestType,
  stepText,
} from '../../domain/approvals/flows.js';
import { compareDates, parseDateArg } from '../../domain/clock.js';
import { ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { flowOf, People, type Row } from './engine.js';

export interface FlowView extends FlowDef {
  /** True when the flow is the built-in default. */
  isDefault: boolean;
}

export async function listFlows(ctx: ServiceContext): Promise<FlowView[]> {
  const stored = new Set(((await ctx.db('approval_flows').select('type')) as Row[]).map((r) => String(r.type)));
  const out: FlowView[] = [];
  for (const type of REQUEST_TYPES) out.push({ ...(await flowOf(ctx.db, type)), isDefault: !stored.has(type) });
  return out;
}

export async function showFlow(ctx: ServiceContext, type: string): Promise<FlowView> {
  const t = checkType(type);
  const stored = await ctx.db('approval_flows').where({ type: t }).first('type');
  return { ...(await flowOf(ctx.db, t)), isDefault: !stored };
}

export interface SetFlowInput {
  steps?: string[];
  enabled?: boolean;
  /** Back to the built-in default. */
  reset?: boolean;
}

/**
 * Change a type's flow (admins: it is a business setting). Requests already submitted keep the steps they were
 * submitted with; the new flow applies from the next submission. Audited with before and after.
 */
export async function setFlow(ctx: ServiceContext, type: string, input: SetFlowInput): Promise<FlowView> {
  requireCapability(ctx.actor, 'settings.manage', m('修改审批流程', 'change approval flows'));
  const t: RequestType = checkType(type);
  const steps = input.steps
    ?.flatMap((s) => s.split(','))
    .filter((s) => s.trim())
    .map(parseStep);
  if (!input.reset && steps === undefined && input.enabled === undefined) {
    throw approvalError(
      ApprovalErrors.badStep,
      m('没有要修改的内容', 'nothing to change'),
      ExitCode.usage,
      m('给出 --step（可重复）、--on / --off 或 --reset', 'give --step (repeatable), --on / --off, or --reset'),
    );
  }
  if (steps && !steps.length) {
    throw approvalError(
      ApprovalErrors.badStep,
      m('流程至少需要一个步骤', 'a flow needs at least one step'),
      ExitCode.usage,
      m('不需要审批时用 --off', 'use --off when the type needs no approval'),
    );
  }
  const people = await People.load(ctx.db);
  for (const s of steps ?? []) {
    if (s.approver.kind === 'user' && !people.byName(s.approver.name)?.active) {
      throw approvalError(
        ApprovalErrors.unknownUser,
        m(`步骤中的用户不存在或已停用：${s.approver.name}`, `no such active user in the step: ${s.approver.name}`),
        ExitCode.usage,
        m('用 "crm users list" 查看用户', 'see "crm users list"'),
      );
    }
  }
  await inTransaction(ctx, async (tx) => {
    const before = await flowOf(tx.db, t);
    await tx.db('approval_flows').where({ type: t }).delete();
    if (!input.reset) {
      await tx.db('approval_flows').insert({
        type: t,
        enabled: input.enabled ?? before.enabled,
        steps_json: JSON.stringify(steps ?? before.steps),
        updated_at: nowIso(tx.clock),
        updated_by: tx.actor.id > 0 ? tx.actor.id : null,
      });
    }
    const after = await flowOf(tx.db, t);
    const view = (f: FlowDef) => ({ enabled: f.enabled, steps: f.steps.map(stepText) });
    await audit(tx, {
      action: 'approvals.flow',
      entity: 'approval_flow',
      entityId: t,
      before: view(before),
      after: view(after),
    });
  });
  return showFlow(ctx, t);
}

export const defaultFlow = (type: RequestType): FlowDef => DEFAULT_FLOWS[type];

// ------------------------------------------------------------------------------------------------
// Delegation

export interface DelegationView {
  id: number;
  from: string;
  to: string;
  fromDate: string;
  toDate: string;
  createdAt: string;
}

export interface DelegateInput {
  to: string;
  from: string;
  toDate: string;
  /** An admin may set it up for someone else (who is away already). */
  for?: string;
}

/**
 * While `for` (default: the actor) is away from `from` to `toDate`, the steps they would decide may be decided by
 * `to`; each decision records on whose behalf. Overlapping delegations of one person are refused.
 */
export async function delegate(ctx: ServiceContext, input: DelegateInput): Promise<DelegationView> {
  const from = parseDateArg(input.from, '--from');
  const to = parseDateArg(input.toDate, '--to-date');
  if (compareDates(from, to) > 0) {
    throw approvalError(
      ApprovalErrors.badRange,
      m(
        `日期范围颠倒：--from ${from} 晚于 --to-date ${to}`,
        `the dates are backwards: --from ${from} is after --to-date ${to}`,
      ),
      ExitCode.usage,
      m('交换两个日期', 'swap the two dates'),
    );
  }
  const people = await People.load(ctx.db);
  let fromUser = ctx.actor.id;
  if (input.for && input.for !== ctx.actor.name) {
    requireCapability(ctx.actor, 'users.manage', m('为他人设置审批委托', 'set up a delegation for someone else'));
    const p = people.byName(input.for);
    if (!p) throw unknownUser(input.for);
    fromUser = p.id;
  }
  const target = people.byName(input.to);
  if (!target?.active) throw unknownUser(input.to);
  if (target.id === fromUser) {
    throw approvalError(
      ApprovalErrors.badDelegation,
      m('不能委托给自己', 'you cannot delegate to yourself'),
      ExitCode.usage,
      m('--to 给出代为审批的另一位用户', '--to names another user who decides while you are away'),
    );
  }
  const id = await inTransaction(ctx, async (tx) => {
    const overlap = await tx
      .db('approval_delegations')
      .where({ from_user_id: fromUser })
      .where('from_date', '<=', to)
      .where('to_date', '>=', from)
      .first();
    if (overlap) {
      throw approvalError(
        ApprovalErrors.delegationOverlap,
        m(
          `与已有委托重叠：${overlap.from_date} 至 ${overlap.to_date} 委托给 ${people.name(Number(overlap.to_user_id))}`,
          `overlaps a delegation already set: ${overlap.from_date} to ${overlap.to_date} to ${people.name(Number(overlap.to_user_id))}`,
        ),
        ExitCode.conflict,
        m('选择不重叠的日期', 'choose dates that do not overlap it'),
      );
    }
    const [newId] = await tx.db('approval_delegations').insert({
      from_user_id: fromUser,
      to_user_id: target.id,
      from_date: from,
      to_date: to,
      created_at: nowIso(tx.clock),
    });
    await audit(tx, {
      action: 'approvals.delegate',
      entity: 'approval_delegation',
      entityId: Number(newId),
      after: { from: people.name(fromUser), to: target.name, fromDate: from, toDate: to },
    });
    return Number(newId);
  });
  return (await listDelegations(ctx)).find((d) => d.id === id)!;
}

function unknownUser(name: string) {
  return approvalError(
    ApprovalErrors.unknownUser,
    m(`用户不存在或已停用：${name}`, `no such active user: ${name}`),
    ExitCode.usage,
    m('用 "crm users list" 查看用户', 'see "crm users list"'),
  );
}

/** Delegations from or to the actor (admins: all). */
export async function listDelegations(ctx: ServiceContext): Promise<DelegationView[]> {
  const people = await People.load(ctx.db);
  const q = ctx.db('approval_delegations').orderBy('id');
  if (ctx.actor.role !== 'admin')
    q.where((w) => w.where({ from_user_id: ctx.actor.id }).orWhere({ to_user_id: ctx.actor.id }));
  const rows: Row[] = await q;
  return rows.map((r) => ({
    id: Number(r.id),
    from: people.name(Number(r.from_user_id)) ?? '',
    to: people.name(Number(r.to_user_id)) ?? '',
    fromDate: String(r.from_date),
    toDate: String(r.to_date),
    createdAt: String(r.created_at),
  }));
}
