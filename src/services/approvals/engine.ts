/**
 * The approval engine: flows, who may decide a step, and the decision itself (exactly once per step, even from two
 * processes at once). It knows nothing of orders or of any other request type: the orders service calls it with a
 * hook for what an end means to an order; src/services/approvals/requests.ts is the rest of the use cases.
 */
import type { Knex } from 'knex';
import {
  ApprovalErrors,
  applicableSteps,
  approvalError,
  approverWords,
  DEFAULT_FLOWS,
  type FlowDef,
  type RequestType,
  type StepDef,
} from '../../domain/approvals/flows.js';
import { APPROVAL_STATUS } from '../../domain/approvals/vocabulary.js';
import { ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import type { Actor, Role } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { nowIso, type ServiceContext } from '../context.js';
import { today } from '../today.js';

export type Row = Record<string, unknown>;

// ------------------------------------------------------------------------------------------------
// Flows

/** A type's flow: the stored one when `flows set` changed it, else the built-in default. */
export async function flowOf(db: Knex, type: RequestType): Promise<FlowDef> {
  const row = await db('approval_flows').where({ type }).first();
  if (!row) return DEFAULT_FLOWS[type];
  return { type, enabled: Boolean(row.enabled), steps: JSON.parse(String(row.steps_json)) as StepDef[] };
}

/** The steps a new (or resubmitted) request of this type and amount goes through; empty: approved at once. */
export async function stepsFor(db: Knex, type: RequestType, amountFen: number | null): Promise<StepDef[]> {
  const flow = await flowOf(db, type);
  return flow.enabled ? applicableSteps(flow, amountFen) : [];
}

// ------------------------------------------------------------------------------------------------
// People: the reporting line, roles, delegations

export interface Person {
  id: number;
  name: string;
  role: Role;
  supervisorId: number | null;
  active: boolean;
}

export class People {
  readonly byId = new Map<number, Person>();
  constructor(rows: Row[]) {
    for (const r of rows) {
      this.byId.set(Number(r.id), {
        id: Number(r.id),
        name: String(r.name),
        role: r.role as Role,
        supervisorId: r.supervisor_id == null ? null : Number(r.supervisor_id),
        active: r.status === 'active',
      });
    }
  }
  static async load(db: Knex): Promise<People> {
    return new People(await db('users').select('id', 'name', 'role', 'supervisor_id', 'status'));
  }
  name(id: number | null | undefined): string | null {
    return id == null ? null : (this.byId.get(Number(id))?.name ?? null);
  }
  byName(name: string): Person | undefined {
    for (const p of this.byId.values()) if (p.name === name) return p;
    return undefined;
  }
  /** Everyone above `id` in the reporting line, nearest first (a loop stops the walk). */
  chain(id: number): Person[] {
    const out: Person[] = [];
    const seen = new Set<number>([id]);
    let cursor = this.byId.get(id)?.supervisorId ?? null;
    while (cursor != null && !seen.has(cursor)) {
      seen.add(cursor);
      const p = this.byId.get(cursor);
      if (!p) break;
      out.push(p);
      cursor = p.supervisorId;
    }
    return out;
  }
  withRole(role: Role): Person[] {
    return [...this.byId.values()].filter((p) => p.role === role && p.active);
  }
}

/** A request's step as the engine needs it. */
export interface OpenStep {
  requesterId: number;
  step: StepDef;
  escalatedLevels: number;
}

/**
 * Who is expected to decide the step (their queue, reminders): for `manager+N`, the one N levels above the
 * requester's manager (moved one level up per escalation; the top of the line when the line is shorter); for a
 * role or a named user, those people (and, per escalation, their managers). Admins when nobody else is left.
 */
export function expectedDeciders(people: People, open: OpenStep): number[] {
  const { approver } = open.step;
  const exclude = (ids: number[]) => [...new Set(ids)].filter((id) => id !== open.requesterId);
  let ids: number[] = [];
  if (approver.kind === 'manager') {
    const line = people.chain(open.requesterId).filter((p) => p.active);
    const at = line[Math.min(approver.levels + open.escalatedLevels, line.length - 1)];
    ids = at ? [at.id] : [];
  } else {
    const base =
      approver.kind === 'role'
        ? people.withRole(approver.role)
        : [people.byName(approver.name)].filter((p): p is Person => Boolean(p?.active));
    ids = base.map((p) => p.id);
    for (const p of base) {
      ids.push(
        ...people
          .chain(p.id)
          .slice(0, open.escalatedLevels)
          .filter((x) => x.active)
          .map((x) => x.id),
      );
    }
  }
  ids = exclude(ids);
  return ids.length ? ids : exclude(people.withRole('admin').map((p) => p.id));
}

/** May this person decide the step in their own right (delegation aside)? */
export function mayDecideOwn(people: People, open: OpenStep, userId: number): boolean {
  if (userId === open.requesterId) return false;
  const me = people.byId.get(userId);
  if (!me?.active) return false;
  if (me.role === 'admin') return true; // admins may decide any step
  if (expectedDeciders(people, open).includes(userId)) return true;
  const { approver } = open.step;
  if (approver.kind === 'manager') {
    // Anyone at or above the step's level in the requester's reporting line.
    return people
      .chain(open.requesterId)
      .slice(approver.levels)
      .some((p) => p.id === userId);
  }
  if (approver.kind === 'role') return me.role === approver.role;
  return me.name === approver.name;
}

/** The users who delegated their steps to `userId` on `date`. */
export async function delegatorsOf(db: Knex, userId: number, date: string): Promise<number[]> {
  const rows: Row[] = await db('approval_delegations')
    .where({ to_user_id: userId })
    .where('from_date', '<=', date)
    .where('to_date', '>=', date)
    .select('from_user_id');
  return rows.map((r) => Number(r.from_user_id));
}

/**
 * Whether `actor` may decide: `{ onBehalfOf: null }` in their own right, `{ onBehalfOf: id }` as the delegate of an
 * expected approver who is away today, or null.
 */
export async function deciderFor(
  ctx: ServiceContext,
  people: People,
  open: OpenStep,
  actor: Actor,
): Promise<{ onBehalfOf: number | null } | null> {
  if (actor.id === open.requesterId) return null;
  if (mayDecideOwn(people, open, actor.id)) return { onBehalfOf: null };
  const from = await delegatorsOf(ctx.db, actor.id, await today(ctx));
  const expected = expectedDeciders(people, open);
  // Only the steps that wait for the absent approver pass to their delegate (not an admin's power to decide any).
  const forWhom = from.find((id) => expected.includes(id));
  return forWhom === undefined ? null : { onBehalfOf: forWhom };
}

// ------------------------------------------------------------------------------------------------
// Requests

export function stepsOf(row: Row): StepDef[] {
  return JSON.parse(String(row.steps_json)) as StepDef[];
}

export function openStepOf(row: Row): OpenStep | null {
  if (row.status !== 'pending' || row.current_step == null) return null;
  const step = stepsOf(row)[Number(row.current_step) - 1];
  if (!step) return null;
  return { requesterId: Number(row.requester_id), step, escalatedLevels: Number(row.escalated_levels ?? 0) };
}

export function notFound(id: number | string) {
  return approvalError(
    ApprovalErrors.notFound,
    m(`审批申请不存在：${id}`, `no such request: ${id}`),
    ExitCode.noData,
    m('用 "crm approvals list" 查看申请编号', 'see "crm approvals list" for request ids'),
  );
}

/**
 * Lock the request for this transaction: the first statement writes its row, so a second decider (another process
 * included) waits here until the first commits, and then reads the decided request (SQLite takes the write lock on
 * the first write, MariaDB the row lock). Returns the row as it is now.
 */
export async function lockRequest(tx: ServiceContext, id: number): Promise<Row> {
  const touched = await tx
    .db('approval_requests')
    .where({ id })
    .update({ version: tx.db.raw('version + 1') });
  if (!touched) throw notFound(id);
  return (await tx.db('approval_requests').where({ id }).first()) as Row;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; message?: string };
  return (
    e?.code === 'ER_DUP_ENTRY' ||
    e?.errno === 1062 ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

export function alreadyDecided(id: number, status: string) {
  const words = APPROVAL_STATUS[status] ?? m(status, status);
  return approvalError(
    ApprovalErrors.alreadyDecided,
    m(`申请 ${id} 当前步骤已处理（状态：${words.zh}），不能再次审批`, `request ${id} is already decided (${words.en})`),
    ExitCode.conflict,
    m('用 "crm approvals show" 查看谁在何时处理了它', 'see "crm approvals show" for who decided it and when'),
  );
}

export interface Decision {
  decision: 'approved' | 'rejected';
  comment?: string | null;
}

export interface DecideResult {
  /** The request's status after the decision: pending (the next step opened), approved or rejected. */
  status: 'pending' | 'approved' | 'rejected';
  step: number;
  onBehalfOf: number | null;
}

/**
 * Decide the current step of a locked request (`lockRequest` first, in the same transaction). Refuses the
 * requester (E4210), anyone who may not decide the step (E4211), and a step already decided (E4212, exit 5);
 * the unique key (request, round, step) refuses a second decision that got this far. Audited.
 */
export async function decideStep(tx: ServiceContext, row: Row, d: Decision): Promise<DecideResult> {
  const id = Number(row.id);
  const open = openStepOf(row);
  if (!open) throw alreadyDecided(id, String(row.status));
  if (tx.actor.id === open.requesterId) {
    throw approvalError(
      ApprovalErrors.ownRequest,
      m(`不能审批自己的申请 ${id}`, `nobody approves their own request (${id})`),
      ExitCode.permission,
      m('由审批人处理', 'the approver of the step decides it'),
    );
  }
  const people = await People.load(tx.db);
  const who = await deciderFor(tx, people, open, tx.actor);
  if (!who) {
    const expected = expectedDeciders(people, open)
      .map((x) => people.name(x))
      .join(', ');
    const step = approverWords(open.step.approver);
    throw approvalError(
      ApprovalErrors.notDecider,
      m(
        `${tx.actor.name} 不能处理申请 ${id} 的第 ${row.current_step} 步（审批人：${step.zh}）`,
        `${tx.actor.name} may not decide step ${row.current_step} of request ${id} (decided by: ${step.en})`,
      ),
      ExitCode.permission,
      m(`该步骤的审批人：${expected || '无'}`, `this step waits for: ${expected || 'nobody'}`),
    );
  }
  const stepNo = Number(row.current_step);
  const round = Number(row.round);
  const now = nowIso(tx.clock);
  try {
    await tx.db('approval_decisions').insert({
      request_id: id,
      round,
      step: stepNo,
      decision: d.decision,
      user_id: tx.actor.id,
      on_behalf_of: who.onBehalfOf,
      comment: d.comment?.trim().slice(0, 500) || null,
      opened_at: (row.step_opened_at as string | null) ?? String(row.submitted_at),
      at: now,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw alreadyDecided(id, 'pending');
    throw err;
  }
  const last = stepNo >= stepsOf(row).length;
  const status: DecideResult['status'] = d.decision === 'rejected' ? 'rejected' : last ? 'approved' : 'pending';
  const patch: Row =
    status === 'pending'
      ? { current_step: stepNo + 1, step_opened_at: now, reminded_step: null, escalated_levels: 0 }
      : {
          status,
          current_step: null,
          decided_at: now,
          reject_reason: status === 'rejected' ? (d.comment?.trim().slice(0, 300) ?? null) : null,
        };
  await tx
    .db('approval_requests')
    .where({ id })
    .update({ ...patch, updated_at: now });
  await audit(tx, {
    action: d.decision === 'approved' ? 'approvals.approve' : 'approvals.reject',
    entity: 'approval',
    entityId: id,
    before: { status: row.status, round, step: stepNo },
    after: {
      status,
      round,
      step: status === 'pending' ? stepNo + 1 : null,
      decision: d.decision,
      by: tx.actor.name,
      onBehalfOf: people.name(who.onBehalfOf),
      comment: d.comment ?? null,
    },
  });
  return { status, step: stepNo, onBehalfOf: who.onBehalfOf };
}

export interface OpenInput {
  type: RequestType;
  title: string;
  requesterId: number;
  amountFen: number | null;
  fromDate?: string | null;
  toDate?: string | null;
  customerId?: number | null;
  orderId?: number | null;
  items?: unknown;
  attendees?: string | null;
  note?: string | null;
}

/**
 * Insert a request at its first step (or approved at once when no step applies). Audited. Returns its id and
 * status.
 */
export async function insertRequest(
  tx: ServiceContext,
  input: OpenInput,
): Promise<{ id: number; status: 'pending' | 'approved' }> {
  const steps = await stepsFor(tx.db, input.type, input.amountFen);
  const now = nowIso(tx.clock);
  const status = steps.length ? 'pending' : 'approved';
  const [id] = await tx.db('approval_requests').insert({
    type: input.type,
    title: input.title,
    status,
    requester_id: input.requesterId,
    submitted_by: tx.actor.id,
    amount_fen: input.amountFen,
    from_date: input.fromDate ?? null,
    to_date: input.toDate ?? null,
    customer_id: input.customerId ?? null,
    order_id: input.orderId ?? null,
    items_json: input.items === undefined || input.items === null ? null : JSON.stringify(input.items),
    attendees: input.attendees ?? null,
    note: input.note ?? null,
    steps_json: JSON.stringify(steps),
    round: 1,
    current_step: steps.length ? 1 : null,
    step_opened_at: steps.length ? now : null,
    escalated_levels: 0,
    submitted_at: now,
    decided_at: steps.length ? null : now,
    version: 0,
    created_at: now,
    updated_at: now,
  });
  const requestId = Number(id);
  await audit(tx, {
    action: 'approvals.submit',
    entity: 'approval',
    entityId: requestId,
    after: { type: input.type, title: input.title, amountFen: input.amountFen, status, steps: steps.length },
  });
  return { id: requestId, status };
}

/** Start a new round of a rejected or withdrawn request (or an order's request), with the flow as it is now. */
export async function restartRequest(
  tx: ServiceContext,
  row: Row,
  amountFen: number | null,
): Promise<'pending' | 'approved'> {
  const steps = await stepsFor(tx.db, row.type as RequestType, amountFen);
  const now = nowIso(tx.clock);
  const status = steps.length ? 'pending' : 'approved';
  await tx
    .db('approval_requests')
    .where({ id: row.id })
    .update({
      status,
      amount_fen: amountFen,
      steps_json: JSON.stringify(steps),
      round: Number(row.round) + 1,
      current_step: steps.length ? 1 : null,
      step_opened_at: steps.length ? now : null,
      reminded_step: null,
      escalated_levels: 0,
      reject_reason: null,
      submitted_at: now,
      decided_at: steps.length ? null : now,
      updated_at: now,
    });
  await audit(tx, {
    action: 'approvals.resubmit',
    entity: 'approval',
    entityId: Number(row.id),
    before: { status: row.status, round: Number(row.round) },
    after: { status, round: Number(row.round) + 1, steps: steps.length },
  });
  return status;
}

/** Withdraw a pending request (its requester, or an order cancelled while waiting). Audited. */
export async function markWithdrawn(tx: ServiceContext, row: Row): Promise<void> {
  const now = nowIso(tx.clock);
  await tx
    .db('approval_requests')
    .where({ id: row.id })
    .update({ status: 'withdrawn', current_step: null, decided_at: now, updated_at: now });
  await audit(tx, {
    action: 'approvals.withdraw',
    entity: 'approval',
    entityId: Number(row.id),
    before: { status: row.status, round: Number(row.round), step: row.current_step },
    after: { status: 'withdrawn' },
  });
}
