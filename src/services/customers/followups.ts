/**
 * Follow-ups (跟进记录): every contact with a customer or a lead is on record (method, content, time, next
 * time, by whom). Adding one to a customer moves its `last_followup_at` forward (never back), which is what
 * the pool's "N days without a follow-up" rule reads; adding one to a new lead marks it `working`.
 */
import { parseLocalDateTime, zonedDateTime } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { can } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { scopeUserIds } from '../users.js';
import { loadCustomer, readCap, writeCap } from './common.js';
import { loadLead } from './leads.js';

export const METHODS = ['phone', 'visit', 'email', 'sms', 'meeting'] as const;
export type Method = (typeof METHODS)[number];

const ALIASES: Record<string, Method> = {
  电话: 'phone',
  拜访: 'visit',
  上门: 'visit',
  邮件: 'email',
  短信: 'sms',
  会议: 'meeting',
};

export interface FollowupInput {
  customer?: string;
  lead?: number;
  method: string;
  content: string;
  /** When it happened: 'YYYY-MM-DD HH:mm', an ISO instant, or a date alone (09:00); default now. */
  at?: string;
  /** When to follow up next (same forms). */
  next?: string;
}

export interface FollowupRecord {
  id: number;
  customerCode: string | null;
  customerName: string | null;
  leadId: number | null;
  leadName: string | null;
  user: string;
  method: string;
  content: string;
  at: string;
  nextAt: string | null;
  createdAt: string;
}

function followupError(zh: string, en: string, hint?: { zh: string; en: string }): CrmError {
  return new CrmError('E3158', { zh, en }, ExitCode.usage, hint);
}

export function parseMethod(method: string): Method {
  const m = method.trim().toLowerCase();
  const found = (METHODS as readonly string[]).includes(m) ? (m as Method) : ALIASES[method.trim()];
  if (!found) {
    throw new CrmError(
      'E3157',
      {
        zh: `跟进方式无效：${method}（可选：${METHODS.join(', ')}）`,
        en: `invalid follow-up method: ${method} (one of ${METHODS.join(', ')})`,
      },
      ExitCode.usage,
    );
  }
  return found;
}

/** A time typed by a person, in the business time zone; a date alone means 09:00 that day. */
export function parseWhen(text: string, tz: string): Date {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return zonedDateTime(t, '09:00', tz);
  return parseLocalDateTime(t, tz);
}

/** Move a customer's last follow-up time forward to `at` (never back). */
export async function touchLastFollowup(tx: ServiceContext, customerId: number, at: string): Promise<void> {
  await tx
    .db('customers')
    .where({ id: customerId })
    .where((w) => w.whereNull('last_followup_at').orWhere('last_followup_at', '<', at))
    .update({ last_followup_at: at, updated_at: nowIso(tx.clock) });
}

function followupQuery(svc: ServiceContext) {
  return svc
    .db('followups as f')
    .join('users as u', 'u.id', 'f.user_id')
    .leftJoin('customers as c', 'c.id', 'f.customer_id')
    .leftJoin('leads as l', 'l.id', 'f.lead_id')
    .select('f.*', 'u.name as user_name', 'c.code as customer_code', 'c.name as customer_name', 'l.name as lead_name');
}

const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

function toRecord(r: Record<string, unknown>): FollowupRecord {
  return {
    id: Number(r.id),
    customerCode: s(r.customer_code),
    customerName: s(r.customer_name),
    leadId: r.lead_id == null ? null : Number(r.lead_id),
    leadName: s(r.lead_name),
    user: String(r.user_name),
    method: String(r.method),
    content: String(r.content),
    at: String(r.at),
    nextAt: s(r.next_at),
    createdAt: String(r.created_at),
  };
}

export async function addFollowup(svc: ServiceContext, input: FollowupInput): Promise<FollowupRecord> {
  writeCap(svc);
  if (Boolean(input.customer) === (input.lead !== undefined)) {
    throw followupError('跟进对象须为客户或线索之一', 'a follow-up is for a customer or a lead: give one of them', {
      zh: '用 --customer 编码 或 --lead 线索编号',
      en: 'pass --customer CODE or --lead ID',
    });
  }
  const method = parseMethod(input.method);
  const content = input.content?.trim() ?? '';
  if (!content) throw followupError('跟进内容不能为空', 'the follow-up content is empty');
  const tz = await svc.settings.get<string>('timezone');
  const now = svc.clock.now();
  const at = input.at ? parseWhen(input.at, tz) : now;
  if (at.getTime() > now.getTime() + 60_000) {
    throw new CrmError(
      'E3159',
      { zh: `跟进时间在未来：${input.at}`, en: `the follow-up time is in the future: ${input.at}` },
      ExitCode.usage,
      { zh: '下次跟进时间请用 --next', en: 'for the next follow-up use --next' },
    );
  }
  const next = input.next ? parseWhen(input.next, tz) : null;
  if (next && next.getTime() <= at.getTime()) {
    throw new CrmError(
      'E3159',
      { zh: `下次跟进时间须晚于本次：${input.next}`, en: `the next follow-up must come after this one: ${input.next}` },
      ExitCode.usage,
    );
  }
  return inTransaction(svc, async (tx) => {
    let customerId: number | null = null;
    let leadId: number | null = null;
    if (input.customer) {
      const c = await loadCustomer(tx, input.customer, { forWrite: true });
      customerId = Number(c.id);
    } else {
      const lead = await loadLead(tx, input.lead!);
      leadId = Number(lead.id);
      if (lead.customer_id != null) customerId = Number(lead.customer_id);
      if (lead.status === 'new') {
        await tx
          .db('leads')
          .where({ id: leadId })
          .update({ status: 'working', updated_at: nowIso(tx.clock) });
      }
    }
    const atIso = at.toISOString();
    const [id] = await tx.db('followups').insert({
      customer_id: customerId,
      lead_id: leadId,
      user_id: tx.actor.id,
      method,
      content,
      at: atIso,
      next_at: next ? next.toISOString() : null,
      created_at: nowIso(tx.clock),
    });
    if (customerId !== null) await touchLastFollowup(tx, customerId, atIso);
    const rec = toRecord(await followupQuery(tx).where('f.id', id).first());
    await audit(tx, { action: 'followups.add', entity: 'followup', entityId: Number(id), after: rec });
    return rec;
  });
}

export interface FollowupQuery {
  customer?: string;
  lead?: number;
  user?: string;
  /** Only those whose next follow-up is due by now (and not followed up since). */
  due?: boolean;
  limit?: number;
  offset?: number;
}

/**
 * Follow-ups newest first: of one customer or lead, or everything in the actor's scope (on customers or
 * leads they or their team own, or written by them or their team).
 */
export async function listFollowups(svc: ServiceContext, q: FollowupQuery = {}): Promise<FollowupRecord[]> {
  readCap(svc);
  const query = followupQuery(svc);
  if (q.customer) {
    const c = await loadCustomer(svc, q.customer, { poolOk: true, includeDeleted: true });
    query.where('f.customer_id', c.id);
  } else if (q.lead !== undefined) {
    const lead = await loadLead(svc, q.lead);
    query.where('f.lead_id', lead.id);
  } else {
    const scope = await scopeUserIds(svc);
    if (scope !== null) {
      const unownedLeads = can(svc.actor, 'crm.approve');
      query.where((w) => {
        w.whereIn('f.user_id', scope).orWhereIn('c.owner_id', scope).orWhereIn('l.owner_id', scope);
        if (unownedLeads) w.orWhere((x) => x.whereNotNull('f.lead_id').whereNull('l.owner_id'));
      });
    }
  }
  if (q.user) query.where('u.name', q.user);
  if (q.due) {
    query.whereNotNull('f.next_at').where('f.next_at', '<=', nowIso(svc.clock));
    // Not superseded: no later follow-up on the same customer or lead.
    query.whereNotExists(function () {
      this.from('followups as g')
        .whereRaw('g.at > f.at')
        .where((w) => {
          w.where((x) => x.whereNotNull('f.customer_id').whereRaw('g.customer_id = f.customer_id')).orWhere((x) =>
            x.whereNotNull('f.lead_id').whereRaw('g.lead_id = f.lead_id'),
          );
        });
    });
  }
  query
    .orderBy([
      { column: 'f.at', order: 'desc' },
      { column: 'f.id', order: 'desc' },
    ])
    .limit(q.limit ?? 100)
    .offset(q.offset ?? 0);
  return (await query).map(toRecord);
}

/**
 * A planned contact (e.g. a care plan's): a follow-up row whose next time is when to make the contact, so it is
 * among the due follow-ups of the customer's owner from then on (`followups list --due`) until a real
 * follow-up supersedes it. It does not move the customer's last follow-up time: nobody has talked to them yet.
 * Runs inside the caller's transaction; audited.
 */
export async function planFollowup(
  tx: ServiceContext,
  input: { customerId: number; userId: number; method: Method; content: string; dueAt: Date },
): Promise<FollowupRecord> {
  const now = nowIso(tx.clock);
  const at = input.dueAt.toISOString() > now ? now : new Date(input.dueAt.getTime() - 60_000).toISOString();
  const [id] = await tx.db('followups').insert({
    customer_id: input.customerId,
    lead_id: null,
    user_id: input.userId,
    method: input.method,
    content: input.content,
    at,
    next_at: input.dueAt.toISOString(),
    created_at: now,
  });
  const rec = toRecord(await followupQuery(tx).where('f.id', id).first());
  await audit(tx, { action: 'followups.plan', entity: 'followup', entityId: Number(id), after: rec });
  return rec;
}
