/**
 * Customer visits (客户拜访), after the seed's forms (区域拜访计划, 拜访记录表, 拜访日报表): a plan names the
 * customer, the date and the purpose (a 初次拜访 first / b 处理问题 problem / c 建立关系 relationship); a report
 * records the result (A 商谈成功 B 有希望 C 再度访问 D 无希望 E 继续观察), notes, problems handled and left open,
 * the next date and an expense, and records a follow-up on the customer through the follow-ups service (the
 * same code path as `crm followups add`, so the pool's clock restarts).
 */
import { compareDates, zonedDateTime } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { type L10n, m } from '../../domain/i18n.js';
import { parseYuan, yuanString } from '../../domain/money.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { userIdByName } from '../customers/common.js';
import { addFollowup } from '../customers/followups.js';
import { scopeUserIds } from '../users.js';
import {
  customerLink,
  OfficeErrors,
  officeError,
  parseOfficeDate,
  type Row,
  readCap,
  str,
  targetUsers,
  timeZoneOf,
  todayOf,
  writeCap,
} from './common.js';

export const PURPOSES = ['first', 'problem', 'relationship'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const RESULTS = ['A', 'B', 'C', 'D', 'E'] as const;
export type VisitResult = (typeof RESULTS)[number];

export const PURPOSE_LABEL: Record<Purpose, L10n> = {
  first: m('a 初次拜访', 'a first visit'),
  problem: m('b 处理问题', 'b handle a problem'),
  relationship: m('c 建立关系', 'c build the relationship'),
};
export const RESULT_LABEL: Record<VisitResult, L10n> = {
  A: m('A 商谈成功', 'A agreed'),
  B: m('B 有希望', 'B promising'),
  C: m('C 再度访问', 'C visit again'),
  D: m('D 无希望', 'D no prospect'),
  E: m('E 继续观察', 'E keep watching'),
};

const PURPOSE_ALIAS: Record<string, Purpose> = {
  a: 'first',
  b: 'problem',
  c: 'relationship',
  初次拜访: 'first',
  处理问题: 'problem',
  建立关系: 'relationship',
};

export interface VisitRecord {
  id: number;
  customerCode: string;
  customerName: string;
  user: string;
  companion: string | null;
  date: string;
  purpose: Purpose;
  status: 'planned' | 'reported' | 'cancelled';
  result: VisitResult | null;
  notes: string | null;
  problemsHandled: string | null;
  problemsOpen: string | null;
  next: string | null;
  /** Yuan string "123.00" (JSON contract); the fen are in `expenseFen`. */
  expense: string;
  expenseFen: number;
  expenseItem: string | null;
  followupId: number | null;
  reportedAt: string | null;
}

function parsePurpose(p: string | undefined): Purpose {
  const v = (p ?? 'relationship').trim();
  const found = (PURPOSES as readonly string[]).includes(v.toLowerCase())
    ? (v.toLowerCase() as Purpose)
    : PURPOSE_ALIAS[v.toLowerCase()];
  if (!found) {
    throw officeError(
      OfficeErrors.badPurpose,
      m(
        `拜访目的无效：${p}（可选：first 初次拜访、problem 处理问题、relationship 建立关系）`,
        `invalid visit purpose: ${p} (one of first, problem, relationship)`,
      ),
    );
  }
  return found;
}

function parseResult(r: string): VisitResult {
  const v = r.trim().toUpperCase();
  if (!(RESULTS as readonly string[]).includes(v)) {
    throw officeError(
      OfficeErrors.badResult,
      m(
        `拜访结果无效：${r}（A 商谈成功 B 有希望 C 再度访问 D 无希望 E 继续观察）`,
        `invalid visit result: ${r} (A agreed, B promising, C visit again, D no prospect, E keep watching)`,
      ),
    );
  }
  return v as VisitResult;
}

function visitQuery(svc: ServiceContext) {
  return svc
    .db('visits as v')
    .join('customers as c', 'c.id', 'v.customer_id')
    .join('users as u', 'u.id', 'v.user_id')
    .leftJoin('users as w', 'w.id', 'v.companion_id')
    .select(
      'v.*',
      'c.code as customer_code',
      'c.name as customer_name',
      'u.name as user_name',
      'w.name as companion_name',
    );
}

function toRecord(r: Row): VisitRecord {
  const fen = Number(r.expense_fen ?? 0);
  return {
    id: Number(r.id),
    customerCode: String(r.customer_code),
    customerName: String(r.customer_name),
    user: String(r.user_name),
    companion: str(r.companion_name),
    date: String(r.planned_date),
    purpose: String(r.purpose) as Purpose,
    status: String(r.status) as VisitRecord['status'],
    result: (str(r.result) as VisitResult | null) ?? null,
    notes: str(r.notes),
    problemsHandled: str(r.problems_handled),
    problemsOpen: str(r.problems_open),
    next: str(r.next_date),
    expense: yuanString(fen),
    expenseFen: fen,
    expenseItem: str(r.expense_item),
    followupId: r.followup_id == null ? null : Number(r.followup_id),
    reportedAt: str(r.reported_at),
  };
}

async function loadVisit(svc: ServiceContext, id: number): Promise<{ rec: VisitRecord; row: Row }> {
  const row = await visitQuery(svc).where('v.id', id).first();
  const scope = row ? await scopeUserIds(svc) : null;
  if (!row || (scope !== null && !scope.includes(Number(row.user_id)))) {
    throw officeError(
      OfficeErrors.visitNotFound,
      m(`拜访不存在：${id}`, `no such visit: ${id}`),
      ExitCode.noData,
      m('用 "crm visits list" 查看拜访编号', 'see "crm visits list" for visit ids'),
    );
  }
  return { rec: toRecord(row), row };
}

export interface PlanVisitInput {
  customer: string;
  date?: string;
  purpose?: string;
  with?: string;
  notes?: string;
}

export async function planVisit(svc: ServiceContext, input: PlanVisitInput): Promise<VisitRecord> {
  writeCap(svc);
  const date = await parseOfficeDate(svc, input.date, '--date');
  const purpose = parsePurpose(input.purpose);
  return inTransaction(svc, async (tx) => {
    const c = await customerLink(tx, input.customer);
    const companion = input.with ? await userIdByName(tx.db, input.with) : null;
    const now = nowIso(tx.clock);
    const [id] = await tx.db('visits').insert({
      customer_id: c.id,
      user_id: tx.actor.id,
      companion_id: companion,
      planned_date: date,
      purpose,
      status: 'planned',
      notes: input.notes?.trim() || null,
      expense_fen: 0,
      created_at: now,
      updated_at: now,
    });
    const { rec } = await loadVisit(tx, Number(id));
    await audit(tx, { action: 'visits.plan', entity: 'visit', entityId: Number(id), after: rec });
    return rec;
  });
}

export interface ReportVisitInput {
  result: string;
  notes?: string;
  handled?: string;
  open?: string;
  /** The next visit or follow-up date (the follow-up's next time). */
  next?: string;
  /** Yuan. */
  expense?: string;
  expenseItem?: string;
}

export async function reportVisit(svc: ServiceContext, id: number, input: ReportVisitInput): Promise<VisitRecord> {
  writeCap(svc);
  const result = parseResult(input.result);
  let expenseFen = 0;
  if (input.expense !== undefined) {
    try {
      expenseFen = parseYuan(input.expense, { field: '--expense' });
    } catch (err) {
      throw officeError(
        OfficeErrors.badExpense,
        m(`费用金额无效："${input.expense}"`, `invalid expense "${input.expense}"`),
        ExitCode.usage,
        err instanceof CrmError ? err.messages : undefined,
      );
    }
  }
  const tz = await timeZoneOf(svc);
  const today = await todayOf(svc);
  const next = input.next ? await parseOfficeDate(svc, input.next, '--next') : null;
  return inTransaction(svc, async (tx) => {
    const { rec: before, row } = await loadVisit(tx, id);
    if (Number(row.user_id) !== tx.actor.id) {
      throw officeError(
        OfficeErrors.visitNotYours,
        m(
          `拜访 ${id} 是 ${before.user} 的，只能由本人填报`,
          `visit ${id} is ${before.user}'s; only they may report it`,
        ),
        ExitCode.permission,
        m('用 "crm visits list" 查看自己的拜访', 'see your own visits with "crm visits list"'),
      );
    }
    if (before.status !== 'planned') {
      throw officeError(
        OfficeErrors.visitState,
        m(`拜访 ${id} 已${before.status === 'reported' ? '填报' : '取消'}`, `visit ${id} is already ${before.status}`),
        ExitCode.conflict,
        m(
          '用 "crm visits show ID" 查看；另一次拜访请用 "crm visits plan" 计划',
          'see "crm visits show ID"; plan another visit with "crm visits plan"',
        ),
      );
    }
    if (compareDates(before.date, today) > 0) {
      throw officeError(
        OfficeErrors.visitFuture,
        m(
          `拜访 ${id} 计划在 ${before.date}，还没有到（今天 ${today}）`,
          `visit ${id} is planned for ${before.date}, which has not come yet (today is ${today})`,
        ),
        ExitCode.usage,
        m('拜访之后再填报；改期请重新计划', 'report it after the visit; to move it, plan it again'),
      );
    }
    // The follow-up: when the visit happened (its day, 09:00, or now if that is still ahead), by the same
    // service as `crm followups add`.
    const planned = zonedDateTime(before.date, '09:00', tz);
    const at = planned.getTime() > tx.clock.now().getTime() ? tx.clock.now() : planned;
    if (next && compareDates(next, before.date) <= 0) {
      throw officeError(
        OfficeErrors.badDate,
        m(
          `--next ${next} 须晚于拜访日期 ${before.date}`,
          `--next ${next} must come after the visit date ${before.date}`,
        ),
      );
    }
    const content = [
      `${tr2(PURPOSE_LABEL[before.purpose])}；${tr2(RESULT_LABEL[result])}`,
      input.notes?.trim(),
      input.handled?.trim() ? `已处理：${input.handled.trim()}` : '',
      input.open?.trim() ? `待处理：${input.open.trim()}` : '',
    ]
      .filter(Boolean)
      .join('；');
    const followup = await addFollowup(tx, {
      customer: before.customerCode,
      method: 'visit',
      content: `拜访 ${content}`,
      at: at.toISOString(),
      next: next ?? undefined,
    });
    await tx
      .db('visits')
      .where({ id })
      .update({
        status: 'reported',
        result,
        notes: input.notes?.trim() || before.notes,
        problems_handled: input.handled?.trim() || null,
        problems_open: input.open?.trim() || null,
        next_date: next,
        expense_fen: expenseFen,
        expense_item: input.expenseItem?.trim() || null,
        followup_id: followup.id,
        reported_at: nowIso(tx.clock),
        updated_at: nowIso(tx.clock),
      });
    const { rec: after } = await loadVisit(tx, id);
    await audit(tx, { action: 'visits.report', entity: 'visit', entityId: id, before, after });
    return after;
  });
}

/** The follow-up's content is data (read by everyone in the customer's history): the form's Chinese labels. */
const tr2 = (l: L10n) => l.zh;

export async function cancelVisit(svc: ServiceContext, id: number): Promise<VisitRecord> {
  writeCap(svc);
  return inTransaction(svc, async (tx) => {
    const { rec: before, row } = await loadVisit(tx, id);
    if (Number(row.user_id) !== tx.actor.id) {
      throw officeError(
        OfficeErrors.visitNotYours,
        m(
          `拜访 ${id} 是 ${before.user} 的，只能由本人取消`,
          `visit ${id} is ${before.user}'s; only they may cancel it`,
        ),
        ExitCode.permission,
      );
    }
    if (before.status !== 'planned') {
      throw officeError(
        OfficeErrors.visitState,
        m(`拜访 ${id} 已${before.status === 'reported' ? '填报' : '取消'}`, `visit ${id} is already ${before.status}`),
        ExitCode.conflict,
        m(
          '用 "crm visits show ID" 查看；另一次拜访请用 "crm visits plan" 计划',
          'see "crm visits show ID"; plan another visit with "crm visits plan"',
        ),
      );
    }
    await tx
      .db('visits')
      .where({ id })
      .update({ status: 'cancelled', updated_at: nowIso(tx.clock) });
    const { rec: after } = await loadVisit(tx, id);
    await audit(tx, { action: 'visits.cancel', entity: 'visit', entityId: id, before, after });
    return after;
  });
}

export interface VisitQuery {
  for?: string;
  team?: boolean;
  from?: string;
  to?: string;
  status?: string;
}

export async function listVisits(svc: ServiceContext, q: VisitQuery = {}): Promise<VisitRecord[]> {
  readCap(svc);
  const target = await targetUsers(svc, q);
  const query = visitQuery(svc).whereIn('v.user_id', target.ids);
  if (q.from) query.where('v.planned_date', '>=', await parseOfficeDate(svc, q.from, '--from'));
  if (q.to) query.where('v.planned_date', '<=', await parseOfficeDate(svc, q.to, '--to'));
  if (q.status) query.where('v.status', q.status);
  query.orderBy('v.planned_date').orderBy('v.id');
  return (await query).map(toRecord);
}

export async function showVisit(svc: ServiceContext, id: number): Promise<VisitRecord> {
  readCap(svc);
  return (await loadVisit(svc, id)).rec;
}

/** The 拜访日报表 of one user and day: every visit planned for that day, with results and expenses. */
export interface VisitDaily {
  date: string;
  user: string;
  visits: VisitRecord[];
  expenseTotalFen: number;
}

export async function visitsDaily(svc: ServiceContext, opts: { date?: string; for?: string }): Promise<VisitDaily> {
  readCap(svc);
  const date = await parseOfficeDate(svc, opts.date, '--date');
  const target = await targetUsers(svc, { for: opts.for });
  const visits = (
    await visitQuery(svc)
      .where('v.user_id', target.ids[0]!)
      .where('v.planned_date', date)
      .whereNot('v.status', 'cancelled')
      .orderBy('v.id')
  ).map(toRecord);
  return { date, user: target.names[0]!, visits, expenseTotalFen: visits.reduce((s, v) => s + v.expenseFen, 0) };
}

/** Per user: visits planned and reported in a period, by purpose and by result, and their expenses. */
export interface VisitStatsRow {
  user: string;
  planned: number;
  reported: number;
  unreported: number;
  first: number;
  problem: number;
  relationship: number;
  A: number;
  B: number;
  C: number;
  D: number;
  E: number;
  expenseFen: number;
}

export async function visitStats(
  svc: ServiceContext,
  opts: { from?: string; to?: string; period?: string; owner?: string; team?: string },
): Promise<{ from: string; to: string; rows: VisitStatsRow[] }> {
  readCap(svc);
  const today = await todayOf(svc);
  // The reports' own period and owner rules (--period, --owner, --team within the actor's scope).
  const { resolvePeriod } = await import('../../reports/common.js');
  const { reportOwners } = await import('../reports/index.js');
  const { from, to } = resolvePeriod(opts, today);
  const ids = await reportOwners(svc, opts);
  const q = visitQuery(svc)
    .where('v.planned_date', '>=', from)
    .where('v.planned_date', '<=', to)
    .whereNot('v.status', 'cancelled');
  if (ids !== null) q.whereIn('v.user_id', ids);
  const by = new Map<string, VisitStatsRow>();
  for (const v of (await q).map(toRecord)) {
    const r =
      by.get(v.user) ??
      ({
        user: v.user,
        planned: 0,
        reported: 0,
        unreported: 0,
        first: 0,
        problem: 0,
        relationship: 0,
        A: 0,
        B: 0,
        C: 0,
        D: 0,
        E: 0,
        expenseFen: 0,
      } as VisitStatsRow);
    r.planned += 1;
    if (v.status === 'reported') r.reported += 1;
    else if (compareDates(v.date, today) < 0) r.unreported += 1;
    r[v.purpose] += 1;
    if (v.result) r[v.result] += 1;
    r.expenseFen += v.expenseFen;
    by.set(v.user, r);
  }
  return { from, to, rows: [...by.values()].sort((a, b) => a.user.localeCompare(b.user)) };
}
