/**
 * Leads (线索): early prospects. A lead is `new`, `working` (once followed up), `converted` or
 * `disqualified`. Conversion creates the customer (and optionally a contact and an opportunity) after a
 * duplicate check, or links the lead to an existing customer with `link`; the lead's follow-ups move along.
 */
import { DEFAULT_STAGES, type StageDef } from '../../config/settings/orders.js';
import { CrmError, ExitCode, type L10n } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { can } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { addOpportunity } from '../orders/opportunities.js';
import { scopeUserIds } from '../users.js';
import {
  type CustomerRecord,
  EXPECTED,
  invalidField,
  loadCustomer,
  normName,
  normPhone,
  plausibleEmail,
  plausiblePhone,
  readCap,
  userIdByName,
  writeCap,
} from './common.js';
import { checkContact, insertContact } from './contacts.js';
import { addCustomer, getCustomer } from './customers.js';

export const LEAD_STATUSES = ['new', 'working', 'converted', 'disqualified'] as const;

export interface LeadInput {
  name: string;
  contactName?: string | null;
  phone?: string | null;
  email?: string | null;
  source?: string | null;
  owner?: string | null;
  note?: string | null;
}

export interface LeadRecord {
  id: number;
  name: string;
  contactName: string | null;
  phone: string | null;
  email: string | null;
  source: string | null;
  status: string;
  owner: string | null;
  customerCode: string | null;
  disqualifyReason: string | null;
  note: string | null;
  convertedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

type LeadRow = Record<string, unknown> & { id: number; status: string; owner_id: number | null };

export function leadNotFound(id: number | string): CrmError {
  return new CrmError('E3152', { zh: `线索不存在：${id}`, en: `no such lead: ${id}` }, ExitCode.noData, {
    zh: '用 "crm leads list" 查看线索编号',
    en: 'see "crm leads list" for lead ids',
  });
}

function invalid(field: string, value: string, expected: L10n | string): CrmError {
  return invalidField(field, value, expected, 'E3153');
}

function leadQuery(svc: ServiceContext) {
  return svc
    .db('leads as l')
    .leftJoin('users as u', 'u.id', 'l.owner_id')
    .leftJoin('customers as c', 'c.id', 'l.customer_id')
    .select('l.*', 'u.name as owner_name', 'c.code as customer_code');
}

const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

function toRecord(r: Record<string, unknown>): LeadRecord {
  return {
    id: Number(r.id),
    name: String(r.name),
    contactName: s(r.contact_name),
    phone: s(r.phone),
    email: s(r.email),
    source: s(r.source),
    status: String(r.status),
    owner: s(r.owner_name),
    customerCode: s(r.customer_code),
    disqualifyReason: s(r.disqualify_reason),
    note: s(r.note),
    convertedAt: s(r.converted_at),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

/** Sales see their own leads, managers their team's and unowned ones; admins and readers all. */
export async function loadLead(svc: ServiceContext, id: number): Promise<LeadRow> {
  const row: LeadRow | undefined = await svc.db('leads').where({ id }).first();
  if (!row) throw leadNotFound(id);
  const scope = await scopeUserIds(svc);
  if (scope !== null) {
    const owner = row.owner_id == null ? null : Number(row.owner_id);
    const visible = owner === null ? can(svc.actor, 'crm.approve') : scope.includes(owner);
    if (!visible) {
      throw new CrmError(
        'E3164',
        { zh: `线索 ${id} 不在你的数据范围内`, en: `lead ${id} is outside your data scope` },
        ExitCode.permission,
        { zh: '请联系线索负责人或其上级', en: "ask the lead's owner or their manager" },
      );
    }
  }
  return row;
}

async function getLead(svc: ServiceContext, id: number): Promise<LeadRecord> {
  const row = await leadQuery(svc).where('l.id', id).first();
  if (!row) throw leadNotFound(id);
  return toRecord(row);
}

function checkLead(input: Partial<LeadInput>): void {
  if (input.name !== undefined && (!input.name.trim() || input.name.length > 200))
    throw invalid('name', input.name, EXPECTED.chars(1, 200));
  if (input.contactName && input.contactName.length > 100)
    throw invalid('contact', input.contactName, EXPECTED.atMost(100));
  if (input.email && !plausibleEmail(input.email)) throw invalid('email', input.email, EXPECTED.email);
  if (input.phone && !plausiblePhone(input.phone)) throw invalid('phone', input.phone, EXPECTED.phone);
}

export async function addLead(svc: ServiceContext, input: LeadInput): Promise<LeadRecord> {
  writeCap(svc);
  if (!input.name) throw invalid('name', '', EXPECTED.chars(1, 200));
  checkLead(input);
  return inTransaction(svc, async (tx) => {
    // Sales and managers own what they enter; an owner given by name must be in the actor's scope.
    let ownerId: number | null = tx.actor.role === 'sales' || tx.actor.role === 'manager' ? tx.actor.id : null;
    if (input.owner) {
      ownerId = await userIdByName(tx.db, input.owner);
      const scope = await scopeUserIds(tx);
      if (scope !== null && !scope.includes(ownerId)) {
        throw new CrmError(
          'E3165',
          { zh: `不能把线索分给 ${input.owner}`, en: `you may not give leads to ${input.owner}` },
          ExitCode.permission,
        );
      }
    }
    const now = nowIso(tx.clock);
    const [id] = await tx.db('leads').insert({
      name: input.name.trim(),
      contact_name: input.contactName || null,
      phone: input.phone || null,
      email: input.email || null,
      source: input.source || null,
      status: 'new',
      owner_id: ownerId,
      note: input.note || null,
      created_at: now,
      updated_at: now,
    });
    const rec = await getLead(tx, Number(id));
    await audit(tx, { action: 'leads.add', entity: 'lead', entityId: Number(id), after: rec });
    return rec;
  });
}

export interface LeadQuery {
  status?: string;
  owner?: string;
  search?: string;
  limit?: number;
  offset?: number;
}

export async function listLeads(svc: ServiceContext, q: LeadQuery = {}): Promise<LeadRecord[]> {
  readCap(svc);
  const query = leadQuery(svc);
  const scope = await scopeUserIds(svc);
  if (scope !== null) {
    query.where((w) => {
      w.whereIn('l.owner_id', scope);
      if (can(svc.actor, 'crm.approve')) w.orWhereNull('l.owner_id');
    });
  }
  if (q.status) {
    if (!(LEAD_STATUSES as readonly string[]).includes(q.status))
      throw invalid('status', q.status, LEAD_STATUSES.join(' | '));
    query.where('l.status', q.status);
  }
  if (q.owner) query.where('u.name', q.owner);
  if (q.search) {
    const like = `%${q.search.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
    const phone = normPhone(q.search);
    query.where((w) => {
      w.where('l.name', 'like', like).orWhere('l.contact_name', 'like', like).orWhere('l.email', 'like', like);
      if (phone) w.orWhere('l.phone', 'like', `%${q.search}%`);
    });
  }
  query
    .orderBy('l.id', 'desc')
    .limit(q.limit ?? 100)
    .offset(q.offset ?? 0);
  return (await query).map(toRecord);
}

export interface LeadDetails extends LeadRecord {
  followups: { at: string; method: string; content: string; user: string; nextAt: string | null }[];
}

export async function showLead(svc: ServiceContext, id: number): Promise<LeadDetails> {
  readCap(svc);
  await loadLead(svc, id);
  const rec = await getLead(svc, id);
  const followups = await svc
    .db('followups as f')
    .join('users as u', 'u.id', 'f.user_id')
    .where('f.lead_id', id)
    .orderBy([
      { column: 'f.at', order: 'desc' },
      { column: 'f.id', order: 'desc' },
    ])
    .limit(20)
    .select('f.*', 'u.name as user_name');
  return {
    ...rec,
    followups: followups.map((f: Record<string, unknown>) => ({
      at: String(f.at),
      method: String(f.method),
      content: String(f.content),
      user: String(f.user_name),
      nextAt: s(f.next_at),
    })),
  };
}

function leadClosed(row: LeadRow): CrmError {
  return new CrmError(
    'E3154',
    {
      zh: `线索 ${row.id} 已${row.status === 'converted' ? '转化' : '作废'}`,
      en: `lead ${row.id} is already ${row.status}`,
    },
    ExitCode.conflict,
  );
}

export interface ConvertInput {
  /** Code of the new customer (required unless `link`). */
  code?: string;
  /** Name of the new customer (default: the lead's name). */
  name?: string;
  /** Attach the lead to this existing customer instead of creating one. */
  link?: string;
  /** Owner of the new customer (default: the lead's owner). */
  owner?: string;
  /** Create a contact from the lead's contact name, phone and email (default true when it has a contact name). */
  contact?: boolean;
  /** Create an opportunity in the first stage (Prospecting): its name and amount in fen. */
  opportunity?: { name: string; amountFen: number; closeDate?: string };
}

export interface Duplicate {
  code: string;
  name: string;
  match: 'code' | 'name' | 'phone' | 'email';
}

export interface ConvertResult {
  lead: LeadRecord;
  customer: CustomerRecord;
  created: boolean;
  contactId: number | null;
  opportunityId: number | null;
  followupsMoved: number;
}

/** Existing customers the new one would duplicate: same code, or same normalised name, phone or email. */
export async function findDuplicates(
  svc: ServiceContext,
  c: { code?: string; name: string; phone?: string | null; email?: string | null },
): Promise<Duplicate[]> {
  const out: Duplicate[] = [];
  const seen = new Set<string>();
  const push = (rows: { code: string; name: string }[], match: Duplicate['match']) => {
    for (const r of rows) {
      const key = `${r.code}/${match}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ code: String(r.code), name: String(r.name), match });
    }
  };
  if (c.code) push(await svc.db('customers').where({ code: c.code }).select('code', 'name'), 'code');
  const live = () => svc.db('customers').whereNot('status', 'deleted').select('code', 'name').orderBy('code').limit(5);
  const name = normName(c.name);
  if (name) push(await live().where({ name_norm: name }), 'name');
  const phone = normPhone(c.phone);
  if (phone) push(await live().where({ phone_norm: phone }), 'phone');
  if (c.email) push(await live().whereRaw('LOWER(email) = ?', [c.email.trim().toLowerCase()]), 'email');
  return out;
}

async function prospectingStage(svc: ServiceContext): Promise<string> {
  const stages = (await svc.settings.get<StageDef[]>('opportunities.stages')) ?? DEFAULT_STAGES;
  return (stages.find((st) => st.name.toLowerCase() === 'prospecting') ?? stages[0]!).name;
}

export async function convertLead(svc: ServiceContext, id: number, input: ConvertInput): Promise<ConvertResult> {
  writeCap(svc);
  if (input.link && input.code) {
    throw new CrmError(
      'E3156',
      { zh: '--link 与 --code 只能选一个', en: 'give either --link or --code, not both' },
      ExitCode.usage,
    );
  }
  if (!input.link && !input.code) {
    throw new CrmError(
      'E3156',
      { zh: '转化线索需要新客户编码 --code', en: 'converting a lead needs the new customer code: --code' },
      ExitCode.usage,
      { zh: '或用 --link 编码 关联到已有客户', en: 'or attach it to an existing customer with --link CODE' },
    );
  }
  if (input.opportunity && !(input.opportunity.amountFen > 0)) {
    throw invalid('amount', String(input.opportunity.amountFen), m('大于 0 的金额', 'an amount above 0'));
  }
  return inTransaction(svc, async (tx) => {
    const row = await loadLead(tx, id);
    if (row.status === 'converted' || row.status === 'disqualified') throw leadClosed(row);
    const before = await getLead(tx, id);
    let customer: CustomerRecord;
    let created = false;
    if (input.link) {
      const c = await loadCustomer(tx, input.link, { forWrite: true });
      customer = await getCustomer(tx, String(c.code));
    } else {
      const name = input.name ?? String(row.name);
      const dups = await findDuplicates(tx, {
        code: input.code,
        name,
        phone: s(row.phone),
        email: s(row.email),
      });
      if (dups.length) {
        const list = dups.map((d) => `${d.code} ${d.name} (${d.match})`).join('; ');
        throw new CrmError(
          'E3155',
          { zh: `可能与已有客户重复：${list}`, en: `possible duplicate of existing customers: ${list}` },
          ExitCode.conflict,
          {
            zh: `确认是同一客户时用 --link ${dups[0]!.code} 关联；否则换一个编码或名称`,
            en: `if it is the same customer, attach the lead with --link ${dups[0]!.code}; otherwise use another code or name`,
          },
        );
      }
      const ownerName =
        input.owner ??
        (row.owner_id == null
          ? undefined
          : String((await tx.db('users').where({ id: row.owner_id }).first('name'))?.name));
      customer = await addCustomer(tx, {
        code: input.code,
        name,
        phone: s(row.phone),
        email: s(row.email),
        source: s(row.source),
        owner: ownerName,
        note: s(row.note),
      });
      created = true;
    }
    let contactId: number | null = null;
    const wantContact = input.contact ?? Boolean(row.contact_name);
    if (wantContact) {
      const contact = {
        name: String(row.contact_name ?? row.name),
        phone: s(row.phone),
        email: s(row.email),
      };
      checkContact(contact);
      contactId = await insertContact(tx, customer.id, contact);
      await audit(tx, { action: 'contacts.add', entity: 'contact', entityId: contactId, after: contact });
    }
    let opportunityId: number | null = null;
    if (input.opportunity) {
      const opp = await addOpportunity(tx, {
        customer: customer.code,
        name: input.opportunity.name,
        amountFen: input.opportunity.amountFen,
        stage: await prospectingStage(tx),
        closeDate: input.opportunity.closeDate,
      });
      opportunityId = opp.id;
    }
    const moved = await tx.db('followups').where({ lead_id: id }).update({ customer_id: customer.id });
    const last = await tx.db('followups').where({ lead_id: id }).max({ at: 'at' }).first();
    if (last?.at) {
      await tx
        .db('customers')
        .where({ id: customer.id })
        .where((w) => w.whereNull('last_followup_at').orWhere('last_followup_at', '<', String(last.at)))
        .update({ last_followup_at: String(last.at) });
    }
    const now = nowIso(tx.clock);
    await tx
      .db('leads')
      .where({ id })
      .update({ status: 'converted', customer_id: customer.id, converted_at: now, updated_at: now });
    const lead = await getLead(tx, id);
    await audit(tx, {
      action: 'leads.convert',
      entity: 'lead',
      entityId: id,
      before,
      after: { ...lead, created, contactId, opportunityId },
    });
    return {
      lead,
      customer: await getCustomer(tx, customer.code),
      created,
      contactId,
      opportunityId,
      followupsMoved: Number(moved),
    };
  });
}

export async function disqualifyLead(svc: ServiceContext, id: number, reason: string): Promise<LeadRecord> {
  writeCap(svc);
  if (!reason?.trim()) {
    throw new CrmError('E3153', { zh: '作废线索需要原因', en: 'disqualifying a lead needs a reason' }, ExitCode.usage, {
      zh: '加 --reason "原因"',
      en: 'pass --reason "why"',
    });
  }
  return inTransaction(svc, async (tx) => {
    const row = await loadLead(tx, id);
    if (row.status === 'converted' || row.status === 'disqualified') throw leadClosed(row);
    const before = await getLead(tx, id);
    await tx
      .db('leads')
      .where({ id })
      .update({ status: 'disqualified', disqualify_reason: reason.trim(), updated_at: nowIso(tx.clock) });
    const after = await getLead(tx, id);
    await audit(tx, { action: 'leads.disqualify', entity: 'lead', entityId: id, before, after });
    return after;
  });
}
