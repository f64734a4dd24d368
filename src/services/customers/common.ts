import type { Knex } from 'knex';
import { CrmError, ExitCode, type L10n } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { requireCapability } from '../../domain/roles.js';
import { FIELD, wordFor } from '../../domain/vocabulary.js';
import type { ServiceContext } from '../context.js';
import { scopeUserIds } from '../users.js';

/** A customer as commands print it (JSON fields are part of the product: keep them). */
export interface CustomerRecord {
  id: number;
  code: string;
  name: string;
  kind: string;
  parentCode: string | null;
  firstLevelCode: string;
  industry: string | null;
  region: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  source: string | null;
  owner: string | null;
  grade: string | null;
  gradeManual: boolean;
  status: string;
  dealStatus: string;
  lastFollowupAt: string | null;
  lastDealAt: string | null;
  ownedSince: string | null;
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

export type CustomerRow = Record<string, unknown> & {
  id: number;
  code: string;
  name: string;
  parent_id: number | null;
  owner_id: number | null;
  status: string;
};

/** Names compared for duplicates: full-width folded, lower case, no spaces or punctuation. */
export function normName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .slice(0, 200);
}

/** Phone digits only, without a +86 country prefix. */
export function normPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  let d = phone.normalize('NFKC').replace(/\D+/g, '');
  if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
  return d || null;
}

export function plausibleEmail(email: string): boolean {
  return email.length <= 200 && /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]{2,}$/.test(email);
}

export function plausiblePhone(phone: string): boolean {
  const p = phone.normalize('NFKC');
  if (!/^[+\d\s\-()#.转extEXT]+$/.test(p)) return false;
  const digits = p.replace(/\D+/g, '').length;
  return digits >= 5 && digits <= 20 && p.length <= 40;
}

export const CODE_RE = /^[^\s,;'"\\]{1,64}$/;
export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;

export function notFound(code: string): CrmError {
  return new CrmError('E3110', { zh: `客户不存在：${code}`, en: `no such customer: ${code}` }, ExitCode.noData, {
    zh: '用 "crm customers list --search 文本" 查找客户编码',
    en: 'find the code with "crm customers list --search TEXT"',
  });
}

export function outOfScope(code: string): CrmError {
  return new CrmError(
    'E3111',
    { zh: `客户 ${code} 不在你的数据范围内`, en: `customer ${code} is outside your data scope` },
    ExitCode.permission,
    { zh: '请联系客户负责人或其上级', en: "ask the customer's owner or their manager" },
  );
}

export const readCap = (svc: ServiceContext) =>
  requireCapability(svc.actor, 'crm.read', { zh: '查看客户', en: 'read customers' });
export const writeCap = (svc: ServiceContext) =>
  requireCapability(svc.actor, 'crm.write', { zh: '修改客户', en: 'change customers' });

/** Load a customer by code (not deleted unless asked) and check it is in the actor's scope. */
export async function loadCustomer(
  svc: ServiceContext,
  code: string,
  opts: { includeDeleted?: boolean; forWrite?: boolean; poolOk?: boolean } = {},
): Promise<CustomerRow> {
  const row: CustomerRow | undefined = await svc.db('customers').where({ code }).first();
  if (!row || (row.status === 'deleted' && !opts.includeDeleted)) throw notFound(code);
  const ids = await scopeUserIds(svc);
  if (ids !== null) {
    const owner = row.owner_id == null ? null : Number(row.owner_id);
    const visible = owner === null ? Boolean(opts.poolOk) : ids.includes(owner);
    if (!visible) throw outOfScope(code);
  }
  return row;
}

/** Codes of the top ancestors (first-level units) of the given customers; a root is its own first level. */
export async function firstLevelCodes(db: Knex, rows: { id: number; code: string; parent_id: number | null }[]) {
  const result = new Map<number, string>();
  const info = new Map<number, { code: string; parent: number | null }>();
  for (const r of rows)
    info.set(Number(r.id), { code: r.code, parent: r.parent_id == null ? null : Number(r.parent_id) });
  let missing = new Set<number>();
  const collect = () => {
    missing = new Set();
    for (const r of rows) {
      let cur = Number(r.id);
      for (let depth = 0; depth < 64; depth++) {
        const i = info.get(cur);
        if (!i) {
          missing.add(cur);
          break;
        }
        if (i.parent == null) break;
        cur = i.parent;
      }
    }
  };
  collect();
  while (missing.size) {
    const ids = [...missing];
    for (let i = 0; i < ids.length; i += 500) {
      const found: { id: number; code: string; parent_id: number | null }[] = await db('customers')
        .whereIn('id', ids.slice(i, i + 500))
        .select('id', 'code', 'parent_id');
      for (const f of found)
        info.set(Number(f.id), { code: f.code, parent: f.parent_id == null ? null : Number(f.parent_id) });
      for (const id of ids.slice(i, i + 500)) if (!info.has(id)) info.set(id, { code: '', parent: null });
    }
    collect();
  }
  for (const r of rows) {
    let cur = Number(r.id);
    let code = r.code;
    for (let depth = 0; depth < 64; depth++) {
      const i = info.get(cur);
      if (!i) break;
      code = i.code || code;
      if (i.parent == null) break;
      cur = i.parent;
    }
    result.set(Number(r.id), code);
  }
  return result;
}

/** Base query: customers with their parent's code and owner's name. */
export function customerQuery(db: Knex): Knex.QueryBuilder {
  return db('customers as c')
    .leftJoin('customers as p', 'p.id', 'c.parent_id')
    .leftJoin('users as u', 'u.id', 'c.owner_id')
    .select('c.*', 'p.code as parent_code', 'u.name as owner_name');
}

export async function toRecords(db: Knex, rows: Record<string, unknown>[]): Promise<CustomerRecord[]> {
  const first = await firstLevelCodes(
    db,
    rows.map((r) => ({
      id: Number(r.id),
      code: String(r.code),
      parent_id: r.parent_id == null ? null : Number(r.parent_id),
    })),
  );
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return rows.map((r) => ({
    id: Number(r.id),
    code: String(r.code),
    name: String(r.name),
    kind: String(r.kind),
    parentCode: s(r.parent_code),
    firstLevelCode: first.get(Number(r.id)) ?? String(r.code),
    industry: s(r.industry),
    region: s(r.region),
    address: s(r.address),
    phone: s(r.phone),
    email: s(r.email),
    source: s(r.source),
    owner: s(r.owner_name),
    grade: s(r.grade),
    gradeManual: Boolean(Number(r.grade_manual)),
    status: String(r.status),
    dealStatus: String(r.deal_status),
    lastFollowupAt: s(r.last_followup_at),
    lastDealAt: s(r.last_deal_at),
    ownedSince: s(r.owned_since),
    note: s(r.note),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  }));
}

/** Record an owner change (create, import, claim, assign, release, return, merge). */
export async function recordOwnership(
  svc: ServiceContext,
  customerId: number,
  from: number | null,
  to: number | null,
  action: string,
  reason?: string | null,
): Promise<void> {
  await svc.db('ownership_history').insert({
    customer_id: customerId,
    from_user_id: from,
    to_user_id: to,
    action,
    reason: reason ?? null,
    at: svc.clock.now().toISOString(),
    by_user_id: svc.actor.id > 0 ? svc.actor.id : null,
  });
}

export async function userIdByName(db: Knex, name: string): Promise<number> {
  const u = await db('users').where({ name }).first('id', 'status');
  if (!u) {
    throw new CrmError('E3112', { zh: `用户不存在：${name}`, en: `no such user: ${name}` }, ExitCode.usage, {
      zh: '用 "crm users list" 查看用户',
      en: 'see "crm users list"',
    });
  }
  if (u.status !== 'active') {
    throw new CrmError('E3113', { zh: `用户已停用：${name}`, en: `user is disabled: ${name}` }, ExitCode.usage);
  }
  return Number(u.id);
}

/** What a field should hold, as the refusal says it. */
export const EXPECTED = {
  email: m('电子邮箱地址', 'an email address'),
  phone: m('电话号码', 'a phone number'),
  chars: (from: number, to: number) => m(`${from}-${to} 个字符`, `${from}-${to} characters`),
  atMost: (n: number) => m(`最多 ${n} 个字符`, `at most ${n} characters`),
} as const;

/** A field's value refused: the field named in the user's language, the value, and what it should be. */
export function invalidField(field: string, value: string, expected: L10n | string, code = 'E3151'): CrmError {
  const want = typeof expected === 'string' ? { zh: expected, en: expected } : expected;
  return new CrmError(
    code,
    {
      zh: `${wordFor('zh', FIELD, field)}无效："${value}"（应为${want.zh}）`,
      en: `invalid ${field} "${value}" (expected ${want.en})`,
    },
    ExitCode.usage,
  );
}
