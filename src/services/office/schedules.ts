/**
 * Schedules (日程): entries with a start and an end (UTC instants, typed in the business time zone), all-day
 * entries (whole business days), participants who see shared entries, a place, a customer link and a reminder
 * offset. `exportCalendar` writes them as iCalendar (RFC 5545) with absolute UTC times, so Outlook, Apple and
 * Google calendars show the right time whatever time zone the machine that wrote the file had.
 */
import icalGenerator from 'ical-generator';
import { addDays, businessDate, dayOfWeek, isValidDate, zonedDateTime } from '../../domain/clock.js';
import { ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { userIdByName } from '../customers/common.js';
import { scopeUserIds } from '../users.js';
import {
  customerLink,
  OfficeErrors,
  officeError,
  parseOfficeDate,
  parseOfficeTime,
  type Row,
  readCap,
  str,
  targetUsers,
  timeZoneOf,
  writeCap,
} from './common.js';

export interface ScheduleInput {
  title: string;
  start: string;
  end?: string;
  allDay?: boolean;
  participants?: string[];
  place?: string;
  customer?: string;
  /** Minutes before the start to remind (also the VALARM of the exported file). */
  remind?: string;
  note?: string;
}

export interface ScheduleRecord {
  id: number;
  title: string;
  start: string;
  end: string;
  allDay: boolean;
  place: string | null;
  customerCode: string | null;
  remindMinutes: number | null;
  owner: string;
  participants: string[];
  status: 'active' | 'cancelled';
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

function badReminder(value: string) {
  return officeError(
    OfficeErrors.badReminder,
    m(
      `提醒时间无效："${value}"（开始前的分钟数，例如 15）`,
      `invalid reminder "${value}" (minutes before the start, e.g. 15)`,
    ),
  );
}

function parseRemind(value: string | undefined): number | null {
  if (value === undefined) return null;
  const v = value.trim().toLowerCase();
  const mm = /^(\d{1,5})\s*(m|min|分钟)?$/.exec(v);
  const hh = /^(\d{1,3})\s*(h|小时)$/.exec(v);
  const n = mm ? Number(mm[1]) : hh ? Number(hh[1]) * 60 : Number.NaN;
  if (!Number.isSafeInteger(n) || n > 60 * 24 * 14) throw badReminder(value);
  return n;
}

/** Start and end as instants: all-day entries span whole business days (the end date included). */
function resolveTimes(
  input: { start: string; end?: string; allDay?: boolean },
  tz: string,
): { start: Date; end: Date } {
  if (input.allDay) {
    const startDate = input.start.trim().slice(0, 10);
    const endDate = (input.end ?? input.start).trim().slice(0, 10);
    for (const [d, flag] of [
      [startDate, '--start'],
      [endDate, '--end'],
    ] as const) {
      if (!isValidDate(d)) {
        throw officeError(
          OfficeErrors.badTime,
          m(`${flag} 日期无效："${d}"`, `${flag}: invalid date "${d}"`),
          ExitCode.usage,
          m('全天日程写日期 YYYY-MM-DD', 'an all-day entry takes dates YYYY-MM-DD'),
        );
      }
    }
    const start = zonedDateTime(startDate, '00:00', tz);
    const end = zonedDateTime(addDays(endDate, 1), '00:00', tz);
    checkOrder(start, end, input);
    return { start, end };
  }
  const start = parseOfficeTime(input.start, tz, '--start');
  const end = input.end ? parseOfficeTime(input.end, tz, '--end', '18:00') : new Date(start.getTime() + 3_600_000);
  checkOrder(start, end, input);
  return { start, end };
}

function checkOrder(start: Date, end: Date, input: { start: string; end?: string }): void {
  if (end.getTime() <= start.getTime()) {
    throw officeError(
      OfficeErrors.endBeforeStart,
      m(
        `结束时间 ${input.end} 不晚于开始时间 ${input.start}`,
        `the end ${input.end} is not after the start ${input.start}`,
      ),
      ExitCode.usage,
      m('结束时间须晚于开始时间', 'give an end after the start'),
    );
  }
}

function scheduleQuery(svc: ServiceContext) {
  return svc
    .db('schedules as s')
    .join('users as o', 'o.id', 's.owner_id')
    .leftJoin('customers as c', 'c.id', 's.customer_id')
    .select('s.*', 'o.name as owner_name', 'c.code as customer_code');
}

async function toRecords(svc: ServiceContext, rows: Row[]): Promise<ScheduleRecord[]> {
  const ids = rows.map((r) => Number(r.id));
  const people = new Map<number, string[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const found: { schedule_id: number; name: string }[] = await svc
      .db('schedule_participants as p')
      .join('users as u', 'u.id', 'p.user_id')
      .whereIn('p.schedule_id', ids.slice(i, i + 500))
      .orderBy('u.name')
      .select('p.schedule_id', 'u.name');
    for (const f of found) people.set(Number(f.schedule_id), [...(people.get(Number(f.schedule_id)) ?? []), f.name]);
  }
  return rows.map((r) => ({
    id: Number(r.id),
    title: String(r.title),
    start: String(r.start_at),
    end: String(r.end_at),
    allDay: Boolean(Number(r.all_day)),
    place: str(r.place),
    customerCode: str(r.customer_code),
    remindMinutes: r.remind_minutes == null ? null : Number(r.remind_minutes),
    owner: String(r.owner_name),
    participants: people.get(Number(r.id)) ?? [],
    status: String(r.status) as 'active' | 'cancelled',
    note: str(r.note),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  }));
}

function notFound(id: number) {
  return officeError(
    OfficeErrors.scheduleNotFound,
    m(`日程不存在：${id}`, `no such schedule entry: ${id}`),
    ExitCode.noData,
    m('用 "crm schedule list --week today" 查看日程', 'see "crm schedule list --week today"'),
  );
}

/** An entry the actor may see: owned or shared with someone in their scope. */
async function loadSchedule(svc: ServiceContext, id: number): Promise<ScheduleRecord> {
  const row = await scheduleQuery(svc).where('s.id', id).first();
  if (!row) throw notFound(id);
  const [rec] = await toRecords(svc, [row]);
  const scope = await scopeUserIds(svc);
  if (scope !== null) {
    const pids: number[] = (await svc.db('schedule_participants').where({ schedule_id: id }).select('user_id')).map(
      (p: { user_id: number }) => Number(p.user_id),
    );
    if (!scope.includes(Number(row.owner_id)) && !pids.some((p) => scope.includes(p))) throw notFound(id);
  }
  return rec!;
}

async function requireOwner(svc: ServiceContext, id: number): Promise<ScheduleRecord> {
  writeCap(svc);
  const rec = await loadSchedule(svc, id);
  const row = (await svc.db('schedules').where({ id }).first('owner_id')) as Row;
  const scope = await scopeUserIds(svc);
  const ok =
    Number(row.owner_id) === svc.actor.id ||
    (scope === null ? svc.actor.role === 'admin' : scope.includes(Number(row.owner_id)));
  if (!ok) {
    throw officeError(
      OfficeErrors.scheduleNotYours,
      m(
        `日程 ${id} 属于 ${rec.owner}，只有本人或其上级可以修改`,
        `schedule entry ${id} belongs to ${rec.owner}; only they or their manager may change it`,
      ),
      ExitCode.permission,
    );
  }
  return rec;
}

export async function addSchedule(svc: ServiceContext, input: ScheduleInput): Promise<ScheduleRecord> {
  writeCap(svc);
  const title = input.title?.trim() ?? '';
  if (!title) throw officeError(OfficeErrors.emptyTitle, m('日程标题不能为空', 'the title is empty'));
  const tz = await timeZoneOf(svc);
  const { start, end } = resolveTimes(input, tz);
  const remind = parseRemind(input.remind);
  return inTransaction(svc, async (tx) => {
    const customerId = input.customer ? (await customerLink(tx, input.customer)).id : null;
    const pids = [...new Set(await Promise.all((input.participants ?? []).map((n) => userIdByName(tx.db, n))))].filter(
      (p) => p !== tx.actor.id,
    );
    const now = nowIso(tx.clock);
    const [id] = await tx.db('schedules').insert({
      title: title.slice(0, 200),
      start_at: start.toISOString(),
      end_at: end.toISOString(),
      all_day: Boolean(input.allDay),
      place: input.place?.trim() || null,
      customer_id: customerId,
      remind_minutes: remind,
      owner_id: tx.actor.id,
      status: 'active',
      note: input.note?.trim() || null,
      created_at: now,
      updated_at: now,
    });
    for (const p of pids) await tx.db('schedule_participants').insert({ schedule_id: Number(id), user_id: p });
    const rec = await loadSchedule(tx, Number(id));
    await audit(tx, { action: 'schedule.add', entity: 'schedule', entityId: Number(id), after: rec });
    return rec;
  });
}

export interface ScheduleRange {
  /** A day 'YYYY-MM-DD' (or today). */
  day?: string;
  /** Any day of a week (Monday to Sunday). */
  week?: string;
  from?: string;
  to?: string;
  for?: string;
  /** Include cancelled entries. */
  all?: boolean;
}

export interface ScheduleView {
  from: string;
  to: string;
  users: string[];
  entries: ScheduleRecord[];
}

/** The dates a view covers: a day, the Monday–Sunday week around a date, or from–to. */
async function rangeOf(svc: ServiceContext, r: ScheduleRange): Promise<{ from: string; to: string }> {
  if (r.week) {
    const d = await parseOfficeDate(svc, r.week, '--week');
    const monday = addDays(d, -((dayOfWeek(d) + 6) % 7));
    return { from: monday, to: addDays(monday, 6) };
  }
  if (r.from || r.to) {
    const from = await parseOfficeDate(svc, r.from, '--from');
    const to = r.to ? await parseOfficeDate(svc, r.to, '--to') : addDays(from, 30);
    return { from, to };
  }
  const d = await parseOfficeDate(svc, r.day, '--day');
  return { from: d, to: d };
}

/** Entries of the user (owned or shared with them) overlapping the dates, by start time. */
export async function listSchedule(svc: ServiceContext, r: ScheduleRange = {}): Promise<ScheduleView> {
  readCap(svc);
  const tz = await timeZoneOf(svc);
  const { from, to } = await rangeOf(svc, r);
  const target = await targetUsers(svc, { for: r.for });
  const who = target.ids[0]!;
  const q = scheduleQuery(svc)
    .where('s.start_at', '<', zonedDateTime(addDays(to, 1), '00:00', tz).toISOString())
    .where('s.end_at', '>', zonedDateTime(from, '00:00', tz).toISOString())
    .where((w) =>
      w.where('s.owner_id', who).orWhereExists(function () {
        this.from('schedule_participants as p').whereRaw('p.schedule_id = s.id').where('p.user_id', who);
      }),
    )
    .orderBy('s.start_at')
    .orderBy('s.id');
  if (!r.all) q.where('s.status', 'active');
  return { from, to, users: target.names, entries: await toRecords(svc, await q) };
}

export async function showSchedule(svc: ServiceContext, id: number): Promise<ScheduleRecord> {
  readCap(svc);
  return loadSchedule(svc, id);
}

export type ScheduleEdit = Partial<Omit<ScheduleInput, 'participants'>> & { addParticipants?: string[] };

export async function editSchedule(svc: ServiceContext, id: number, input: ScheduleEdit): Promise<ScheduleRecord> {
  const tz = await timeZoneOf(svc);
  return inTransaction(svc, async (tx) => {
    const before = await requireOwner(tx, id);
    if (before.status === 'cancelled') {
      throw officeError(
        OfficeErrors.scheduleCancelled,
        m(`日程 ${id} 已取消`, `schedule entry ${id} is cancelled`),
        ExitCode.conflict,
        m('已取消的日程不能再修改；需要时请新建一条', 'a cancelled entry cannot change; add a new one if needed'),
      );
    }
    const patch: Row = { updated_at: nowIso(tx.clock) };
    if (input.title !== undefined) patch.title = input.title.trim().slice(0, 200);
    if (input.start !== undefined || input.end !== undefined || input.allDay !== undefined) {
      const allDay = input.allDay ?? before.allDay;
      const startText = input.start ?? (allDay ? businessDate(new Date(before.start), tz) : before.start);
      const endText =
        input.end ??
        (allDay
          ? businessDate(new Date(new Date(before.end).getTime() - 1), tz)
          : input.start !== undefined
            ? undefined
            : before.end);
      const { start, end } = resolveTimes({ start: startText, end: endText, allDay }, tz);
      Object.assign(patch, { start_at: start.toISOString(), end_at: end.toISOString(), all_day: allDay });
    }
    if (input.place !== undefined) patch.place = input.place.trim() || null;
    if (input.customer !== undefined) patch.customer_id = (await customerLink(tx, input.customer)).id;
    if (input.remind !== undefined) patch.remind_minutes = parseRemind(input.remind);
    if (input.note !== undefined) patch.note = input.note.trim() || null;
    await tx.db('schedules').where({ id }).update(patch);
    for (const n of input.addParticipants ?? []) {
      const uid = await userIdByName(tx.db, n);
      if (!(await tx.db('schedule_participants').where({ schedule_id: id, user_id: uid }).first())) {
        await tx.db('schedule_participants').insert({ schedule_id: id, user_id: uid });
      }
    }
    const after = await loadSchedule(tx, id);
    await audit(tx, { action: 'schedule.edit', entity: 'schedule', entityId: id, before, after });
    return after;
  });
}

export async function cancelSchedule(svc: ServiceContext, id: number): Promise<ScheduleRecord> {
  return inTransaction(svc, async (tx) => {
    const before = await requireOwner(tx, id);
    if (before.status === 'cancelled') {
      throw officeError(
        OfficeErrors.scheduleCancelled,
        m(`日程 ${id} 已经取消`, `schedule entry ${id} is already cancelled`),
        ExitCode.conflict,
        m('已取消的日程不能再修改；需要时请新建一条', 'a cancelled entry cannot change; add a new one if needed'),
      );
    }
    await tx
      .db('schedules')
      .where({ id })
      .update({ status: 'cancelled', updated_at: nowIso(tx.clock) });
    const after = await loadSchedule(tx, id);
    await audit(tx, { action: 'schedule.cancel', entity: 'schedule', entityId: id, before, after });
    return after;
  });
}

/**
 * The entries as an iCalendar file: timed entries in UTC (`DTSTART:20261124T063000Z`), all-day entries as
 * dates (`DTSTART;VALUE=DATE:20261124`), a VALARM for the reminder, and a stable UID per entry so a calendar
 * that imports the file twice updates instead of duplicating. Nothing here reads the machine's time zone.
 */
export function calendarText(
  entries: ScheduleRecord[],
  opts: { name: string; tz: string; now: Date; host?: string },
): string {
  const cal = icalGenerator({ name: opts.name, prodId: { company: 'crm', product: 'crm', language: 'ZH' } });
  for (const e of entries) {
    const allDayDate = (iso: string) => new Date(`${businessDate(new Date(iso), opts.tz)}T00:00:00Z`);
    const event = cal.createEvent({
      id: `schedule-${e.id}@${opts.host ?? 'crm'}`,
      start: e.allDay ? allDayDate(e.start) : new Date(e.start),
      end: e.allDay ? allDayDate(e.end) : new Date(e.end),
      allDay: e.allDay,
      stamp: opts.now,
      summary: e.title,
      location: e.place ?? undefined,
      description:
        [e.customerCode ? `客户 customer: ${e.customerCode}` : '', e.note ?? ''].filter(Boolean).join('\n') ||
        undefined,
    });
    if (e.remindMinutes !== null) event.createAlarm({ type: 'display' as never, trigger: e.remindMinutes * 60 });
  }
  return cal.toString();
}

/** The user's entries in a range, as iCalendar text. */
export async function exportCalendar(svc: ServiceContext, r: ScheduleRange): Promise<{ text: string; count: number }> {
  const view = await listSchedule(svc, r.from || r.to || r.day || r.week ? r : { ...r, from: 'today' });
  const tz = await timeZoneOf(svc);
  return {
    text: calendarText(view.entries, { name: `crm ${view.users.join(',')}`, tz, now: svc.clock.now() }),
    count: view.entries.length,
  };
}
