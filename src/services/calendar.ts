import type { Knex } from 'knex';
import { type CalendarOverride, type ImportedYear, WorkingCalendar } from '../domain/calendar.js';
import { addDays, businessDate, dayOfWeek, isValidDate } from '../domain/clock.js';
import { CrmError, ExitCode, type L10n } from '../domain/errors.js';
import { requireCapability } from '../domain/roles.js';
import { audit } from './audit.js';
import { inTransaction, nowIso, type ServiceContext } from './context.js';

/** The working-day calendar: the package's PRC data, plus imported years and local overrides from the database. */
export async function loadCalendar(db: Knex): Promise<WorkingCalendar> {
  return new WorkingCalendar({ overrides: await overrides(db), importedYears: await importedYears(db) });
}

async function overrides(db: Knex): Promise<CalendarOverride[]> {
  return (await db('calendar_overrides').select('date', 'kind', 'reason')).map(
    (r: { date: string; kind: string; reason: string }) => ({
      date: r.date,
      kind: r.kind as CalendarOverride['kind'],
      reason: r.reason,
    }),
  );
}

async function importedYears(db: Knex): Promise<ImportedYear[]> {
  return (await db('calendar_years').select('*')).map(
    (r: { year: number; holidays_json: string; workdays_json: string }) => ({
      year: Number(r.year),
      holidays: JSON.parse(r.holidays_json),
      workdays: JSON.parse(r.workdays_json),
    }),
  );
}

function checkDate(date: string): void {
  if (!isValidDate(date)) {
    throw new CrmError(
      'E1004',
      { zh: `日期无效：${date}（应为 YYYY-MM-DD）`, en: `invalid date: ${date} (expected YYYY-MM-DD)` },
      ExitCode.usage,
    );
  }
}

/** Declare a local override: an extra working day (e.g. weekend maintenance) or an extra closure. */
export async function addOverride(ctx: ServiceContext, input: CalendarOverride): Promise<CalendarOverride> {
  requireCapability(ctx.actor, 'settings.manage', { zh: '维护工作日历', en: 'maintain the calendar' });
  checkDate(input.date);
  if (!input.reason?.trim()) {
    throw new CrmError(
      'E1103',
      { zh: '日历调整必须写明原因（--reason）', en: 'a calendar override needs a reason (--reason)' },
      ExitCode.usage,
    );
  }
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db('calendar_overrides').where({ date: input.date }).first();
    if (before) await tx.db('calendar_overrides').where({ date: input.date }).delete();
    await tx.db('calendar_overrides').insert({
      date: input.date,
      kind: input.kind,
      reason: input.reason.trim(),
      created_by: tx.actor.id || null,
      created_at: nowIso(tx.clock),
    });
    await audit(tx, {
      action: 'calendar.override',
      entity: 'calendar',
      entityId: input.date,
      before: before ?? null,
      after: input,
    });
    return input;
  });
}

export async function removeOverride(ctx: ServiceContext, date: string): Promise<boolean> {
  requireCapability(ctx.actor, 'settings.manage', { zh: '维护工作日历', en: 'maintain the calendar' });
  checkDate(date);
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db('calendar_overrides').where({ date }).first();
    if (!before) return false;
    await tx.db('calendar_overrides').where({ date }).delete();
    await audit(tx, { action: 'calendar.remove-override', entity: 'calendar', entityId: date, before });
    return true;
  });
}

export async function listOverrides(db: Knex, year?: number): Promise<CalendarOverride[]> {
  const q = db('calendar_overrides').select('date', 'kind', 'reason').orderBy('date');
  if (year) q.where('date', 'like', `${year}-%`);
  return q;
}

/** From this many days before the calendar runs out, the day's commands and jobs warn (an import takes a notice). */
export const CALENDAR_WARNING_DAYS = 60;

/** The template an admin fills in from the State Council's notice (shipped with the package). */
export const CALENDAR_TEMPLATE = 'fixtures/calendar-template.json';

export interface CalendarChange {
  date: string;
  /** Before the import: working or not, or null when the year was not covered. */
  before: boolean | null;
  after: boolean;
  reason: L10n;
}

export interface YearImport {
  year: number;
  holidays: number;
  workdays: number;
  notice: string;
  dryRun: boolean;
  /** Days whose answer changes: against the current calendar, or against a plain Monday–Friday week. */
  changes: CalendarChange[];
}

/**
 * Import a year the package does not cover. The file is JSON:
 * `{"year": 2027, "confirmed": true, "notice": "国办发明电〔2026〕…号",
 *   "holidays": {"2027-01-01": "元旦", ...}, "workdays": {"2027-02-06": "春节调休", ...}}`
 * (`workdays` lists make-up working days on weekends). Replaces an earlier import of that year.
 * `confirmed` must be true (a dry run may preview without it): the template ships with false, so nobody runs a
 * year on holidays nobody checked.
 */
export async function importYear(
  ctx: ServiceContext,
  data: unknown,
  source: string,
  opts: { dryRun?: boolean } = {},
): Promise<YearImport> {
  requireCapability(ctx.actor, 'settings.manage', { zh: '维护工作日历', en: 'maintain the calendar' });
  const year = validateYearFile(data, source, { needConfirmed: !opts.dryRun });
  const { holidays: h, workdays: w, notice } = year;
  const current = await loadCalendar(ctx.db);
  const others = await importedYears(ctx.db);
  const next = new WorkingCalendar({
    overrides: await overrides(ctx.db),
    importedYears: [...others.filter((y) => y.year !== year.year), { year: year.year, holidays: h, workdays: w }],
  });
  const changes = yearChanges(current, next, year.year);
  const result: YearImport = {
    year: year.year,
    holidays: Object.keys(h).length,
    workdays: Object.keys(w).length,
    notice,
    dryRun: Boolean(opts.dryRun),
    changes,
  };
  if (opts.dryRun) return result;
  await inTransaction(ctx, async (tx) => {
    const before = await tx.db('calendar_years').where({ year: year.year }).first();
    if (before) await tx.db('calendar_years').where({ year: year.year }).delete();
    await tx.db('calendar_years').insert({
      year: year.year,
      holidays_json: JSON.stringify(h),
      workdays_json: JSON.stringify(w),
      source: [source, notice].filter(Boolean).join(' · ').slice(0, 200),
      imported_by: tx.actor.id || null,
      imported_at: nowIso(tx.clock),
    });
    await audit(tx, {
      action: 'calendar.import',
      entity: 'calendar',
      entityId: String(year.year),
      after: { year: year.year, holidays: h, workdays: w, source, notice },
    });
  });
  return result;
}

function validateYearFile(
  data: unknown,
  source: string,
  opts: { needConfirmed: boolean },
): { year: number; holidays: Record<string, string>; workdays: Record<string, string>; notice: string } {
  const bad = (why: string, whyZh = why) =>
    new CrmError(
      'E1104',
      { zh: `日历文件无效：${source}：${whyZh}`, en: `invalid calendar file ${source}: ${why}` },
      ExitCode.usage,
      {
        zh: `格式见 ${CALENDAR_TEMPLATE}：{"year":2027,"confirmed":true,"notice":"…","holidays":{"2027-01-01":"元旦"},"workdays":{"2027-02-06":"春节调休"}}`,
        en: `format: see ${CALENDAR_TEMPLATE}: {"year":2027,"confirmed":true,"notice":"…","holidays":{"2027-01-01":"New Year"},"workdays":{"2027-02-06":"make-up day"}}`,
      },
    );
  if (!data || typeof data !== 'object') throw bad('not a JSON object', '不是 JSON 对象');
  const { year, holidays, workdays, confirmed, notice } = data as Record<string, unknown>;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1990 || year > 2100)
    throw bad('"year" must be a year such as 2027', '"year" 应为年份，如 2027');
  if (opts.needConfirmed && confirmed !== true) {
    throw new CrmError(
      'E1105',
      {
        zh: `日历文件 ${source} 未确认（"confirmed" 不是 true）：节假日必须按国务院办公厅的放假通知逐日核对后才能导入`,
        en: `calendar file ${source} is not confirmed ("confirmed" is not true): check every date against the State Council's holiday notice before importing`,
      },
      ExitCode.usage,
      {
        zh: '核对后把 "confirmed" 改为 true，并在 "notice" 中写明通知文号；可先用 --dry-run 查看变化',
        en: 'after checking, set "confirmed" to true and name the notice in "notice"; --dry-run shows what would change',
      },
    );
  }
  const checkMap = (name: string, v: unknown): Record<string, string> => {
    if (!v || typeof v !== 'object' || Array.isArray(v))
      throw bad(`"${name}" must be an object of date: name`, `"${name}" 应为 日期: 名称 的对象`);
    for (const [date, label] of Object.entries(v)) {
      if (!isValidDate(date) || !date.startsWith(`${year}-`))
        throw bad(`"${name}" has ${date}, not a date in ${year}`, `"${name}" 中的 ${date} 不是 ${year} 年的日期`);
      if (typeof label !== 'string') throw bad(`"${name}.${date}" must be a name`, `"${name}.${date}" 应为名称`);
    }
    return v as Record<string, string>;
  };
  const h = checkMap('holidays', holidays);
  const w = checkMap('workdays', workdays ?? {});
  if (Object.keys(h).length === 0)
    throw bad(
      '"holidays" is empty: fill in the public holidays from the notice',
      '"holidays" 为空：请按放假通知填写法定节假日',
    );
  return { year, holidays: h, workdays: w, notice: typeof notice === 'string' ? notice.trim() : '' };
}

/** The days of `year` whose answer differs between two calendars (or from a plain week, if it was uncovered). */
function yearChanges(before: WorkingCalendar, after: WorkingCalendar, year: number): CalendarChange[] {
  const covered = before.coveredYears().includes(year);
  const changes: CalendarChange[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) {
    const next = after.dayInfo(d);
    const was = covered ? before.dayInfo(d).workingDay : null;
    const dow = dayOfWeek(d);
    const plain = dow >= 1 && dow <= 5;
    if (was === null ? next.workingDay !== plain : next.workingDay !== was) {
      changes.push({ date: d, before: was, after: next.workingDay, reason: next.reason });
    }
  }
  return changes;
}

export interface CalendarStatus {
  /** First and last dates of the covered span. */
  from: string;
  to: string;
  years: L10n;
  /** The last date of the unbroken covered run from today (null when today's year is not covered). */
  coveredThrough: string | null;
  daysLeft: number | null;
  imported: { year: number; source: string | null; importedAt: string }[];
  overrides: CalendarOverride[];
  warning: L10n | null;
}

/** `crm calendar status`: the covered range, imported years, overrides, and whether the end is near. */
export async function calendarStatus(ctx: ServiceContext): Promise<CalendarStatus> {
  const calendar = await loadCalendar(ctx.db);
  const today = await businessToday(ctx);
  const through = calendar.coveredThrough(today);
  const { from, to } = calendar.coveredRange();
  const imported = (await ctx.db('calendar_years').select('year', 'source', 'imported_at').orderBy('year')).map(
    (r: { year: number; source: string | null; imported_at: string }) => ({
      year: Number(r.year),
      source: r.source,
      importedAt: r.imported_at,
    }),
  );
  return {
    from,
    to,
    years: calendar.describeCoveredYears(),
    coveredThrough: through,
    daysLeft: through ? daysBetween(today, through) : null,
    imported,
    overrides: await listOverrides(ctx.db),
    warning: coverageWarning(calendar, today),
  };
}

/**
 * The warning the day's commands and jobs print from 60 days before the calendar runs out, naming the date and
 * the command to run; null when the end is further away. Today's year uncovered is an error elsewhere (E1101).
 */
export function coverageWarning(calendar: WorkingCalendar, today: string): L10n | null {
  const through = calendar.coveredThrough(today);
  if (!through) return null;
  const left = daysBetween(today, through);
  if (left > CALENDAR_WARNING_DAYS) return null;
  const next = Number(through.slice(0, 4)) + 1;
  return {
    zh: `警告：工作日历只覆盖到 ${through}（还剩 ${left} 天）；之后的清算作业会失败。请管理员按国务院放假通知填写 ${CALENDAR_TEMPLATE} 并运行 "crm calendar import FILE" 导入 ${next} 年`,
    en: `warning: the working-day calendar ends on ${through} (${left} days left); settlement jobs fail after it. An admin must fill in ${CALENDAR_TEMPLATE} from the State Council's notice and run "crm calendar import FILE" for ${next}`,
  };
}

/** The same warning for a service context (loads the calendar). */
export async function calendarWarning(ctx: ServiceContext): Promise<L10n | null> {
  return coverageWarning(await loadCalendar(ctx.db), await businessToday(ctx));
}

async function businessToday(ctx: ServiceContext): Promise<string> {
  return businessDate(ctx.clock.now(), await ctx.settings.get<string>('timezone'));
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
