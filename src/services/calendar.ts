import type { Knex } from 'knex';
import { type CalendarOverride, type ImportedYear, WorkingCalendar } from '../domain/calendar.js';
import { isValidDate } from '../domain/clock.js';
import { CrmError, ExitCode } from '../domain/errors.js';
import { requireCapability } from '../domain/roles.js';
import { audit } from './audit.js';
import { inTransaction, nowIso, type ServiceContext } from './context.js';

/** The working-day calendar: the package's PRC data, plus imported years and local overrides from the database. */
export async function loadCalendar(db: Knex): Promise<WorkingCalendar> {
  const overrides: CalendarOverride[] = (await db('calendar_overrides').select('date', 'kind', 'reason')).map(
    (r: { date: string; kind: string; reason: string }) => ({
      date: r.date,
      kind: r.kind as CalendarOverride['kind'],
      reason: r.reason,
    }),
  );
  const importedYears: ImportedYear[] = (await db('calendar_years').select('*')).map(
    (r: { year: number; holidays_json: string; workdays_json: string }) => ({
      year: Number(r.year),
      holidays: JSON.parse(r.holidays_json),
      workdays: JSON.parse(r.workdays_json),
    }),
  );
  return new WorkingCalendar({ overrides, importedYears });
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

/**
 * Import a year the package does not cover. The file is JSON:
 * `{"year": 2027, "holidays": {"2027-01-01": "元旦", ...}, "workdays": {"2027-02-07": "春节调休", ...}}`
 * (`workdays` lists make-up working days on weekends). Replaces an earlier import of that year.
 */
export async function importYear(
  ctx: ServiceContext,
  data: unknown,
  source: string,
): Promise<{ year: number; holidays: number; workdays: number }> {
  requireCapability(ctx.actor, 'settings.manage', { zh: '维护工作日历', en: 'maintain the calendar' });
  const bad = (why: string) =>
    new CrmError(
      'E1104',
      { zh: `日历文件无效：${source}：${why}`, en: `invalid calendar file ${source}: ${why}` },
      ExitCode.usage,
      {
        zh: '格式：{"year":2027,"holidays":{"2027-01-01":"元旦"},"workdays":{"2027-02-07":"春节调休"}}',
        en: 'format: {"year":2027,"holidays":{"2027-01-01":"New Year"},"workdays":{"2027-02-07":"make-up day"}}',
      },
    );
  if (!data || typeof data !== 'object') throw bad('not a JSON object');
  const { year, holidays, workdays } = data as Record<string, unknown>;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1990 || year > 2100)
    throw bad('"year" must be a year such as 2027');
  const checkMap = (name: string, v: unknown): Record<string, string> => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad(`"${name}" must be an object of date: name`);
    for (const [date, label] of Object.entries(v)) {
      if (!isValidDate(date) || !date.startsWith(`${year}-`)) throw bad(`"${name}" has ${date}, not a date in ${year}`);
      if (typeof label !== 'string') throw bad(`"${name}.${date}" must be a name`);
    }
    return v as Record<string, string>;
  };
  const h = checkMap('holidays', holidays);
  const w = checkMap('workdays', workdays ?? {});
  await inTransaction(ctx, async (tx) => {
    const before = await tx.db('calendar_years').where({ year }).first();
    if (before) await tx.db('calendar_years').where({ year }).delete();
    await tx.db('calendar_years').insert({
      year,
      holidays_json: JSON.stringify(h),
      workdays_json: JSON.stringify(w),
      source,
      imported_by: tx.actor.id || null,
      imported_at: nowIso(tx.clock),
    });
    await audit(tx, {
      action: 'calendar.import',
      entity: 'calendar',
      entityId: String(year),
      after: { year, holidays: h, workdays: w, source },
    });
  });
  return { year, holidays: Object.keys(h).length, workdays: Object.keys(w).length };
}
