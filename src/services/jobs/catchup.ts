import type { WorkingCalendar } from '../../domain/calendar.js';
import { addDays, businessDate, compareDates, isoWithOffset } from '../../domain/clock.js';
import { CrmError } from '../../domain/errors.js';
import { requireCapability } from '../../domain/roles.js';
import type { JobRegistry } from '../../jobs/types.js';
import { loadCalendar } from '../calendar.js';
import type { ServiceContext } from '../context.js';
import { businessTimeZone, type RunOptions, type RunResult, runJob } from './instances.js';
import { dueAt, type JobConfig, jobConfigs } from './schedule.js';

/**
 * Catch-up, after Fineract's close-of-business: every instance that should already have run and has not
 * completed. Per job it starts the day after the job's last completed business date (a job that never
 * completed starts today, so a fresh install does not replay history), goes back at most `jobs.catchUpDays`
 * working days, and also retries failed instances inside that window. Instances run oldest first and, for
 * one date, in the day's order. Today's instance counts only once its time has passed.
 */

export interface PlannedInstance {
  job: string;
  businessDate: string;
  /** The hour of an hourly job's instance. */
  slot?: string;
  /** When it was due (ISO 8601 with the business offset). */
  dueAt: string;
  /** never run, or failed before (resumes), or left running (lease decides). */
  previous: 'none' | 'failed' | 'running';
}

export interface PlanInput {
  now: Date;
  tz: string;
  calendar: WorkingCalendar;
  jobs: JobConfig[];
  /** Last completed business date per job. */
  lastCompleted: ReadonlyMap<string, string>;
  /** State of existing instances, keyed `job|date` (`job|date|HH` for hourly jobs). */
  states: ReadonlyMap<string, string>;
  catchUpDays: number;
}

/** The oldest date a catch-up may reach: `days` working days before today (as far as the calendar answers). */
export function windowStart(today: string, days: number, calendar: WorkingCalendar): string {
  let d = today;
  for (let i = 0; i < days; i++) {
    try {
      d = calendar.previousWorkingDay(d);
    } catch {
      break;
    }
  }
  return d;
}

/** Pure: what a catch-up at `now` runs, in order. */
export function planCatchUp(input: PlanInput): PlannedInstance[] {
  const { now, tz, calendar } = input;
  const today = businessDate(now, tz);
  const from = windowStart(today, input.catchUpDays, calendar);
  const planned: (PlannedInstance & { order: number; time: string })[] = [];
  input.jobs.forEach((cfg, order) => {
    if (!cfg.enabled) return;
    const name = cfg.def.name;
    if (cfg.def.hourly) {
      const hours = cfg.hours ?? [cfg.time.slice(0, 2)];
      // An hourly job catches up only its latest due hour of today: each run looks at everything overdue, so
      // the hours missed before it have nothing left that it would not do.
      let working = true;
      try {
        working = !cfg.def.workingDaysOnly || calendar.isWorkingDay(today);
      } catch {
        working = true;
      }
      if (!working) return;
      const due = hours.filter((h) => dueAt(today, `${h}:00`, tz).getTime() <= now.getTime()).at(-1);
      if (!due) return;
      const state = input.states.get(`${name}|${today}|${due}`);
      if (state === 'completed') return;
      planned.push({
        job: name,
        businessDate: today,
        slot: due,
        dueAt: isoWithOffset(dueAt(today, `${due}:00`, tz), tz),
        previous: state === 'failed' ? 'failed' : state === 'running' ? 'running' : 'none',
        order,
        time: `${due}:00`,
      });
      return;
    }
    const last = input.lastCompleted.get(name);
    const failedEarliest = [...input.states.entries()]
      .filter(([k, s]) => k.startsWith(`${name}|`) && s !== 'completed')
      .map(([k]) => k.slice(name.length + 1))
      .sort(compareDates)[0];
    let start = last ? addDays(last, 1) : today;
    if (failedEarliest && compareDates(failedEarliest, start) < 0) start = failedEarliest;
    if (compareDates(start, from) < 0) start = from;
    for (let d = start; compareDates(d, today) <= 0; d = addDays(d, 1)) {
      const state = input.states.get(`${name}|${d}`);
      if (state === 'completed') continue;
      // A day the calendar cannot answer for is planned anyway: the run fails loudly and is recorded.
      if (cfg.def.workingDaysOnly) {
        let working = true;
        try {
          working = calendar.isWorkingDay(d);
        } catch {
          working = true;
        }
        if (!working) continue;
      }
      const at = dueAt(d, cfg.time, tz);
      if (at.getTime() > now.getTime()) continue;
      planned.push({
        job: name,
        businessDate: d,
        dueAt: isoWithOffset(at, tz),
        previous: state === 'failed' ? 'failed' : state === 'running' ? 'running' : 'none',
        order,
        time: cfg.time,
      });
    }
  });
  planned.sort(
    (a, b) =>
      compareDates(a.businessDate, b.businessDate) ||
      (a.time < b.time ? -1 : a.time > b.time ? 1 : 0) ||
      a.order - b.order,
  );
  return planned.map(({ order: _o, time: _t, ...p }) => p);
}

/** Read what the plan needs from the database. */
export async function currentPlan(
  ctx: ServiceContext,
  registry: JobRegistry,
  calendar?: WorkingCalendar,
): Promise<PlannedInstance[]> {
  const tz = await businessTimeZone(ctx);
  const cal = calendar ?? (await loadCalendar(ctx.db));
  const jobs = await jobConfigs(ctx, registry);
  const catchUpDays = await ctx.settings.get<number>('jobs.catchUpDays');
  const names = registry.map((j) => j.name);
  const lastRows: { job: string; last: string }[] = await ctx
    .db('job_runs')
    .whereIn('job', names)
    .where({ state: 'completed' })
    .groupBy('job')
    .select('job')
    .max({ last: 'business_date' });
  const today = businessDate(ctx.clock.now(), tz);
  const from = windowStart(today, catchUpDays, cal);
  const rows: { job: string; business_date: string; slot: string | null; state: string }[] = await ctx
    .db('job_runs')
    .whereIn('job', names)
    .where('business_date', '>=', from)
    .select('job', 'business_date', 'slot', 'state');
  return planCatchUp({
    now: ctx.clock.now(),
    tz,
    calendar: cal,
    jobs,
    lastCompleted: new Map(lastRows.map((r) => [r.job, String(r.last)])),
    states: new Map(rows.map((r) => [`${r.job}|${r.business_date}${r.slot ? `|${r.slot}` : ''}`, r.state])),
    catchUpDays,
  });
}

export interface CatchUpItem extends PlannedInstance {
  outcome: 'completed' | 'failed' | 'refused' | 'blocked' | 'planned';
  runId: number | null;
  error: { code: string; message: string } | null;
}

/**
 * Run the plan, one instance at a time. An instance another process holds or already completed is
 * reported as refused; after a failure the same job's later dates are blocked (they wait for it).
 */
export async function catchUp(
  ctx: ServiceContext,
  registry: JobRegistry,
  opts: Omit<RunOptions, 'trigger'> & { dryRun?: boolean; trigger?: RunOptions['trigger'] },
): Promise<CatchUpItem[]> {
  requireCapability(ctx.actor, 'jobs.run', { zh: '运行作业', en: 'run jobs' });
  const calendar = opts.calendar ?? (await loadCalendar(ctx.db));
  const plan = await currentPlan(ctx, registry, calendar);
  if (opts.dryRun) return plan.map((p) => ({ ...p, outcome: 'planned', runId: null, error: null }));
  const blocked = new Set<string>();
  const items: CatchUpItem[] = [];
  for (const p of plan) {
    if (opts.shouldStop?.()) break;
    if (blocked.has(p.job)) {
      items.push({ ...p, outcome: 'blocked', runId: null, error: null });
      continue;
    }
    const def = registry.find((j) => j.name === p.job)!;
    try {
      const r: RunResult = await runJob(ctx, def, p.businessDate, {
        ...opts,
        ...(p.slot ? { slot: p.slot } : {}),
        calendar,
        trigger: opts.trigger ?? 'catch-up',
      });
      items.push({ ...p, outcome: r.state, runId: r.runId, error: r.error });
      if (r.state === 'failed') blocked.add(p.job);
    } catch (err) {
      if (err instanceof CrmError && (err.code === 'E8101' || err.code === 'E8102')) {
        opts.log?.('run.refused', { job: p.job, date: p.businessDate, code: err.code, message: err.messages.en });
        items.push({ ...p, outcome: 'refused', runId: null, error: { code: err.code, message: err.messages.en } });
        if (err.code === 'E8102') blocked.add(p.job);
        continue;
      }
      throw err;
    }
  }
  return items;
}
