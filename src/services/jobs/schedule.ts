import path from 'node:path';
import { SETTING_DEFS } from '../../config/settings/index.js';
import type { WorkingCalendar } from '../../domain/calendar.js';
import { addDays, businessDate, zonedDateTime } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import type { Actor } from '../../domain/roles.js';
import { parseWorkingHours } from '../../domain/service/sla.js';
import { addMinutes, type BusinessDayTime, JOB_CATALOG } from '../../jobs/catalog.js';
import type { JobDefinition, JobRegistry } from '../../jobs/types.js';
import type { ServiceContext } from '../context.js';
import { resolveActor } from '../users.js';

export interface JobConfig {
  def: JobDefinition;
  /** HH:mm in the business time zone. */
  time: string;
  /** Where the time comes from: the job's own setting, a business-day setting (plus minutes), or the default. */
  timeSource: JobTimeSource;
  enabled: boolean;
  /** An hourly job's hours ('HH', business time zone), from `service.workingHours`; `time` is the first. */
  hours?: string[];
}

/**
 * The hours an hourly job runs, at the top of each: from the first full hour of `service.workingHours` to the
 * first full hour after it ends (08:30-17:30: 09 … 18), so a due time at the close is seen that evening.
 */
export function hourlySlots(workingHours: string): string[] {
  const { start, end } = parseWorkingHours(workingHours);
  const ceilHour = (t: string) => {
    const [h, m] = t.split(':').map(Number) as [number, number];
    return m > 0 ? h + 1 : h;
  };
  const out: string[] = [];
  for (let h = ceilHour(start); h <= Math.min(23, ceilHour(end)); h++) out.push(String(h).padStart(2, '0'));
  return out;
}

export type JobTimeSource =
  | { kind: 'job-setting'; key: string }
  | { kind: 'follows'; setting: BusinessDayTime; afterMinutes: number }
  | { kind: 'default' };

/** The time source as people read it in `crm config show` (`settlement.cutoffAt + 5 min`). */
export function describeTimeSource(source: JobTimeSource): string {
  if (source.kind === 'job-setting') return 'database';
  if (source.kind === 'default') return 'default';
  return source.afterMinutes ? `${source.setting} + ${source.afterMinutes} min` : source.setting;
}

/**
 * A job's time: `jobs.<name>.schedule` when set; else, for the settlement jobs, the business-day setting they
 * follow (`settlement.openAt` / `settlement.cutoffAt`) plus their offset; else the job's own default.
 */
export async function jobTime(
  ctx: Pick<ServiceContext, 'settings'>,
  def: Pick<JobDefinition, 'name' | 'defaultTime'>,
): Promise<{ time: string; source: JobTimeSource }> {
  const key = `jobs.${def.name}.schedule`;
  const pinned = SETTING_DEFS.has(key) ? (await ctx.settings.get<string>(key)).trim() : '';
  if (pinned) {
    return {
      time: pinned,
      source: (await ctx.settings.isStored(key)) ? { kind: 'job-setting', key } : { kind: 'default' },
    };
  }
  const follows = JOB_CATALOG.find((e) => e.name === def.name)?.follows;
  if (follows) {
    const base = await ctx.settings.get<string>(follows.setting);
    return { time: addMinutes(base, follows.afterMinutes), source: { kind: 'follows', ...follows } };
  }
  return { time: def.defaultTime, source: { kind: 'default' } };
}

/** Each job with its time (see `jobTime`) and enabled flag (`jobs.<name>.enabled`). */
export async function jobConfigs(ctx: ServiceContext, registry: JobRegistry): Promise<JobConfig[]> {
  const out: JobConfig[] = [];
  for (const def of registry) {
    const enabledKey = `jobs.${def.name}.enabled`;
    const enabled = SETTING_DEFS.has(enabledKey) ? await ctx.settings.get<boolean>(enabledKey) : true;
    if (def.hourly) {
      const hours = hourlySlots(await ctx.settings.get<string>('service.workingHours'));
      out.push({ def, time: `${hours[0] ?? '09'}:00`, timeSource: { kind: 'default' }, enabled, hours });
      continue;
    }
    const { time, source } = await jobTime(ctx, def);
    out.push({ def, time, timeSource: source, enabled });
  }
  return out;
}

/** `HH:mm` as a node-cron expression (minute hour, every day; the calendar decides working days). */
export function cronExpression(time: string, hours?: string[]): string {
  if (hours?.length) return `0 ${hours.map(Number).join(',')} * * *`;
  const [h, m] = time.split(':');
  return `${Number(m)} ${Number(h)} * * *`;
}

/** The instant the job is due on `date` (its time of day in the business time zone). */
export function dueAt(date: string, time: string, tz: string): Date {
  return zonedDateTime(date, time, tz);
}

/**
 * The next instant after `now` at which the job runs, skipping days it does not run on.
 * Null when the calendar cannot answer for the next days (an uncovered year).
 */
export function nextRun(cfg: JobConfig, now: Date, tz: string, calendar: WorkingCalendar): Date | null {
  let date = businessDate(now, tz);
  for (let i = 0; i < 400; i++, date = addDays(date, 1)) {
    if (cfg.def.workingDaysOnly) {
      try {
        if (!calendar.isWorkingDay(date)) continue;
      } catch {
        return null;
      }
    }
    for (const time of cfg.hours ? cfg.hours.map((h) => `${h}:00`) : [cfg.time]) {
      const at = dueAt(date, time, tz);
      if (at.getTime() > now.getTime()) return at;
    }
  }
  return null;
}

/** Where jobs write report files: setting `reports.dir` (relative to `cwd`), else `<dataDir>/reports`. */
export async function reportsDir(ctx: ServiceContext, cwd: string, dataDir: string): Promise<string> {
  const configured = (await ctx.settings.get<string>('reports.dir')).trim();
  return configured ? path.resolve(cwd, configured) : path.join(dataDir, 'reports');
}

/** Who the scheduler acts as: setting `jobs.user`, else the first active admin (so the audit log shows a person). */
export async function schedulerActor(ctx: ServiceContext): Promise<Actor> {
  const configured = (await ctx.settings.get<string>('jobs.user')).trim();
  if (configured) return resolveActor(ctx.db, configured);
  const admin = await ctx.db('users').where({ role: 'admin', status: 'active' }).orderBy('id').first('name');
  if (!admin) {
    throw new CrmError(
      'E8111',
      { zh: '找不到调度器可用的用户：没有启用的管理员', en: 'no user for the scheduler: there is no active admin' },
      ExitCode.error,
      {
        zh: '用 "crm config set jobs.user 用户名" 指定一个操作员或管理员',
        en: 'set one with "crm config set jobs.user NAME" (an operator or admin)',
      },
    );
  }
  return resolveActor(ctx.db, String(admin.name));
}
