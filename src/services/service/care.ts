/**
 * Care plans (客户关怀): rules that make a care contact due, such as "every grade A customer each quarter" or
 * "the anniversary of a customer's first order". The daily `care-plans` job (`createCareContacts`) creates the
 * due ones as planned follow-ups of the customer's owner (the follow-ups service), each recorded in
 * `care_contacts`, unique per plan, customer and period: a rerun, a catch-up or two processes create nothing twice.
 */
import { addDays, businessDate, parseDateArg, zonedDateTime } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { can, requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { type Method, parseMethod, planFollowup } from '../customers/followups.js';
import { isUniqueViolation } from '../orders/common.js';
import { scopeUserIds } from '../users.js';
import { readCap, str } from './common.js';

export const CARE_RULES = ['periodic', 'anniversary'] as const;
export const CARE_EVERY = ['month', 'quarter', 'year'] as const;
type Every = (typeof CARE_EVERY)[number];

/** An anniversary found up to this many days late (the job was down) is still created. */
export const ANNIVERSARY_GRACE_DAYS = 7;

export interface CarePlanInput {
  name: string;
  rule: string;
  every?: string;
  grade?: string;
  method?: string;
}

export interface CarePlan {
  id: number;
  name: string;
  rule: 'periodic' | 'anniversary';
  every: Every | null;
  grade: string | null;
  method: string;
  active: boolean;
  createdAt: string;
}

const toPlan = (r: Record<string, unknown>): CarePlan => ({
  id: Number(r.id),
  name: String(r.name),
  rule: String(r.rule) as CarePlan['rule'],
  every: (str(r.every) as Every | null) ?? null,
  grade: str(r.grade),
  method: String(r.method),
  active: Boolean(Number(r.active)),
  createdAt: String(r.created_at),
});

function careError(zh: string, en: string, hint?: { zh: string; en: string }): CrmError {
  return new CrmError('E4130', { zh, en }, ExitCode.usage, hint);
}

const manageCap = (svc: ServiceContext) =>
  requireCapability(svc.actor, 'crm.approve', { zh: '管理客户关怀计划', en: 'manage care plans' });

export async function addCarePlan(svc: ServiceContext, input: CarePlanInput): Promise<CarePlan> {
  manageCap(svc);
  const name = input.name?.trim() ?? '';
  if (!name) throw careError('关怀计划名称不能为空', 'the care plan name is empty');
  const rule = input.rule?.trim() as CarePlan['rule'];
  if (!CARE_RULES.includes(rule)) {
    throw careError(`关怀规则无效：${input.rule}`, `unknown care rule: ${input.rule}`, {
      zh: 'periodic（周期，配 --every month|quarter|year [--grade A]）或 anniversary（首单周年）',
      en: 'periodic (with --every month|quarter|year [--grade A]) or anniversary (of the first order)',
    });
  }
  let every: Every | null = null;
  if (rule === 'periodic') {
    every = (input.every?.trim() ?? '') as Every;
    if (!CARE_EVERY.includes(every))
      throw careError(`周期无效：${input.every ?? '（未给）'}`, `invalid --every: ${input.every ?? '(none)'}`, {
        zh: '可选：month、quarter、year',
        en: 'one of month, quarter, year',
      });
  } else if (input.every) {
    throw careError('周年规则不带 --every', 'an anniversary plan takes no --every');
  }
  const grade = input.grade ? input.grade.trim().toUpperCase() : null;
  if (grade && !/^[A-E]$/.test(grade)) throw careError(`客户等级无效：${input.grade}`, `invalid grade ${input.grade}`);
  const method: Method = parseMethod(input.method ?? 'phone');
  return inTransaction(svc, async (tx) => {
    const [id] = await tx.db('care_plans').insert({
      name,
      rule,
      every,
      grade,
      method,
      active: true,
      created_by: tx.actor.id > 0 ? tx.actor.id : null,
      created_at: nowIso(tx.clock),
    });
    const plan = toPlan(await tx.db('care_plans').where({ id }).first());
    await audit(tx, { action: 'care.add', entity: 'care_plan', entityId: plan.id, after: plan });
    return plan;
  });
}

export async function setCarePlanActive(svc: ServiceContext, id: number, active: boolean): Promise<CarePlan> {
  manageCap(svc);
  return inTransaction(svc, async (tx) => {
    const row = await tx.db('care_plans').where({ id }).first();
    if (!row)
      throw new CrmError('E4131', { zh: `关怀计划不存在：${id}`, en: `no such care plan: ${id}` }, ExitCode.noData, {
        zh: '用 "crm care list" 查看',
        en: 'see "crm care list"',
      });
    await tx.db('care_plans').where({ id }).update({ active });
    const plan = toPlan(await tx.db('care_plans').where({ id }).first());
    await audit(tx, {
      action: active ? 'care.enable' : 'care.disable',
      entity: 'care_plan',
      entityId: id,
      before: toPlan(row),
      after: plan,
    });
    return plan;
  });
}

export async function listCarePlans(svc: ServiceContext): Promise<CarePlan[]> {
  readCap(svc);
  return (await svc.db('care_plans').orderBy('id')).map(toPlan);
}

/** The period a date falls in, and its first day: 2026-11 / 2026-Q4 / 2026. */
export function periodOf(date: string, every: Every): { key: string; start: string } {
  const y = date.slice(0, 4);
  const m = Number(date.slice(5, 7));
  if (every === 'month') return { key: date.slice(0, 7), start: `${date.slice(0, 7)}-01` };
  if (every === 'year') return { key: y, start: `${y}-01-01` };
  const q = Math.floor((m - 1) / 3) + 1;
  return { key: `${y}-Q${q}`, start: `${y}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01` };
}

/** This year's anniversary of `first` as seen on `date`'s year (29 February → 28 February in other years). */
export function anniversaryIn(first: string, year: number): string {
  const md = first.slice(5);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return `${year}-${md === '02-29' && !leap ? '02-28' : md}`;
}

export interface CareRunResult {
  date: string;
  created: { plan: number; customer: string; period: string; dueDate: string; owner: string }[];
  already: number;
  /** Customers without an owner: nobody to contact them (listed, not created). */
  noOwner: string[];
}

/**
 * Create the care contacts due on `date` (business date, not in the future): for a periodic plan, one per
 * matching active customer for the period containing the date; for an anniversary plan, one per customer
 * whose first-order anniversary falls within the last ANNIVERSARY_GRACE_DAYS days up to the date.
 */
export async function createCareContacts(svc: ServiceContext, opts: { date: string }): Promise<CareRunResult> {
  if (!can(svc.actor, 'jobs.run') && !can(svc.actor, 'crm.approve'))
    requireCapability(svc.actor, 'jobs.run', { zh: '生成客户关怀', en: 'create care contacts' });
  const date = parseDateArg(opts.date, '--date');
  const tz = await svc.settings.get<string>('timezone');
  const today = businessDate(svc.clock.now(), tz);
  if (date > today) {
    throw new CrmError(
      'E4132',
      { zh: `${date} 还没有到（今天是 ${today}）`, en: `${date} has not come yet (today is ${today})` },
      ExitCode.usage,
    );
  }
  const plans = (await svc.db('care_plans').where({ active: true }).orderBy('id')).map(toPlan);
  const result: CareRunResult = { date, created: [], already: 0, noOwner: [] };
  for (const plan of plans) {
    const due: {
      customerId: number;
      code: string;
      name: string;
      ownerId: number | null;
      owner: string | null;
      period: string;
      dueDate: string;
    }[] = [];
    const base = svc
      .db('customers as c')
      .leftJoin('users as u', 'u.id', 'c.owner_id')
      .where('c.status', 'active')
      .select('c.id', 'c.code', 'c.name', 'c.owner_id', 'u.name as owner_name');
    if (plan.rule === 'periodic') {
      if (plan.grade) base.where('c.grade', plan.grade);
      const p = periodOf(date, plan.every ?? 'quarter');
      for (const c of await base)
        due.push({
          customerId: Number(c.id),
          code: String(c.code),
          name: String(c.name),
          ownerId: c.owner_id == null ? null : Number(c.owner_id),
          owner: str(c.owner_name),
          period: p.key,
          dueDate: date,
        });
    } else {
      const firsts: { customer_id: number; first: string }[] = await svc
        .db('orders')
        .whereIn('status', ['approved', 'fulfilled', 'closed'])
        .whereNotNull('signed_at')
        .groupBy('customer_id')
        .select('customer_id')
        .min({ first: 'signed_at' });
      const firstOf = new Map(firsts.map((f) => [Number(f.customer_id), String(f.first)]));
      const year = Number(date.slice(0, 4));
      for (const c of await base) {
        const first = firstOf.get(Number(c.id));
        if (!first) continue;
        const ann = anniversaryIn(first, year);
        if (ann <= first || ann > date || ann < addDays(date, -ANNIVERSARY_GRACE_DAYS)) continue;
        due.push({
          customerId: Number(c.id),
          code: String(c.code),
          name: String(c.name),
          ownerId: c.owner_id == null ? null : Number(c.owner_id),
          owner: str(c.owner_name),
          period: String(year),
          dueDate: ann,
        });
      }
    }
    for (const d of due) {
      const exists = await svc
        .db('care_contacts')
        .where({ plan_id: plan.id, customer_id: d.customerId, period: d.period })
        .first('id');
      if (exists) {
        result.already += 1;
        continue;
      }
      if (d.ownerId === null) {
        result.noOwner.push(d.code);
        continue;
      }
      try {
        await inTransaction(svc, async (tx) => {
          const [cid] = await tx.db('care_contacts').insert({
            plan_id: plan.id,
            customer_id: d.customerId,
            period: d.period,
            due_date: d.dueDate,
            created_at: nowIso(tx.clock),
          });
          const f = await planFollowup(tx, {
            customerId: d.customerId,
            userId: d.ownerId!,
            method: plan.method as Method,
            content: `客户关怀 / care: ${plan.name} (${d.period})`,
            dueAt: zonedDateTime(d.dueDate, '09:00', tz),
          });
          await tx.db('care_contacts').where({ id: cid }).update({ followup_id: f.id });
          await audit(tx, {
            action: 'care.create',
            entity: 'care_contact',
            entityId: Number(cid),
            after: { plan: plan.id, customer: d.code, period: d.period, dueDate: d.dueDate, followup: f.id },
          });
        });
        result.created.push({
          plan: plan.id,
          customer: d.code,
          period: d.period,
          dueDate: d.dueDate,
          owner: d.owner ?? '',
        });
      } catch (err) {
        if (isUniqueViolation(err)) {
          result.already += 1;
          continue;
        }
        throw err;
      }
    }
  }
  return result;
}

export interface CareContact {
  plan: number;
  planName: string;
  customer: string;
  period: string;
  dueDate: string;
  owner: string | null;
  createdAt: string;
}

export async function listCareContacts(svc: ServiceContext, q: { plan?: number } = {}): Promise<CareContact[]> {
  readCap(svc);
  const query = svc
    .db('care_contacts as k')
    .join('care_plans as p', 'p.id', 'k.plan_id')
    .join('customers as c', 'c.id', 'k.customer_id')
    .leftJoin('users as u', 'u.id', 'c.owner_id')
    .orderBy([
      { column: 'k.due_date', order: 'desc' },
      { column: 'k.id', order: 'desc' },
    ])
    .select('k.*', 'p.name as plan_name', 'c.code', 'u.name as owner_name')
    .limit(500);
  if (q.plan !== undefined) query.where('k.plan_id', q.plan);
  const scope = await scopeUserIds(svc);
  if (scope !== null) query.whereIn('c.owner_id', scope);
  return (await query).map((r: Record<string, unknown>) => ({
    plan: Number(r.plan_id),
    planName: String(r.plan_name),
    customer: String(r.code),
    period: String(r.period),
    dueDate: String(r.due_date),
    owner: str(r.owner_name),
    createdAt: String(r.created_at),
  }));
}
