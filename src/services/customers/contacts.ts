/**
 * Contacts (联系人): many per customer, at most one primary. The first contact of a customer becomes its
 * primary; deleting the primary promotes the oldest remaining contact, so a customer with contacts always
 * has exactly one primary.
 */
import { CrmError, ExitCode } from '../../domain/errors.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { scopeUserIds } from '../users.js';
import { EXPECTED, invalidField, loadCustomer, plausibleEmail, plausiblePhone, readCap, writeCap } from './common.js';

export interface ContactInput {
  name?: string;
  title?: string | null;
  phone?: string | null;
  mobile?: string | null;
  email?: string | null;
  primary?: boolean;
}

export interface ContactRecord {
  id: number;
  customerCode: string;
  customerName: string;
  name: string;
  title: string | null;
  phone: string | null;
  mobile: string | null;
  email: string | null;
  primary: boolean;
  createdAt: string;
  updatedAt: string;
}

export function contactNotFound(id: number | string): CrmError {
  return new CrmError('E3150', { zh: `联系人不存在：${id}`, en: `no such contact: ${id}` }, ExitCode.noData, {
    zh: '用 "crm contacts list --customer 编码" 查看联系人编号',
    en: 'see "crm contacts list --customer CODE" for contact ids',
  });
}

/** Validate contact fields (shared with lead conversion, which creates a contact). */
export function checkContact(input: ContactInput, code = 'E3151'): void {
  if (input.name !== undefined && (!input.name.trim() || input.name.length > 100))
    throw invalidField('name', input.name, EXPECTED.chars(1, 100), code);
  if (input.title && input.title.length > 100) throw invalidField('title', input.title, EXPECTED.atMost(100), code);
  if (input.email && !plausibleEmail(input.email)) throw invalidField('email', input.email, EXPECTED.email, code);
  if (input.phone && !plausiblePhone(input.phone)) throw invalidField('phone', input.phone, EXPECTED.phone, code);
  if (input.mobile && !plausiblePhone(input.mobile)) throw invalidField('mobile', input.mobile, EXPECTED.phone, code);
}

function contactQuery(svc: ServiceContext) {
  return svc
    .db('contacts as k')
    .join('customers as c', 'c.id', 'k.customer_id')
    .select('k.*', 'c.code as customer_code', 'c.name as customer_name', 'c.owner_id as customer_owner');
}

const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

function toRecord(r: Record<string, unknown>): ContactRecord {
  return {
    id: Number(r.id),
    customerCode: String(r.customer_code),
    customerName: String(r.customer_name),
    name: String(r.name),
    title: s(r.title),
    phone: s(r.phone),
    mobile: s(r.mobile),
    email: s(r.email),
    primary: Boolean(Number(r.is_primary)),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

async function getContact(svc: ServiceContext, id: number): Promise<ContactRecord> {
  const row = await contactQuery(svc).where('k.id', id).first();
  if (!row) throw contactNotFound(id);
  return toRecord(row);
}

/** A contact whose customer is in the actor's scope (and not deleted). */
async function loadContact(svc: ServiceContext, id: number): Promise<Record<string, unknown>> {
  const row = await contactQuery(svc).where('k.id', id).first();
  if (!row) throw contactNotFound(id);
  await loadCustomer(svc, String(row.customer_code), { forWrite: true });
  return row;
}

/** Insert a contact for a customer id inside the caller's transaction (used by add and lead conversion). */
export async function insertContact(tx: ServiceContext, customerId: number, input: ContactInput): Promise<number> {
  const now = nowIso(tx.clock);
  const existing = await tx.db('contacts').where({ customer_id: customerId }).count({ n: '*' }).first();
  const primary = Boolean(input.primary) || Number(existing?.n ?? 0) === 0;
  if (primary)
    await tx.db('contacts').where({ customer_id: customerId }).update({ is_primary: false, updated_at: now });
  const [id] = await tx.db('contacts').insert({
    customer_id: customerId,
    name: input.name!.trim(),
    title: input.title || null,
    phone: input.phone || null,
    mobile: input.mobile || null,
    email: input.email || null,
    is_primary: primary,
    created_at: now,
    updated_at: now,
  });
  return Number(id);
}

export async function addContact(svc: ServiceContext, customer: string, input: ContactInput): Promise<ContactRecord> {
  writeCap(svc);
  if (!input.name) throw invalidField('name', '', EXPECTED.chars(1, 100));
  checkContact(input);
  return inTransaction(svc, async (tx) => {
    const c = await loadCustomer(tx, customer, { forWrite: true });
    const id = await insertContact(tx, Number(c.id), input);
    const rec = await getContact(tx, id);
    await audit(tx, { action: 'contacts.add', entity: 'contact', entityId: id, after: rec });
    return rec;
  });
}

export interface ContactQuery {
  customer?: string;
  search?: string;
  limit?: number;
  offset?: number;
}

/** Contacts of one customer, or of every customer in the actor's scope. Primary first. */
export async function listContacts(svc: ServiceContext, q: ContactQuery = {}): Promise<ContactRecord[]> {
  readCap(svc);
  const query = contactQuery(svc).whereNot('c.status', 'deleted');
  if (q.customer) {
    const c = await loadCustomer(svc, q.customer, { poolOk: true });
    query.where('k.customer_id', c.id);
  } else {
    const scope = await scopeUserIds(svc);
    if (scope !== null) query.whereIn('c.owner_id', scope);
  }
  if (q.search) {
    const like = `%${q.search.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
    query.where((w) => {
      w.where('k.name', 'like', like)
        .orWhere('k.phone', 'like', like)
        .orWhere('k.mobile', 'like', like)
        .orWhere('k.email', 'like', like);
    });
  }
  query
    .orderBy([
      { column: 'c.code', order: 'asc' },
      { column: 'k.is_primary', order: 'desc' },
      { column: 'k.id', order: 'asc' },
    ])
    .limit(q.limit ?? 100)
    .offset(q.offset ?? 0);
  return (await query).map(toRecord);
}

export async function editContact(svc: ServiceContext, id: number, input: ContactInput): Promise<ContactRecord> {
  writeCap(svc);
  checkContact(input);
  return inTransaction(svc, async (tx) => {
    const row = await loadContact(tx, id);
    const before = toRecord(row);
    const patch: Record<string, unknown> = {};
    if (input.name !== undefined) patch.name = input.name.trim();
    for (const k of ['title', 'phone', 'mobile', 'email'] as const) {
      if (input[k] !== undefined) patch[k] = input[k] || null;
    }
    const now = nowIso(tx.clock);
    if (input.primary && !before.primary) {
      await tx.db('contacts').where({ customer_id: row.customer_id }).update({ is_primary: false, updated_at: now });
      patch.is_primary = true;
    }
    if (Object.keys(patch).length) {
      await tx
        .db('contacts')
        .where({ id })
        .update({ ...patch, updated_at: now });
    }
    const after = await getContact(tx, id);
    await audit(tx, { action: 'contacts.edit', entity: 'contact', entityId: id, before, after });
    return after;
  });
}

export function setPrimaryContact(svc: ServiceContext, id: number): Promise<ContactRecord> {
  return editContact(svc, id, { primary: true });
}

/** Delete a contact; when it was the primary, the oldest remaining contact becomes primary. */
export async function deleteContact(
  svc: ServiceContext,
  id: number,
): Promise<{ deleted: ContactRecord; newPrimary: ContactRecord | null }> {
  writeCap(svc);
  return inTransaction(svc, async (tx) => {
    const row = await loadContact(tx, id);
    const before = toRecord(row);
    await tx.db('contacts').where({ id }).delete();
    let newPrimary: ContactRecord | null = null;
    if (before.primary) {
      const next = await tx.db('contacts').where({ customer_id: row.customer_id }).orderBy('id').first('id');
      if (next) {
        await tx
          .db('contacts')
          .where({ id: next.id })
          .update({ is_primary: true, updated_at: nowIso(tx.clock) });
        newPrimary = await getContact(tx, Number(next.id));
      }
    }
    await audit(tx, {
      action: 'contacts.delete',
      entity: 'contact',
      entityId: id,
      before,
      after: newPrimary ? { newPrimary: newPrimary.id } : undefined,
    });
    return { deleted: before, newPrimary };
  });
}
