/**
 * Approval requests (审批): submit, the queues (mine / to me / copied to me / all), show, approve, reject,
 * withdraw, resubmit, and the actual spending of an approved reception or gift. Orders are requests too: their
 * decisions go through the orders service, so `crm approvals approve` and `crm orders approve` do the same thing.
 */
import {
  ApprovalErrors,
  approvalError,
  approverText,
  checkType,
  REQUEST_STATUSES,
  type RequestStatus,
  type RequestType,
  type StepDef,
  stepWords,
} from '../../domain/approvals/flows.js';
import { APPROVAL_STATUS, APPROVAL_TYPE } from '../../domain/approvals/vocabulary.js';
import { compareDates, formatLocal, parseDateArg } from '../../domain/clock.js';
import { ExitCode } from '../../domain/errors.js';
import { type L10n, m } from '../../domain/i18n.js';
import { parseFen, parseYuan, sumFen } from '../../domain/money.js';
import { readsAll } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { customerByCode, requireCustomerInScope } from '../orders/common.js';
import { today } from '../today.js';
import { scopeUserIds } from '../users.js';
import {
  deciderFor,
  decideStep,
  delegatorsOf,
  expectedDeciders,
  insertRequest,
  lockRequest,
  markWithdrawn,
  notFound,
  openStepOf,
  People,
  type Row,
  restartRequest,
  stepsOf,
} from './engine.js';

// ------------------------------------------------------------------------------------------------
// The model

export interface RequestItem {
  name: string;
  quantity: number;
  budgetFen: number;
}

export interface RequestStep {
  step: number;
  approver: string;
  aboveFen: number | null;
  /** Who decides, in words. */
  words: L10n;
  status: 'approved' | 'rejected' | 'pending' | 'waiting' | 'skipped';
}

export interface RequestDecision {
  round: number;
  step: number;
  by: string;
  onBehalfOf: string | null;
  decision: 'approved' | 'rejected';
  comment: string | null;
  at: string;
}

export interface RequestView {
  id: number;
  type: RequestType;
  title: string;
  status: RequestStatus;
  requester: string;
  amountFen: number | null;
  from: string | null;
  to: string | null;
  customer: string | null;
  order: string | null;
  items: RequestItem[];
  attendees: string | null;
  note: string | null;
  cc: string[];
  round: number;
  /** The current step (1-based), null once ended. */
  step: number | null;
  steps: RequestStep[];
  /** Who the current step waits for. */
  waitingFor: string[];
  decisions: RequestDecision[];
  submittedAt: string;
  waitingSince: string | null;
  decidedAt: string | null;
  rejectReason: string | null;
  actualFen: number | null;
  actualNote: string | null;
  settledAt: string | null;
}

async function views(ctx: ServiceContext, rows: Row[], people?: People): Promise<RequestView[]> {
  if (!rows.length) return [];
  const p = people ?? (await People.load(ctx.db));
  const ids = rows.map((r) => Number(r.id));
  const decisions: Row[] = await ctx.db('approval_decisions').whereIn('request_id', ids).orderBy('id');
  const ccs: Row[] = await ctx.db('approval_cc').whereIn('request_id', ids);
  const customerIds = rows.map((r) => r.customer_id).filter((x) => x != null);
  const customers: Row[] = customerIds.length
    ? await ctx.db('customers').whereIn('id', customerIds).select('id', 'code')
    : [];
  const orderIds = rows.map((r) => r.order_id).filter((x) => x != null);
  const orders: Row[] = orderIds.length ? await ctx.db('orders').whereIn('id', orderIds).select('id', 'number') : [];
  const code = new Map(customers.map((c) => [Number(c.id), String(c.code)]));
  const number = new Map(orders.map((o) => [Number(o.id), String(o.number)]));
  return rows.map((r) => {
    const id = Number(r.id);
    const round = Number(r.round);
    const mine = decisions.filter((d) => Number(d.request_id) === id);
    const thisRound = mine.filter((d) => Number(d.round) === round);
    const open = openStepOf(r);
    const steps = stepsOf(r).map((s: StepDef, i): RequestStep => {
      const decided = thisRound.find((d) => Number(d.step) === i + 1);
      const status: RequestStep['status'] = decided
        ? (decided.decision as 'approved' | 'rejected')
        : r.status === 'pending'
          ? Number(r.current_step) === i + 1
            ? 'pending'
            : 'waiting'
          : 'skipped';
      return {
        step: i + 1,
        approver: approverText(s.approver),
        aboveFen: s.aboveFen ?? null,
        words: stepWords(s),
        status,
      };
    });
    return {
      id,
      type: r.type as RequestType,
      title: String(r.title),
      status: r.status as RequestStatus,
      requester: p.name(Number(r.requester_id)) ?? '',
      amountFen: r.amount_fen == null ? null : parseFen(r.amount_fen),
      from: (r.from_date as string | null) ?? null,
      to: (r.to_date as string | null) ?? null,
      customer: r.customer_id == null ? null : (code.get(Number(r.customer_id)) ?? null),
      order: r.order_id == null ? null : (number.get(Number(r.order_id)) ?? null),
      items: r.items_json ? (JSON.parse(String(r.items_json)) as RequestItem[]) : [],
      attendees: (r.attendees as string | null) ?? null,
      note: (r.note as string | null) ?? null,
      cc: ccs
        .filter((c) => Number(c.request_id) === id)
        .map((c) => p.name(Number(c.user_id)) ?? '')
        .sort(),
      round,
      step: open ? Number(r.current_step) : null,
      steps,
      waitingFor: open ? expectedDeciders(p, open).map((x) => p.name(x) ?? '') : [],
      decisions: mine.map((d) => ({
        round: Number(d.round),
        step: Number(d.step),
        by: p.name(Number(d.user_id)) ?? '',
        onBehalfOf: p.name(d.on_behalf_of == null ? null : Number(d.on_behalf_of)),
        decision: d.decision as 'approved' | 'rejected',
        comment: (d.comment as string | null) ?? null,
        at: String(d.at),
      })),
      submittedAt: String(r.submitted_at),
      waitingSince: open ? ((r.step_opened_at as string | null) ?? null) : null,
      decidedAt: (r.decided_at as string | null) ?? null,
      rejectReason: (r.reject_reason as string | null) ?? null,
      actualFen: r.actual_fen == null ? null : parseFen(r.actual_fen),
      actualNote: (r.actual_note as string | null) ?? null,
      settledAt: (r.settled_at as string | null) ?? null,
    };
  });
}

/** A request's status in words. */
const st = (row: Row) => APPROVAL_STATUS[String(row.status)] ?? m(String(row.status), String(row.status));

// ------------------------------------------------------------------------------------------------
// Submitting

export interface SubmitInput {
  type: string;
  title?: string;
  amount?: string;
  from?: string;
  to?: string;
  customer?: string;
  items?: string[];
  attendees?: string;
  note?: string;
  cc?: string[];
}

function missing(type: string, what: L10n) {
  const words = APPROVAL_TYPE[type] ?? m(type, type);
  return approvalError(
    ApprovalErrors.missingField,
    m(`${words.zh}申请需要 ${what.zh}`, `a ${words.en} request needs ${what.en}`),
    ExitCode.usage,
    m(
      '用 "crm approvals submit --help" 查看每种类型需要的信息',
      'see "crm approvals submit --help" for what each type needs',
    ),
  );
}

const flag = (f: string) => m(f, f);

function amountOf(text: string, flag: string): number {
  try {
    const fen = parseYuan(text, { field: flag });
    if (fen > 0) return fen;
  } catch {
    // reported below, in the approvals range
  }
  throw approvalError(
    ApprovalErrors.badAmount,
    m(
      `${flag} 金额无效："${text}"（应为大于 0 的元金额，最多两位小数）`,
      `${flag}: invalid amount "${text}" (yuan above 0, at most two decimals)`,
    ),
    ExitCode.usage,
    m('例如 --amount 1280.50', 'e.g. --amount 1280.50'),
  );
}

/** `NAME:BUDGET` or `NAME:QUANTITY:BUDGET` (budget in yuan, for the whole line). */
export function parseRequestItem(spec: string, index: number): RequestItem {
  const where = `--item ${index + 1} "${spec}"`;
  const parts = spec.split(':').map((s) => s.trim());
  const bad = () =>
    approvalError(
      ApprovalErrors.badItem,
      m(`${where}：格式应为 名称:预算 或 名称:数量:预算`, `${where}: expected NAME:BUDGET or NAME:QUANTITY:BUDGET`),
      ExitCode.usage,
      m('例如 --item 午餐:800 或 --item 茶叶礼盒:2:600', 'e.g. --item lunch:800 or --item "tea set:2:600"'),
    );
  if (parts.length < 2 || parts.length > 3 || !parts[0] || parts[0].length > 100) throw bad();
  const quantity = parts.length === 3 ? Number(parts[1]) : 1;
  if (!Number.isInteger(quantity) || quantity <= 0 || (parts.length === 3 && !/^\d{1,6}$/.test(parts[1]!))) throw bad();
  return { name: parts[0], quantity, budgetFen: amountOf(parts[parts.length - 1]!, where) };
}

function checkRange(from: string | undefined, to: string | undefined): { from: string | null; to: string | null } {
  const f = from ? parseDateArg(from, '--from') : null;
  const t = to ? parseDateArg(to, '--to') : null;
  if (f && t && compareDates(f, t) > 0) {
    throw approvalError(
      ApprovalErrors.badRange,
      m(`日期范围颠倒：--from ${f} 晚于 --to ${t}`, `the dates are backwards: --from ${f} is after --to ${t}`),
      ExitCode.usage,
      m('交换两个日期', 'swap the two dates'),
    );
  }
  return { from: f, to: t };
}

/** What each type needs, beyond a title. */
const NEEDS: Record<
  RequestType,
  { amount?: boolean; range?: boolean; from?: boolean; customer?: boolean; items?: boolean }
> = {
  order: {},
  expense: { amount: true },
  loan: { amount: true },
  travel: { range: true },
  leave: { range: true },
  overtime: { range: true },
  general: {},
  reception: { customer: true, items: true },
  gift: { customer: true, items: true },
  visit: { customer: true, from: true },
};

async function userIdsByName(ctx: ServiceContext, names: string[]): Promise<number[]> {
  const people = await People.load(ctx.db);
  return names.map((n) => {
    const p = people.byName(n.trim());
    if (!p?.active) {
      throw approvalError(
        ApprovalErrors.unknownUser,
        m(`用户不存在或已停用：${n}`, `no such active user: ${n}`),
        ExitCode.usage,
        m('用 "crm users list" 查看用户', 'see "crm users list"'),
      );
    }
    return p.id;
  });
}

export async function submitRequest(ctx: ServiceContext, input: SubmitInput): Promise<RequestView> {
  const type = checkType(input.type);
  if (type === 'order') {
    throw approvalError(
      ApprovalErrors.typeNotSubmittable,
      m('订单通过 "crm orders submit" 提交审批', 'orders are submitted with "crm orders submit"'),
      ExitCode.usage,
      m('例如 crm orders submit SO20261123-0001', 'e.g. crm orders submit SO20261123-0001'),
    );
  }
  const title = input.title?.trim() ?? '';
  if (!title || title.length > 200) throw missing(type, m('--title（1–200 字）', '--title (1–200 characters)'));
  const needs = NEEDS[type];
  const items = (input.items ?? []).map(parseRequestItem);
  if (needs.items && !items.length) throw missing(type, flag('--item'));
  if (!needs.items && items.length) throw missing(type, m('不带 --item', 'no --item'));
  let amountFen: number | null = input.amount ? amountOf(input.amount, '--amount') : null;
  if (needs.items) {
    if (amountFen !== null) {
      throw approvalError(
        ApprovalErrors.badAmount,
        m(
          `${type} 申请的金额是各项预算之和，不能另给 --amount`,
          `a ${type} request's amount is the sum of its items' budgets; leave out --amount`,
        ),
      );
    }
    amountFen = sumFen(items.map((i) => i.budgetFen));
  }
  if (needs.amount && amountFen === null) throw missing(type, flag('--amount'));
  const range = checkRange(input.from, input.to);
  if (needs.range && (!range.from || !range.to)) throw missing(type, m('--from 和 --to', '--from and --to'));
  if (needs.from && !range.from) throw missing(type, flag('--from'));
  if (needs.customer && !input.customer) throw missing(type, flag('--customer'));
  const ccIds = await userIdsByName(ctx, input.cc ?? []);
  const id = await inTransaction(ctx, async (tx) => {
    let customerId: number | null = null;
    if (input.customer) {
      const c = await customerByCode(tx.db, input.customer);
      await requireCustomerInScope(tx, c);
      customerId = c.id;
    }
    const r = await insertRequest(tx, {
      type,
      title,
      requesterId: tx.actor.id,
      amountFen,
      fromDate: range.from,
      toDate: range.to,
      customerId,
      items: items.length ? items : null,
      attendees: input.attendees?.trim().slice(0, 300) || null,
      note: input.note?.trim().slice(0, 500) || null,
    });
    for (const userId of new Set(ccIds)) {
      if (userId !== tx.actor.id) await tx.db('approval_cc').insert({ request_id: r.id, user_id: userId });
    }
    return r.id;
  });
  return showRequest(ctx, id);
}

// ------------------------------------------------------------------------------------------------
// Reading

async function rowOf(ctx: ServiceContext, id: number): Promise<Row> {
  const row = await ctx.db('approval_requests').where({ id }).first();
  if (!row) throw notFound(id);
  return row as Row;
}

/** May the actor see this request? Requester, submitter, copied, deciders, the team's managers, roles that read all. */
async function visible(ctx: ServiceContext, row: Row, people: People): Promise<boolean> {
  const me = ctx.actor.id;
  if (readsAll(ctx.actor) || Number(row.requester_id) === me || Number(row.submitted_by) === me) return true;
  const scope = await scopeUserIds(ctx);
  if (scope?.includes(Number(row.requester_id))) return true;
  if (await ctx.db('approval_cc').where({ request_id: row.id, user_id: me }).first()) return true;
  if (
    await ctx
      .db('approval_decisions')
      .where({ request_id: row.id })
      .where((q) => q.where({ user_id: me }).orWhere({ on_behalf_of: me }))
      .first()
  )
    return true;
  const open = openStepOf(row);
  return Boolean(open && (await deciderFor(ctx, people, open, ctx.actor)));
}

export async function showRequest(ctx: ServiceContext, id: number): Promise<RequestView> {
  const row = await rowOf(ctx, id);
  const people = await People.load(ctx.db);
  if (!(await visible(ctx, row, people))) {
    throw approvalError(
      ApprovalErrors.notVisible,
      m(`申请 ${id} 不在你的范围内`, `request ${id} is outside what you may see`),
      ExitCode.permission,
      m(
        '申请人、审批人、知会人及其上级可以查看',
        'its requester, its approvers, the people copied and their managers may see it',
      ),
    );
  }
  return (await views(ctx, [row], people))[0]!;
}

export type Box = 'mine' | 'to-me' | 'cc' | 'all';

export interface ListFilter {
  box?: Box;
  status?: string;
  type?: string;
}

/** The pending requests whose current step `userId` is expected to decide, or may decide for an absent approver. */
async function waitingFor(ctx: ServiceContext, userId: number, people: People): Promise<Row[]> {
  const rows: Row[] = await ctx.db('approval_requests').where({ status: 'pending' }).orderBy('id');
  const delegators = await delegatorsOf(ctx.db, userId, await today(ctx));
  return rows.filter((r) => {
    const open = openStepOf(r);
    if (!open || open.requesterId === userId) return false;
    const expected = expectedDeciders(people, open);
    return expected.includes(userId) || delegators.some((d) => expected.includes(d));
  });
}

export async function listRequests(ctx: ServiceContext, f: ListFilter = {}): Promise<RequestView[]> {
  if (f.status && !(REQUEST_STATUSES as readonly string[]).includes(f.status)) {
    throw approvalError(
      ApprovalErrors.badStatusFilter,
      m(`未知的申请状态：${f.status}`, `unknown request status: ${f.status}`),
      ExitCode.usage,
      m(`可选：${REQUEST_STATUSES.join(', ')}`, `one of ${REQUEST_STATUSES.join(', ')}`),
    );
  }
  const type = f.type ? checkType(f.type) : undefined;
  const people = await People.load(ctx.db);
  const me = ctx.actor.id;
  let rows: Row[];
  const box = f.box ?? 'mine';
  if (box === 'to-me') rows = await waitingFor(ctx, me, people);
  else {
    const q = ctx.db('approval_requests').orderBy('id');
    if (box === 'mine') q.where((w) => w.where({ requester_id: me }).orWhere({ submitted_by: me }));
    else if (box === 'cc') q.whereIn('id', ctx.db('approval_cc').where({ user_id: me }).select('request_id'));
    else {
      const scope = await scopeUserIds(ctx);
      if (scope) q.whereIn('requester_id', scope);
    }
    rows = await q;
  }
  rows = rows.filter((r) => (!f.status || r.status === f.status) && (!type || r.type === type));
  return views(ctx, rows, people);
}

export interface PendingApproval {
  id: number;
  type: RequestType;
  title: string;
  requester: string;
  submittedAt: string;
  waitingSince: string;
  /** The command that decides it. */
  command: string;
}

/**
 * The requests (orders included) whose current step `userName` may decide today: those waiting for them, and
 * those of an approver who delegated to them. For the to-do list.
 */
export async function pendingApprovalsFor(svc: ServiceContext, userName: string): Promise<PendingApproval[]> {
  const people = await People.load(svc.db);
  const user = people.byName(userName);
  if (!user) return [];
  const list = await views(svc, await waitingFor(svc, user.id, people), people);
  return list.map((v) => ({
    id: v.id,
    type: v.type,
    title: v.title,
    requester: v.requester,
    submittedAt: v.submittedAt,
    waitingSince: v.waitingSince ?? v.submittedAt,
    command: v.order ? `crm orders approve ${v.order}` : `crm approvals approve ${v.id}`,
  }));
}

// ------------------------------------------------------------------------------------------------
// Deciding

async function orders() {
  return import('../orders/orders.js');
}

async function orderNumber(ctx: ServiceContext, row: Row): Promise<string> {
  const order = await ctx.db('orders').where({ id: row.order_id }).first('number');
  return String(order?.number ?? row.title);
}

export async function approveRequest(ctx: ServiceContext, id: number, comment?: string): Promise<RequestView> {
  const row = await rowOf(ctx, id);
  if (row.order_id != null) {
    await (await orders()).approveOrder(ctx, await orderNumber(ctx, row), comment);
    return viewAfter(ctx, id);
  }
  await inTransaction(ctx, async (tx) => decideStep(tx, await lockRequest(tx, id), { decision: 'approved', comment }));
  return viewAfter(ctx, id);
}

export async function rejectRequest(ctx: ServiceContext, id: number, reason: string | undefined): Promise<RequestView> {
  if (!reason?.trim()) {
    throw approvalError(
      ApprovalErrors.reasonRequired,
      m('驳回必须写明原因（--reason）', 'a rejection needs a reason (--reason)'),
      ExitCode.usage,
      m('例如 --reason "超出预算"', 'e.g. --reason "over budget"'),
    );
  }
  const row = await rowOf(ctx, id);
  if (row.order_id != null) {
    await (await orders()).rejectOrder(ctx, await orderNumber(ctx, row), reason);
    return viewAfter(ctx, id);
  }
  await inTransaction(ctx, async (tx) =>
    decideStep(tx, await lockRequest(tx, id), { decision: 'rejected', comment: reason.trim() }),
  );
  return viewAfter(ctx, id);
}

/** The request after the actor decided it (they may see it: they decided it). */
async function viewAfter(ctx: ServiceContext, id: number): Promise<RequestView> {
  return (await views(ctx, [await rowOf(ctx, id)]))[0]!;
}

function requireRequester(ctx: ServiceContext, row: Row, action: { zh: string; en: string }): void {
  if (Number(row.requester_id) === ctx.actor.id || Number(row.submitted_by) === ctx.actor.id) return;
  throw approvalError(
    ApprovalErrors.notRequester,
    m(`只有申请人可以${action.zh}申请 ${row.id}`, `only the requester may ${action.en} request ${row.id}`),
    ExitCode.permission,
  );
}

function orderOnly(row: Row, verb: string) {
  return approvalError(
    ApprovalErrors.typeNotSubmittable,
    m(`订单的审批申请 ${row.id} 随订单处理`, `request ${row.id} belongs to order ${row.title}`),
    ExitCode.usage,
    m(`用 "crm orders ${verb} ${row.title}"`, `use "crm orders ${verb} ${row.title}"`),
  );
}

/** The requester withdraws a request still waiting; a decided one cannot be withdrawn (E4215, exit 5). */
export async function withdrawRequest(ctx: ServiceContext, id: number): Promise<RequestView> {
  await inTransaction(ctx, async (tx) => {
    const row = await lockRequest(tx, id);
    if (row.order_id != null) throw orderOnly(row, 'cancel');
    requireRequester(tx, row, m('撤回', 'withdraw'));
    if (row.status !== 'pending') {
      throw approvalError(
        ApprovalErrors.cannotWithdraw,
        m(
          `申请 ${id} 已结束（${st(row).zh}），不能撤回`,
          `request ${id} is ${st(row).en}; only a pending request can be withdrawn`,
        ),
        ExitCode.conflict,
        m('已通过的申请如需取消，请另提交一个申请说明', 'to undo an approved request, submit a new one saying so'),
      );
    }
    await markWithdrawn(tx, row);
  });
  return showRequest(ctx, id);
}

/** Submit a rejected or withdrawn request again: a new round, through the type's flow as it is now. */
export async function resubmitRequest(ctx: ServiceContext, id: number): Promise<RequestView> {
  await inTransaction(ctx, async (tx) => {
    const row = await lockRequest(tx, id);
    if (row.order_id != null) throw orderOnly(row, 'submit');
    requireRequester(tx, row, m('重新提交', 'resubmit'));
    if (row.status !== 'rejected' && row.status !== 'withdrawn') {
      throw approvalError(
        ApprovalErrors.cannotResubmit,
        m(
          `申请 ${id} 状态为${st(row).zh}，只有已驳回或已撤回的申请可以重新提交`,
          `request ${id} is ${st(row).en}; only a rejected or withdrawn request can be resubmitted`,
        ),
        ExitCode.conflict,
      );
    }
    await restartRequest(tx, row, row.amount_fen == null ? null : parseFen(row.amount_fen));
  });
  return showRequest(ctx, id);
}

/** Record what an approved reception or gift actually cost (once; audited). */
export async function settleRequest(
  ctx: ServiceContext,
  id: number,
  actual: string,
  note?: string,
): Promise<RequestView> {
  const actualFen = (() => {
    try {
      return parseYuan(actual, { field: '--actual' });
    } catch {
      throw approvalError(
        ApprovalErrors.badAmount,
        m(`--actual 金额无效："${actual}"`, `--actual: invalid amount "${actual}"`),
        ExitCode.usage,
        m('以元为单位，最多两位小数，例如 --actual 1860.00', 'yuan with at most two decimals, e.g. --actual 1860.00'),
      );
    }
  })();
  await inTransaction(ctx, async (tx) => {
    const row = await lockRequest(tx, id);
    requireRequester(tx, row, m('报告实际花费', 'report the actual spending of'));
    const refuse = (zh: string, en: string) => approvalError(ApprovalErrors.cannotSettle, m(zh, en), ExitCode.conflict);
    if (row.type !== 'reception' && row.type !== 'gift')
      throw refuse(
        `只有招待和礼品申请报告实际花费（申请 ${id} 是${(APPROVAL_TYPE[String(row.type)] ?? m('', '')).zh}申请）`,
        `only reception and gift requests report actual spending (request ${id} is ${(APPROVAL_TYPE[String(row.type)] ?? m('', '')).en})`,
      );
    if (row.status !== 'approved')
      throw refuse(
        `申请 ${id} 尚未通过（${st(row).zh}），不能报告实际花费`,
        `request ${id} is ${st(row).en}; report spending once it is approved`,
      );
    if (row.settled_at) {
      const at = formatLocal(new Date(String(row.settled_at)), await tx.settings.get<string>('timezone'));
      throw refuse(`申请 ${id} 已于 ${at} 报告过实际花费`, `request ${id} already reported its spending (${at})`);
    }
    const now = nowIso(tx.clock);
    await tx
      .db('approval_requests')
      .where({ id })
      .update({
        actual_fen: actualFen,
        actual_note: note?.trim().slice(0, 300) || null,
        settled_at: now,
        updated_at: now,
      });
    await audit(tx, {
      action: 'approvals.settle',
      entity: 'approval',
      entityId: id,
      after: { actualFen, note: note ?? null },
    });
  });
  return showRequest(ctx, id);
}
