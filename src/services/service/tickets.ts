/**
 * Tickets (服务工单): a complaint, fault, service request or enquiry is on record with a number at once, gets a
 * handler (the customer's account manager unless assigned), and moves open → responded → resolved → closed,
 * or back to reopened. Every step is one history row and one audit entry, in the same transaction.
 */
import { businessDate } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import {
  checkTransition,
  formatNumber,
  type Kind,
  numberPrefix,
  type Priority,
  parseChannel,
  parseKind,
  parsePriority,
  parseScore,
  parseStatus,
  type Status,
  type Step,
} from '../../domain/service/tickets.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { loadCustomer } from '../customers/common.js';
import { parseWhen } from '../customers/followups.js';
import { isUniqueViolation } from '../orders/common.js';
import { today } from '../today.js';
import { scopeUserIds } from '../users.js';
import {
  addEvent,
  dueTimes,
  loadTicket,
  readCap,
  scoped,
  slaContext,
  str,
  type TicketRow,
  ticketQuery,
  writeCap,
} from './common.js';

export interface TicketInput {
  customer: string;
  kind: string;
  priority: string;
  title: string;
  content: string;
  channel?: string;
  /** Contact id (of that customer). */
  contact?: number;
  /** Order number (of that customer). */
  order?: string;
  /** When it was received ('YYYY-MM-DD HH:mm' business-local, or ISO); not in the future; default now. */
  at?: string;
}

export interface Escalation {
  at: string;
  to: string | null;
  kind: 'response' | 'resolve';
  dueAt: string;
}

export interface HistoryEntry {
  at: string;
  user: string;
  step: Step;
  content: string | null;
  detail: Record<string, unknown> | null;
}

export interface TicketRecord {
  number: string;
  customer: string;
  customerName: string;
  contact: string | null;
  order: string | null;
  kind: Kind;
  priority: Priority;
  channel: string | null;
  title: string;
  content: string;
  status: Status;
  handler: string | null;
  receivedAt: string;
  responseDue: string;
  resolveDue: string;
  respondedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  /** Responded by the due time (null: not responded and not yet due). */
  responseMet: boolean | null;
  /** Resolved by the due time (null: not resolved and not yet due). */
  resolveMet: boolean | null;
  /** A due time passed without its step done (responseMet or resolveMet false). */
  breached: boolean;
  resolution: string | null;
  measures: string | null;
  revisitDue: string | null;
  revisitedAt: string | null;
  satisfaction: number | null;
  escalations: Escalation[];
}

export interface TicketDetail extends TicketRecord {
  history: HistoryEntry[];
}

function met(doneAt: string | null, dueAt: string, now: string): boolean | null {
  if (doneAt) return doneAt <= dueAt;
  return now > dueAt ? false : null;
}

function toRecord(r: Record<string, unknown>, now: string, escalations: Escalation[]): TicketRecord {
  const responseDue = String(r.response_due);
  const resolveDue = String(r.resolve_due);
  const respondedAt = str(r.responded_at);
  const resolvedAt = str(r.resolved_at);
  const responseMet = met(respondedAt, responseDue, now);
  const resolveMet = r.status === 'closed' && !resolvedAt ? null : met(resolvedAt, resolveDue, now);
  return {
    number: String(r.number),
    customer: String(r.customer_code),
    customerName: String(r.customer_name),
    contact: str(r.contact_name),
    order: str(r.order_number),
    kind: String(r.kind) as Kind,
    priority: String(r.priority) as Priority,
    channel: str(r.channel),
    title: String(r.title),
    content: String(r.content),
    status: String(r.status) as Status,
    handler: str(r.handler_name),
    receivedAt: String(r.received_at),
    responseDue,
    resolveDue,
    respondedAt,
    resolvedAt,
    closedAt: str(r.closed_at),
    responseMet,
    resolveMet,
    breached: responseMet === false || resolveMet === false,
    resolution: str(r.resolution),
    measures: str(r.measures),
    revisitDue: str(r.revisit_due),
    revisitedAt: str(r.revisited_at),
    satisfaction: r.satisfaction == null ? null : Number(r.satisfaction),
    escalations,
  };
}

async function escalationsOf(svc: ServiceContext, ids: number[]): Promise<Map<number, Escalation[]>> {
  const out = new Map<number, Escalation[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows: Record<string, unknown>[] = await svc
      .db('ticket_escalations as e')
      .leftJoin('users as u', 'u.id', 'e.to_user_id')
      .whereIn('e.ticket_id', ids.slice(i, i + 500))
      .orderBy('e.id')
      .select('e.*', 'u.name as to_name');
    for (const e of rows) {
      const list = out.get(Number(e.ticket_id)) ?? [];
      list.push({
        at: String(e.at),
        to: str(e.to_name),
        kind: String(e.kind) as Escalation['kind'],
        dueAt: String(e.due_at),
      });
      out.set(Number(e.ticket_id), list);
    }
  }
  return out;
}

async function recordsOf(svc: ServiceContext, rows: Record<string, unknown>[]): Promise<TicketRecord[]> {
  const esc = await escalationsOf(
    svc,
    rows.map((r) => Number(r.id)),
  );
  const now = nowIso(svc.clock);
  return rows.map((r) => toRecord(r, now, esc.get(Number(r.id)) ?? []));
}

async function reload(svc: ServiceContext, id: number): Promise<TicketRecord> {
  const row = await ticketQuery(svc.db).where('t.id', id).first();
  return (await recordsOf(svc, [row]))[0]!;
}

function usage(code: string, zh: string, en: string, hint?: { zh: string; en: string }): CrmError {
  return new CrmError(code, { zh, en }, ExitCode.usage, hint);
}

function required(value: string | undefined, code: string, what: { zh: string; en: string }, flag: string): string {
  const v = value?.trim() ?? '';
  if (!v)
    throw usage(code, `${what.zh}不能为空`, `the ${what.en} is empty`, {
      zh: `用 ${flag} "文本" 写明`,
      en: `give it with ${flag} "TEXT"`,
    });
  return v;
}

/** The customer by code, in scope (pool customers too: anyone may take their complaint). */
async function customerFor(svc: ServiceContext, code: string) {
  try {
    return await loadCustomer(svc, code, { poolOk: true });
  } catch (err) {
    if (err instanceof CrmError && err.code === 'E3110')
      throw new CrmError('E4116', err.messages, ExitCode.noData, err.hint);
    if (err instanceof CrmError && err.code === 'E3111')
      throw new CrmError('E4112', err.messages, ExitCode.permission, err.hint);
    throw err;
  }
}

/** The time a ticket was received: now, or `--at` (never in the future). */
function receivedAt(svc: ServiceContext, at: string | undefined, tz: string): Date {
  const now = svc.clock.now();
  if (!at) return now;
  const when = parseWhen(at, tz);
  if (when.getTime() > now.getTime()) {
    throw usage('E4106', `受理时间在未来：${at}`, `the time received is in the future: ${at}`, {
      zh: '--at 是工单收到的时间，不能晚于现在；不写即为现在',
      en: '--at is when the ticket came in, not later than now; leave it out for now',
    });
  }
  return when;
}

export async function addTicket(svc: ServiceContext, input: TicketInput): Promise<TicketDetail> {
  writeCap(svc);
  const kind = parseKind(input.kind);
  const priority = parsePriority(input.priority);
  const channel = input.channel ? parseChannel(input.channel) : null;
  const title = required(input.title, 'E4107', { zh: '标题', en: 'title' }, '--title');
  const content = required(input.content, 'E4107', { zh: '内容', en: 'content' }, '--content');
  if (title.length > 200) throw usage('E4107', '标题超过 200 字', 'the title is longer than 200 characters');
  const sla = await slaContext(svc);
  const at = receivedAt(svc, input.at, sla.tz);
  const due = dueTimes(sla, priority, at);
  const pattern = await svc.settings.get<string>('service.numberPattern');
  const date = businessDate(at, sla.tz);
  // Two clerks numbering at once: the unique number decides, the loser takes the next one.
  for (let attempt = 1; ; attempt++) {
    try {
      const id = await inTransaction(svc, async (tx) => {
        const customer = await customerFor(tx, input.customer);
        let contactId: number | null = null;
        if (input.contact !== undefined) {
          const contact = await tx.db('contacts').where({ id: input.contact }).first('id', 'customer_id');
          if (!contact || Number(contact.customer_id) !== Number(customer.id)) {
            throw usage(
              'E4104',
              `联系人 ${input.contact} 不是客户 ${customer.code} 的联系人`,
              `contact ${input.contact} is not a contact of customer ${customer.code}`,
              {
                zh: `用 "crm contacts list --customer ${customer.code}" 查看其联系人`,
                en: `see "crm contacts list --customer ${customer.code}"`,
              },
            );
          }
          contactId = Number(contact.id);
        }
        let orderId: number | null = null;
        if (input.order) {
          const order = await tx.db('orders').where({ number: input.order.trim() }).first('id', 'customer_id');
          if (!order || Number(order.customer_id) !== Number(customer.id)) {
            throw usage(
              'E4105',
              `订单 ${input.order} 不存在或不属于客户 ${customer.code}`,
              `order ${input.order} does not exist or is not an order of customer ${customer.code}`,
              {
                zh: `用 "crm orders list --customer ${customer.code}" 查看其订单`,
                en: `see "crm orders list --customer ${customer.code}"`,
              },
            );
          }
          orderId = Number(order.id);
        }
        const prefix = numberPrefix(pattern, date);
        // The day's numbers share the prefix (compared as text: no LIKE, whose escaping differs between engines).
        const existing: { number: string }[] = await tx
          .db('tickets')
          .whereRaw('substr(number, 1, ?) = ?', [prefix.length, prefix])
          .select('number');
        let seq = 0;
        for (const e of existing) {
          const tail = Number(/(\d+)$/.exec(e.number)?.[1] ?? 0);
          if (tail > seq) seq = tail;
        }
        const number = formatNumber(pattern, date, seq + 1);
        const handlerId = customer.owner_id != null ? Number(customer.owner_id) : tx.actor.id > 0 ? tx.actor.id : null;
        const now = nowIso(tx.clock);
        const [newId] = await tx.db('tickets').insert({
          number,
          customer_id: customer.id,
          contact_id: contactId,
          order_id: orderId,
          kind,
          priority,
          channel,
          title,
          content,
          status: 'open',
          handler_id: handlerId,
          received_at: at.toISOString(),
          response_due: due.response.toISOString(),
          resolve_due: due.resolve.toISOString(),
          created_by: tx.actor.id > 0 ? tx.actor.id : null,
          created_at: now,
          updated_at: now,
        });
        const id = Number(newId);
        await addEvent(tx, id, 'received', content, { kind, priority, channel, title }, at.toISOString());
        const rec = await reload(tx, id);
        await audit(tx, { action: 'tickets.add', entity: 'ticket', entityId: number, after: rec });
        return id;
      });
      return showTicketById(svc, id);
    } catch (err) {
      if (attempt < 5 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

async function showTicketById(svc: ServiceContext, id: number): Promise<TicketDetail> {
  const rec = await reload(svc, id);
  const events: Record<string, unknown>[] = await svc
    .db('ticket_events')
    .where({ ticket_id: id })
    .orderBy([
      { column: 'at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ]);
  return {
    ...rec,
    history: events.map((e) => ({
      at: String(e.at),
      user: String(e.user_name),
      step: String(e.step) as Step,
      content: str(e.content),
      detail: e.detail_json ? (JSON.parse(String(e.detail_json)) as Record<string, unknown>) : null,
    })),
  };
}

export async function showTicket(svc: ServiceContext, number: string): Promise<TicketDetail> {
  readCap(svc);
  const row = await loadTicket(svc, number);
  return showTicketById(svc, Number(row.id));
}

/**
 * One step on a ticket, in one transaction: load it again inside (so two people cannot both move it from the
 * same status), check the transition, apply the patch, record the history and the audit entry.
 */
async function step(
  svc: ServiceContext,
  number: string,
  action: string,
  apply: (
    tx: ServiceContext,
    row: TicketRow,
  ) => Promise<{
    patch: Record<string, unknown>;
    event: Step;
    content: string | null;
    detail?: Record<string, unknown>;
  }>,
): Promise<TicketDetail> {
  writeCap(svc);
  const id = await inTransaction(svc, async (tx) => {
    const row = await loadTicket(tx, number);
    const before = await reload(tx, Number(row.id));
    const { patch, event, content, detail } = await apply(tx, row);
    const n = await tx
      .db('tickets')
      .where({ id: row.id, status: row.status })
      .update({ ...patch, updated_at: nowIso(tx.clock) });
    if (n !== 1) {
      throw new CrmError(
        'E4118',
        { zh: `工单 ${number} 刚被他人修改`, en: `ticket ${number} was changed by someone else just now` },
        ExitCode.conflict,
        { zh: '用 "crm tickets show" 查看后重试', en: 'look at it with "crm tickets show" and try again' },
      );
    }
    await addEvent(tx, Number(row.id), event, content, detail);
    await audit(tx, {
      action,
      entity: 'ticket',
      entityId: row.number,
      before,
      after: await reload(tx, Number(row.id)),
    });
    return Number(row.id);
  });
  return showTicketById(svc, id);
}

export async function assignTicket(svc: ServiceContext, number: string, user: string): Promise<TicketDetail> {
  return step(svc, number, 'tickets.assign', async (tx, row) => {
    checkTransition(row.number, 'assign', row.status);
    const u = await tx.db('users').where({ name: user.trim() }).first('id', 'name', 'role', 'status');
    if (u?.status !== 'active' || !['admin', 'manager', 'sales'].includes(String(u.role))) {
      throw usage(
        'E4113',
        `不能分派给 ${user}：${!u ? '用户不存在' : u.status !== 'active' ? '用户已停用' : `角色 ${u.role} 不处理工单`}`,
        `cannot assign to ${user}: ${!u ? 'no such user' : u.status !== 'active' ? 'the user is disabled' : `role ${u.role} does not handle tickets`}`,
        {
          zh: '处理人须为在职的客户经理、经理或管理员（crm users list）',
          en: 'a handler is an active sales user, manager or admin (crm users list)',
        },
      );
    }
    return { patch: { handler_id: u.id }, event: 'assigned', content: String(u.name), detail: { to: String(u.name) } };
  });
}

export async function respondTicket(svc: ServiceContext, number: string, content: string): Promise<TicketDetail> {
  const text = required(content, 'E4107', { zh: '响应内容', en: 'response' }, '--content');
  return step(svc, number, 'tickets.respond', async (tx, row) => {
    checkTransition(row.number, 'respond', row.status);
    return { patch: { status: 'responded', responded_at: nowIso(tx.clock) }, event: 'responded', content: text };
  });
}

export async function noteTicket(svc: ServiceContext, number: string, content: string): Promise<TicketDetail> {
  const text = required(content, 'E4107', { zh: '记录内容', en: 'note' }, '--content');
  return step(svc, number, 'tickets.note', async (_tx, row) => {
    checkTransition(row.number, 'note', row.status);
    return { patch: {}, event: 'noted', content: text };
  });
}

export async function resolveTicket(
  svc: ServiceContext,
  number: string,
  input: { resolution: string; measures?: string },
): Promise<TicketDetail> {
  const resolution = input.resolution?.trim() ?? '';
  if (!resolution) {
    throw usage('E4109', '解决工单须写明解决办法', 'resolving a ticket needs the resolution', {
      zh: '用 --resolution "如何解决的" [--measures "改进措施"]',
      en: 'give --resolution "what was done" [--measures "improvement measures"]',
    });
  }
  const measures = input.measures?.trim() || null;
  return step(svc, number, 'tickets.resolve', async (tx, row) => {
    checkTransition(row.number, 'resolve', row.status);
    const sla = await slaContext(tx);
    const now = tx.clock.now();
    let due = businessDate(now, sla.tz);
    const days = await tx.settings.get<number>('service.revisitAfterDays');
    for (let i = 0; i < days; i++) due = sla.calendar.nextWorkingDay(due);
    return {
      patch: {
        status: 'resolved',
        resolved_at: now.toISOString(),
        resolution,
        measures,
        revisit_due: due,
        revisited_at: null,
      },
      event: 'resolved',
      content: resolution,
      detail: { measures, revisitDue: due },
    };
  });
}

export async function closeTicket(svc: ServiceContext, number: string): Promise<TicketDetail> {
  return step(svc, number, 'tickets.close', async (tx, row) => {
    checkTransition(row.number, 'close', row.status);
    return { patch: { status: 'closed', closed_at: nowIso(tx.clock) }, event: 'closed', content: null };
  });
}

/** Reopen: the resolution due time counts again from now (a new breach if it passes). */
async function reopenPatch(tx: ServiceContext, row: TicketRow): Promise<Record<string, unknown>> {
  checkTransition(row.number, 'reopen', row.status);
  const sla = await slaContext(tx);
  const due = dueTimes(sla, row.priority, tx.clock.now());
  return {
    status: 'reopened',
    resolved_at: null,
    closed_at: null,
    resolve_due: due.resolve.toISOString(),
    revisit_due: null,
  };
}

export async function reopenTicket(svc: ServiceContext, number: string, reason: string): Promise<TicketDetail> {
  const text = reason?.trim() ?? '';
  if (!text) {
    throw usage('E4111', '重开工单须写明原因', 'reopening a ticket needs a reason', {
      zh: '用 --reason "原因"',
      en: 'give --reason "why"',
    });
  }
  return step(svc, number, 'tickets.reopen', async (tx, row) => ({
    patch: await reopenPatch(tx, row),
    event: 'reopened',
    content: text,
  }));
}

export interface RevisitInput {
  satisfaction: number | string;
  comment?: string;
}

/**
 * The return visit (回访): satisfaction 1–5 and a comment, once per resolution. A score at or below
 * `service.reopenAtOrBelow` reopens the ticket in the same transaction.
 */
export async function revisitTicket(svc: ServiceContext, number: string, input: RevisitInput): Promise<TicketDetail> {
  const score = parseScore(input.satisfaction);
  const comment = input.comment?.trim() || null;
  writeCap(svc);
  const threshold = await svc.settings.get<number>('service.reopenAtOrBelow');
  const id = await inTransaction(svc, async (tx) => {
    const row = await loadTicket(tx, number);
    if (row.status !== 'resolved' && row.status !== 'closed') {
      throw new CrmError(
        'E4108',
        {
          zh: `工单 ${row.number} 当前为“${row.status}”，尚未解决，不能回访`,
          en: `ticket ${row.number} is ${row.status}: only a resolved or closed ticket gets a return visit`,
        },
        ExitCode.conflict,
        {
          zh: '先解决：crm tickets resolve N --resolution …',
          en: 'resolve it first: crm tickets resolve N --resolution …',
        },
      );
    }
    if (row.revisited_at) {
      throw new CrmError(
        'E4114',
        {
          zh: `工单 ${row.number} 本次解决已于 ${String(row.revisited_at)} 回访过`,
          en: `ticket ${row.number} already had its return visit for this resolution (${String(row.revisited_at)})`,
        },
        ExitCode.conflict,
        { zh: '如需补充请用 crm tickets note', en: 'add to it with "crm tickets note"' },
      );
    }
    const before = await reload(tx, Number(row.id));
    const now = nowIso(tx.clock);
    const reopen = threshold > 0 && score <= threshold;
    await tx.db('ticket_revisits').insert({
      ticket_id: row.id,
      at: now,
      satisfaction: score,
      comment,
      user_id: tx.actor.id > 0 ? tx.actor.id : null,
      reopened: reopen,
    });
    const patch: Record<string, unknown> = { revisited_at: now, satisfaction: score, updated_at: now };
    await tx.db('tickets').where({ id: row.id }).update(patch);
    await addEvent(tx, Number(row.id), 'revisited', comment, { satisfaction: score, reopened: reopen });
    if (reopen) {
      const reopened = await reopenPatch(tx, { ...row });
      await tx
        .db('tickets')
        .where({ id: row.id })
        .update({ ...reopened, revisited_at: null });
      await addEvent(tx, Number(row.id), 'reopened', comment, {
        satisfaction: score,
        reopenAtOrBelow: threshold,
        byRevisit: true,
      });
    }
    await audit(tx, {
      action: 'tickets.revisit',
      entity: 'ticket',
      entityId: row.number,
      before,
      after: await reload(tx, Number(row.id)),
    });
    return Number(row.id);
  });
  return showTicketById(svc, id);
}

export interface TicketQuery {
  status?: string;
  kind?: string;
  priority?: string;
  handler?: string;
  customer?: string;
  /** Resolved or closed, return visit due by today (or the given date) and not yet made. */
  revisitDue?: boolean;
  /** A due time passed without the step done. */
  breached?: boolean;
  limit?: number;
}

export async function listTickets(svc: ServiceContext, q: TicketQuery = {}): Promise<TicketRecord[]> {
  readCap(svc);
  const query = scoped(ticketQuery(svc.db), await scopeUserIds(svc));
  if (q.status) query.where('t.status', parseStatus(q.status));
  if (q.kind) query.where('t.kind', parseKind(q.kind));
  if (q.priority) query.where('t.priority', parsePriority(q.priority));
  if (q.handler) query.where('h.name', q.handler);
  if (q.customer) query.where('c.code', q.customer);
  if (q.revisitDue) {
    query
      .whereIn('t.status', ['resolved', 'closed'])
      .whereNull('t.revisited_at')
      .whereNotNull('t.revisit_due')
      .where('t.revisit_due', '<=', await today(svc));
  }
  if (q.breached) {
    const now = nowIso(svc.clock);
    query.where((w) =>
      w
        .where((x) => x.whereNull('t.responded_at').where('t.response_due', '<', now).whereNot('t.status', 'closed'))
        .orWhere((x) => x.whereIn('t.status', ['open', 'responded', 'reopened']).where('t.resolve_due', '<', now))
        .orWhereRaw('t.responded_at > t.response_due')
        .orWhereRaw('t.resolved_at > t.resolve_due'),
    );
  }
  query
    .orderBy([
      { column: 't.received_at', order: 'desc' },
      { column: 't.id', order: 'desc' },
    ])
    .limit(q.limit ?? 100);
  return recordsOf(svc, await query);
}
