/**
 * What the daily-work services share: their error codes (E5100–E5199), time parsing in the business time zone,
 * user and link lookups within the actor's data scope.
 */
import type { Knex } from 'knex';
import { businessDate, isValidDate, parseLocalDateTime, zonedDateTime } from '../../domain/clock.js';
import { CrmError, ExitCode, type ExitCodeValue, type L10n } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { can, requireCapability } from '../../domain/roles.js';
import type { ServiceContext } from '../context.js';
import { userIdByName } from '../customers/common.js';
import { scopeUserIds } from '../users.js';

/** Error codes of daily work, one place so they stay unique. */
export const OfficeErrors = {
  badTime: 'E5101',
  endBeforeStart: 'E5102',
  assigneeOutOfScope: 'E5103',
  linkOutOfScope: 'E5104',
  linkNotFound: 'E5105',
  taskNotFound: 'E5110',
  taskOutOfScope: 'E5111',
  badPriority: 'E5112',
  taskState: 'E5113',
  emptyTitle: 'E5114',
  scheduleNotFound: 'E5120',
  scheduleNotYours: 'E5121',
  scheduleCancelled: 'E5122',
  badReminder: 'E5123',
  exportFailed: 'E5124',
  visitNotFound: 'E5130',
  visitNotYours: 'E5131',
  badPurpose: 'E5132',
  badResult: 'E5133',
  visitState: 'E5134',
  visitFuture: 'E5135',
  badExpense: 'E5136',
  logKind: 'E5140',
  logEmpty: 'E5141',
  logFuture: 'E5142',
  announcementNotFound: 'E5150',
  announcementEmpty: 'E5151',
  badEmail: 'E5160',
  badPhone: 'E5161',
  badLang: 'E5162',
  teamNotManager: 'E5170',
  forOutOfScope: 'E5171',
  digestRefused: 'E5180',
  digestSmtp: 'E5181',
  badDate: 'E5190',
} as const;

export function officeError(code: string, message: L10n, exit: ExitCodeValue = ExitCode.usage, hint?: L10n): CrmError {
  return new CrmError(code, message, exit, hint);
}

export type Row = Record<string, unknown>;
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export async function timeZoneOf(svc: ServiceContext): Promise<string> {
  return svc.settings.get<string>('timezone');
}

export async function todayOf(svc: ServiceContext): Promise<string> {
  return businessDate(svc.clock.now(), await timeZoneOf(svc));
}

/**
 * A time a person typed, read in the business time zone: 'YYYY-MM-DD HH:mm', an ISO instant with an offset,
 * or a date alone (`dateAlone`, default 09:00). Refused with E5101 naming the flag.
 */
export function parseOfficeTime(text: string, tz: string, flag: string, dateAlone = '09:00'): Date {
  const t = String(text).trim();
  try {
    if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return zonedDateTime(t, dateAlone, tz);
    return parseLocalDateTime(t, tz);
  } catch {
    throw officeError(
      OfficeErrors.badTime,
      m(`${flag} 时间无效："${text}"`, `${flag}: invalid time "${text}"`),
      ExitCode.usage,
      m(
        '格式为 YYYY-MM-DD HH:mm（业务时区当地时间）或 YYYY-MM-DD，例如 2026-11-24 14:30',
        'use YYYY-MM-DD HH:mm (business-local time) or YYYY-MM-DD, e.g. 2026-11-24 14:30',
      ),
    );
  }
}

/** A business date 'YYYY-MM-DD' (or `today`), refused with E5190 naming the flag. */
export async function parseOfficeDate(svc: ServiceContext, text: string | undefined, flag: string): Promise<string> {
  if (!text || text === 'today') return todayOf(svc);
  const t = text.trim();
  if (!isValidDate(t)) {
    throw officeError(
      OfficeErrors.badDate,
      m(`${flag} 日期无效："${text}"`, `${flag}: invalid date "${text}"`),
      ExitCode.usage,
      m('格式为 YYYY-MM-DD，例如 2026-11-24', 'use YYYY-MM-DD, e.g. 2026-11-24'),
    );
  }
  return t;
}

export const readCap = (svc: ServiceContext) =>
  requireCapability(svc.actor, 'crm.read', m('查看办公事项', 'read daily work'));
export const writeCap = (svc: ServiceContext) =>
  requireCapability(svc.actor, 'crm.write', m('登记办公事项', 'record daily work'));

/** A user id by name (the existing unknown-user error, E3112), and whether it falls in the actor's scope. */
export async function userInScope(svc: ServiceContext, name: string, what: L10n): Promise<number> {
  const id = await userIdByName(svc.db, name);
  const scope = await scopeUserIds(svc);
  if (scope !== null && !scope.includes(id)) {
    throw officeError(
      OfficeErrors.assigneeOutOfScope,
      m(`${what.zh}：${name} 不在你的团队范围内`, `${what.en}: ${name} is outside your team`),
      ExitCode.permission,
      m(
        '客户经理只能指定自己，经理只能指定自己团队的成员',
        'an account manager may name only themselves, a manager only people in their team',
      ),
    );
  }
  return id;
}

/** Who `--for USER` / `--team` mean for a list: one user id list, checked against the actor's scope. */
export async function targetUsers(
  svc: ServiceContext,
  opts: { for?: string; team?: boolean },
): Promise<{ ids: number[]; names: string[] }> {
  if (opts.team) {
    if (!can(svc.actor, 'crm.approve') && svc.actor.role !== 'executive') {
      throw officeError(
        OfficeErrors.teamNotManager,
        m(`${svc.actor.name} 没有团队：--team 供经理使用`, `${svc.actor.name} has no team: --team is for managers`),
        ExitCode.permission,
        m('去掉 --team 查看自己的', 'leave out --team to see your own'),
      );
    }
    const scope = await scopeUserIds(svc);
    const q = svc.db('users').where({ status: 'active' }).orderBy('name').select('id', 'name');
    if (scope !== null) q.whereIn('id', scope);
    const rows: { id: number; name: string }[] = await q;
    return { ids: rows.map((r) => Number(r.id)), names: rows.map((r) => r.name) };
  }
  if (opts.for && opts.for !== svc.actor.name) {
    const id = await userIdByName(svc.db, opts.for);
    const scope = await scopeUserIds(svc);
    if (scope !== null && !scope.includes(id)) {
      throw officeError(
        OfficeErrors.forOutOfScope,
        m(`${opts.for} 不在你的团队范围内`, `${opts.for} is outside your team`),
        ExitCode.permission,
        m('经理可以查看自己团队成员的', 'a manager may look at people in their team'),
      );
    }
    return { ids: [id], names: [opts.for] };
  }
  return { ids: [svc.actor.id], names: [svc.actor.name] };
}

/** A customer by code for a link (task, schedule, visit, log): it must exist and be in the actor's scope. */
export async function customerLink(
  svc: ServiceContext,
  code: string,
): Promise<{ id: number; code: string; name: string }> {
  const row = await svc.db('customers').where({ code }).first('id', 'code', 'name', 'owner_id', 'status');
  if (!row || row.status === 'deleted') {
    throw officeError(
      OfficeErrors.linkNotFound,
      m(`客户不存在：${code}`, `no such customer: ${code}`),
      ExitCode.usage,
      m('用 "crm customers list --search 文本" 查找客户编码', 'find the code with "crm customers list --search TEXT"'),
    );
  }
  await checkLinkScope(svc, row.owner_id, m(`客户 ${code}`, `customer ${code}`));
  return { id: Number(row.id), code: String(row.code), name: String(row.name) };
}

export async function orderLink(svc: ServiceContext, number: string): Promise<number> {
  const row = await svc.db('orders').where({ number }).first('id', 'owner_id');
  if (!row) {
    throw officeError(
      OfficeErrors.linkNotFound,
      m(`订单不存在：${number}`, `no such order: ${number}`),
      ExitCode.usage,
      m('用 "crm orders list" 查看订单号', 'see "crm orders list" for order numbers'),
    );
  }
  await checkLinkScope(svc, row.owner_id, m(`订单 ${number}`, `order ${number}`));
  return Number(row.id);
}

export async function opportunityLink(svc: ServiceContext, id: number): Promise<number> {
  const row = await svc.db('opportunities').where({ id }).first('id', 'owner_id');
  if (!row) {
    throw officeError(
      OfficeErrors.linkNotFound,
      m(`商机不存在：${id}`, `no such opportunity: ${id}`),
      ExitCode.usage,
      m('用 "crm opportunities list" 查看商机编号', 'see "crm opportunities list"'),
    );
  }
  await checkLinkScope(svc, row.owner_id, m(`商机 ${id}`, `opportunity ${id}`));
  return Number(row.id);
}

async function checkLinkScope(svc: ServiceContext, ownerId: unknown, what: L10n): Promise<void> {
  const scope = await scopeUserIds(svc);
  if (scope === null) return;
  if (ownerId != null && scope.includes(Number(ownerId))) return;
  throw officeError(
    OfficeErrors.linkOutOfScope,
    m(`${what.zh} 不在你的数据范围内，不能关联`, `${what.en} is outside your data scope; it cannot be linked`),
    ExitCode.permission,
    m('只能关联自己（经理：团队）负责的记录', 'link only records you (a manager: your team) own'),
  );
}

/** Names of users by id (for records). */
export async function userNames(db: Knex, ids: number[]): Promise<Map<number, string>> {
  const uniq = [...new Set(ids)];
  const out = new Map<number, string>();
  for (let i = 0; i < uniq.length; i += 500) {
    const rows: { id: number; name: string }[] = await db('users')
      .whereIn('id', uniq.slice(i, i + 500))
      .select('id', 'name');
    for (const r of rows) out.set(Number(r.id), r.name);
  }
  return out;
}
