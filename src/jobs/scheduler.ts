import cron from 'node-cron';
import type { WorkingCalendar } from '../domain/calendar.js';
import { businessDate, localTime } from '../domain/clock.js';
import { CrmError } from '../domain/errors.js';
import { coverageWarning, loadCalendar } from '../services/calendar.js';
import type { ServiceContext } from '../services/context.js';
import { type CatchUpItem, catchUp } from '../services/jobs/catchup.js';
import { checkRunDay, type RunOptions, runJob } from '../services/jobs/instances.js';
import { cronExpression, type JobConfig, jobConfigs } from '../services/jobs/schedule.js';
import type { JobRegistry } from './types.js';

/**
 * The long-running scheduler. node-cron only wakes it up (one task per enabled job, at the job's time in the
 * business time zone, set explicitly on every task); what runs, and whether it already ran, is decided by
 * the job instances in the database, so two schedulers on two machines run each instance once.
 * All work goes through one queue: a wake-up during catch-up waits for it, and stop() finishes the running step.
 */

export type LogFn = (event: string, fields?: Record<string, unknown>) => void;

/** The part of node-cron the scheduler uses (tests may pass their own). */
export interface CronLike {
  schedule(
    expression: string,
    fn: (context: { date: Date }) => unknown,
    options: { timezone: string; name: string; noOverlap: boolean },
  ): { stop(): void | Promise<void>; destroy?(): void | Promise<void> };
}

export interface WakeUp {
  job: JobConfig;
  /** The instant node-cron fired. */
  firedAt: Date;
}

/** Wire one node-cron task per enabled job; `onDue` is called at the job's time in `tz`. */
export function scheduleWakeUps(
  configs: JobConfig[],
  tz: string,
  onDue: (w: WakeUp) => void,
  cronImpl: CronLike = cron as unknown as CronLike,
): { stop(): Promise<void> } {
  const tasks = configs
    .filter((c) => c.enabled)
    .map((c) =>
      cronImpl.schedule(
        cronExpression(c.time, c.hours),
        (context) => onDue({ job: c, firedAt: context?.date ?? new Date() }),
        {
          timezone: tz,
          name: `crm-job-${c.def.name}`,
          noOverlap: true,
        },
      ),
    );
  return {
    async stop() {
      for (const t of tasks) {
        await t.stop();
        await t.destroy?.();
      }
    },
  };
}

export interface SchedulerOptions {
  /** Acting as the scheduler's user (setting `jobs.user`). */
  ctx: ServiceContext;
  registry: JobRegistry;
  run: Omit<RunOptions, 'trigger' | 'shouldStop' | 'log' | 'calendar'>;
  log: LogFn;
  cron?: CronLike;
}

export class Scheduler {
  private queue: Promise<unknown> = Promise.resolve();
  private stopping = false;
  private wakeUps: { stop(): Promise<void> } | null = null;

  constructor(private readonly opts: SchedulerOptions) {}

  private enqueue<T>(work: () => Promise<T>): Promise<T | undefined> {
    const next = this.queue.then(
      () => (this.stopping ? undefined : work()),
      () => (this.stopping ? undefined : work()),
    );
    this.queue = next.catch(() => {});
    return next;
  }

  private runOptions() {
    return { ...this.opts.run, log: this.opts.log, shouldStop: () => this.stopping };
  }

  /** Catch up, then wait for wake-ups. Resolves once the catch-up is done and the tasks are scheduled. */
  async start(): Promise<CatchUpItem[]> {
    const { ctx, registry, log } = this.opts;
    const tz = await ctx.settings.get<string>('timezone');
    const configs = await jobConfigs(ctx, registry);
    log('scheduler.started', {
      user: ctx.actor.name,
      timezone: tz,
      jobs: configs.map((c) => ({ name: c.def.name, schedule: c.time, enabled: c.enabled })),
    });
    this.warnCalendar(await loadCalendar(ctx.db), businessDate(ctx.clock.now(), tz));
    this.wakeUps = scheduleWakeUps(configs, tz, (w) => void this.enqueue(() => this.wake(w, tz)), this.opts.cron);
    const items =
      (await this.enqueue(async () => {
        log('catchup.started');
        const done = await catchUp(ctx, registry, { ...this.runOptions(), trigger: 'catch-up' });
        log('catchup.finished', {
          ran: done.filter((i) => i.outcome === 'completed' || i.outcome === 'failed').length,
          failed: done.filter((i) => i.outcome === 'failed').length,
          refused: done.filter((i) => i.outcome === 'refused').length,
        });
        return done;
      })) ?? [];
    return items;
  }

  /** One wake-up: today's instance of that job, unless the calendar says it does not run today. */
  private async wake(w: WakeUp, tz: string): Promise<void> {
    const { ctx, log } = this.opts;
    const date = businessDate(ctx.clock.now(), tz);
    const def = w.job.def;
    log('wake', { job: def.name, date, firedAt: w.firedAt.toISOString() });
    const calendar = await loadCalendar(ctx.db);
    this.warnCalendar(calendar, date);
    try {
      checkRunDay(def, date, calendar);
    } catch (err) {
      if (err instanceof CrmError && err.code === 'E8104') {
        log('run.skipped', { job: def.name, date, reason: err.messages.en });
        return;
      }
      // E8112 (calendar cannot answer): runJob records the failed instance, loudly.
    }
    // An hourly job's instance is this hour's.
    const slot = def.hourly ? localTime(ctx.clock.now(), tz).slice(0, 2) : undefined;
    try {
      await runJob(ctx, def, date, { ...this.runOptions(), calendar, trigger: 'scheduler', slot });
    } catch (err) {
      if (err instanceof CrmError && (err.code === 'E8101' || err.code === 'E8102')) {
        log('run.refused', { job: def.name, date, code: err.code, message: err.messages.en });
        return;
      }
      log('error', { job: def.name, date, message: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Once a business date, from 60 days before the calendar runs out: a warning naming the date and the fix. */
  private warnedFor = '';
  private warnCalendar(calendar: WorkingCalendar, date: string): void {
    if (this.warnedFor === date) return;
    this.warnedFor = date;
    const warning = coverageWarning(calendar, date);
    if (warning) this.opts.log('calendar.warning', { date, message: warning.en, messageZh: warning.zh });
  }

  /** Resolves once every queued wake-up has been handled. */
  async idle(): Promise<void> {
    let seen: Promise<unknown> | null = null;
    while (seen !== this.queue) {
      seen = this.queue;
      await seen.catch(() => {});
    }
  }

  /** Stop waking up; let the running step finish (later steps are left for the next start to resume). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.wakeUps?.stop();
    await this.queue.catch(() => {});
    this.opts.log('scheduler.stopped');
  }
}
