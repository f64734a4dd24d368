import os from 'node:os';
import type { Knex } from 'knex';
import type { WorkingCalendar } from '../../domain/calendar.js';
import { businessDate, type Clock, compareDates, isoWithOffset, localTime, systemClock } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { requireCapability } from '../../domain/roles.js';
import type { JobDefinition, JobRegistry, StepContext } from '../../jobs/types.js';
import { audit } from '../audit.js';
import { loadCalendar } from '../calendar.js';
import { inTransaction, type ServiceContext } from '../context.js';

/**
 * Job instances, after Spring Batch: an instance is (job, business date) and is one row of `job_runs`
 * (unique on both). It completes at most once. Each attempt is a row of `job_executions`.
 *
 * Claiming an instance is a single INSERT (the unique key decides between racing processes) or, for an
 * existing row, a compare-and-swap UPDATE on its `attempts` counter, which doubles as a fencing token: the
 * lease renewal, the step checkpoints and the final state are written only while `attempts` is still ours.
 * A process that dies stops renewing `lease_until`; once that passes, another process may take over.
 * Leases use the machine's real clock (`leaseClock`), never the business clock that CRM_NOW pins.
 */

export type Trigger = 'scheduler' | 'manual' | 'catch-up';
export type RunState = 'running' | 'completed' | 'failed';

export interface RunOptions {
  trigger: Trigger;
  /** The hour ('HH') of an hourly job's instance: required for hourly jobs, refused for daily ones. */
  slot?: string;
  /** Run a completed instance again (admin only, with a reason; audited). */
  rerun?: boolean;
  reason?: string;
  /** Where jobs write their files. */
  reportsDir: string;
  /** Where clearing files go when the setting `settlement.outDir` is empty (`<data dir>/clearing`). */
  clearingDir?: string;
  /** Lease length; renewed every third of it while the run lives. */
  leaseMs: number;
  /** Machine clock for leases (tests inject one). */
  leaseClock?: Clock;
  host?: string;
  pid?: number;
  log?: (event: string, fields?: Record<string, unknown>) => void;
  /** Asked between steps: when true the run stops after the step it is in (clean shutdown). */
  shouldStop?: () => boolean;
  /** A calendar already loaded (the scheduler reuses one). */
  calendar?: WorkingCalendar;
}

export interface RunResult {
  /** The attempt's id (job_executions.id): `crm jobs show ID`. */
  runId: number;
  instanceId: number;
  job: string;
  businessDate: string;
  /** The hour of an hourly job's instance, else absent. */
  slot?: string;
  state: 'completed' | 'failed';
  attempt: number;
  trigger: Trigger;
  /** Steps this attempt ran, and steps skipped because an earlier attempt completed them. */
  steps: { name: string; status: 'done' | 'resumed' | 'failed' | 'not-run' }[];
  result: Record<string, unknown>;
  error: { code: string; message: string } | null;
  takeover: boolean;
}

interface JobRunRow {
  id: number;
  job: string;
  business_date: string;
  slot: string;
  state: RunState;
  trigger: string;
  attempts: number;
  started_at: string;
  finished_at: string | null;
  lease_until: string | null;
  host: string | null;
  pid: number | null;
  user_id: number | null;
  steps_json: string | null;
  result_json: string | null;
  error: string | null;
}

export function findJob(registry: JobRegistry, name: string): JobDefinition {
  const def = registry.find((j) => j.name === name);
  if (!def) {
    throw new CrmError(
      'E8100',
      {
        zh: `未知作业：${name}（可选：${registry.map((j) => j.name).join(', ')}）`,
        en: `unknown job: ${name} (one of ${registry.map((j) => j.name).join(', ')})`,
      },
      ExitCode.usage,
      { zh: '用 "crm jobs list" 查看作业', en: 'see "crm jobs list"' },
    );
  }
  return def;
}

export async function businessTimeZone(ctx: ServiceContext): Promise<string> {
  return ctx.settings.get<string>('timezone');
}

/** Lease length: `overrideMs` (the caller's, e.g. CRM_JOBS_LEASE_MS in the CLI) wins over the setting `jobs.leaseSeconds`. */
export async function leaseMsFor(ctx: ServiceContext, overrideMs?: number): Promise<number> {
  if (overrideMs !== undefined && overrideMs > 0) return overrideMs;
  return (await ctx.settings.get<number>('jobs.leaseSeconds')) * 1000;
}

const parseJson = (text: string | null): Record<string, unknown> => {
  if (!text) return {};
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

function errorText(err: unknown): { code: string; message: string; full: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = err instanceof CrmError ? err.code : 'E0000';
  const message = err instanceof CrmError ? `${err.messages.en}` : e.message;
  return { code, message, full: `${code}: ${message}\n${e.stack ?? ''}`.slice(0, 60_000) };
}

/** `job date` or `job date HH:00` (hourly), as messages name an instance. */
const instanceName = (row: Pick<JobRunRow, 'job' | 'business_date' | 'slot'>) =>
  `${row.job} ${row.business_date}${row.slot ? ` ${row.slot}:00` : ''}`;

function refusedRunning(row: JobRunRow, tz: string): CrmError {
  const since = isoWithOffset(new Date(row.started_at), tz);
  const lease = row.lease_until ? isoWithOffset(new Date(row.lease_until), tz) : '-';
  return new CrmError(
    'E8102',
    {
      zh: `作业 ${instanceName(row)} 正在运行：自 ${since} 起，pid ${row.pid ?? '?'}，主机 ${row.host ?? '?'}（租约至 ${lease}）`,
      en: `job ${instanceName(row)} is running since ${since}, pid ${row.pid ?? '?'}, host ${row.host ?? '?'} (lease until ${lease})`,
    },
    ExitCode.conflict,
    {
      zh: '等待其完成；若该进程已死，租约到期后可再次运行以接管',
      en: 'wait for it to finish; if that process died, run it again after the lease expires to take over',
    },
  );
}

function refusedCompleted(row: JobRunRow, tz: string): CrmError {
  const at = row.finished_at ? isoWithOffset(new Date(row.finished_at), tz) : '?';
  return new CrmError(
    'E8101',
    {
      zh: `作业 ${instanceName(row)} 已于 ${at} 完成，不再重复运行`,
      en: `job ${instanceName(row)} already completed at ${at}; it is not run twice`,
    },
    ExitCode.conflict,
    {
      zh: '确需重跑时由管理员加 --rerun --reason "原因"（会记入审计日志）',
      en: 'to run it again an admin adds --rerun --reason "why" (audited)',
    },
  );
}

/**
 * Check the date for a job: settlement jobs run only on working days, and a date the calendar cannot
 * answer for fails loudly (E8112, wrapping the calendar's own error).
 */
export function checkRunDay(def: JobDefinition, date: string, calendar: WorkingCalendar): void {
  if (!def.workingDaysOnly) return;
  let info: ReturnType<WorkingCalendar['dayInfo']>;
  try {
    info = calendar.dayInfo(date);
  } catch (err) {
    if (err instanceof CrmError && err.code === 'E1101') {
      throw new CrmError(
        'E8112',
        {
          zh: `作业 ${def.name} 无法在 ${date} 运行：${err.messages.zh}`,
          en: `job ${def.name} cannot run for ${date}: ${err.messages.en}`,
        },
        ExitCode.error,
        err.hint,
      );
    }
    throw err;
  }
  if (!info.workingDay) {
    throw new CrmError(
      'E8104',
      {
        zh: `${date} 不是工作日（${info.reason.zh}）：作业 ${def.name} 只在工作日运行`,
        en: `${date} is not a working day (${info.reason.en}): job ${def.name} runs only on working days`,
      },
      ExitCode.usage,
      { zh: '用 "crm calendar check 日期" 查看工作日', en: 'see "crm calendar check DATE"' },
    );
  }
}

interface Claim {
  row: JobRunRow;
  attempt: number;
  executionId: number;
  recorded: Record<string, unknown>;
  takeover: boolean;
}

/** Take the instance for this process, or refuse (completed / running with a live lease). */
async function claim(
  ctx: ServiceContext,
  def: JobDefinition,
  date: string,
  opts: RunOptions,
  tz: string,
): Promise<Claim> {
  const leaseClock = opts.leaseClock ?? systemClock;
  const host = opts.host ?? os.hostname();
  const pid = opts.pid ?? process.pid;
  const startedAt = ctx.clock.now().toISOString();
  const leaseUntil = new Date(leaseClock.now().getTime() + opts.leaseMs).toISOString();
  const userId = ctx.actor.id > 0 ? ctx.actor.id : null;
  const slot = opts.slot ?? '';
  const key = { job: def.name, business_date: date, slot };

  const execution = async (
    db: Knex,
    runId: number,
    attempt: number,
    takeover: boolean,
    recorded: Record<string, unknown>,
    rerunReason: string | null,
  ) => {
    const [executionId] = await db('job_executions').insert({
      run_id: runId,
      job: def.name,
      business_date: date,
      slot,
      state: 'running',
      trigger: opts.trigger,
      started_at: startedAt,
      host,
      pid,
      user_id: userId,
      rerun_reason: rerunReason,
    });
    const row = (await db('job_runs').where({ id: runId }).first()) as JobRunRow;
    return { row, attempt, executionId: Number(executionId), recorded, takeover };
  };

  // A fresh instance: the unique key (job, business_date) lets exactly one racing INSERT through. The instance
  // and its first attempt are recorded together (a process killed in between left a run with no attempt).
  try {
    return await inTransaction(ctx, async (tx) => {
      const [id] = await tx.db('job_runs').insert({
        job: def.name,
        business_date: date,
        slot,
        state: 'running',
        trigger: opts.trigger,
        attempts: 1,
        started_at: startedAt,
        lease_until: leaseUntil,
        host,
        pid,
        user_id: userId,
        steps_json: '{}',
      });
      return execution(tx.db, Number(id), 1, false, {}, null);
    });
  } catch (err) {
    const exists = await ctx.db('job_runs').where(key).first();
    if (!exists) throw err;
  }

  const existing = (await ctx.db('job_runs').where(key).first()) as JobRunRow;
  const attempt = Number(existing.attempts) + 1;
  const base = {
    state: 'running',
    trigger: opts.trigger,
    attempts: attempt,
    started_at: startedAt,
    finished_at: null,
    lease_until: leaseUntil,
    host,
    pid,
    user_id: userId,
    error: null,
  };
  const cas = (db: Knex, patch: Record<string, unknown>) =>
    db('job_runs')
      .where({ id: existing.id, state: existing.state, attempts: existing.attempts })
      .update({ ...base, ...patch });
  const lostRace = async (db: Knex) => {
    const now = (await db('job_runs').where({ id: existing.id }).first()) as JobRunRow;
    return now.state === 'completed' ? refusedCompleted(now, tz) : refusedRunning(now, tz);
  };

  if (existing.state === 'completed') {
    if (!opts.rerun) throw refusedCompleted(existing, tz);
    if (ctx.actor.role !== 'admin') {
      throw new CrmError(
        'E8107',
        {
          zh: `只有管理员可以重跑已完成的作业（${ctx.actor.name} 是 ${ctx.actor.role}）`,
          en: `only an admin may rerun a completed job (${ctx.actor.name} is ${ctx.actor.role})`,
        },
        ExitCode.permission,
      );
    }
    const reason = opts.reason?.trim();
    if (!reason) {
      throw new CrmError(
        'E8106',
        { zh: '重跑必须写明原因：--reason "原因"', en: 'a rerun needs a reason: --reason "why"' },
        ExitCode.usage,
      );
    }
    return inTransaction(ctx, async (tx) => {
      const n = await cas(tx.db, { steps_json: '{}', result_json: null });
      if (n !== 1) throw await lostRace(tx.db);
      await audit(tx, {
        action: 'jobs.rerun',
        entity: 'job_run',
        entityId: `${def.name}/${date}${slot ? `/${slot}` : ''}`,
        before: { state: existing.state, finishedAt: existing.finished_at, attempts: existing.attempts },
        after: { state: 'running', attempts: attempt, reason },
      });
      return execution(tx.db, existing.id, attempt, false, {}, reason);
    });
  }

  const recorded = parseJson(existing.steps_json);
  if (existing.state === 'running') {
    const expired = !existing.lease_until || existing.lease_until < leaseClock.now().toISOString();
    if (!expired) throw refusedRunning(existing, tz);
    // The holder stopped renewing (killed, machine lost): take over, resuming from its checkpoints.
    return inTransaction(ctx, async (tx) => {
      const n = await cas(tx.db, {});
      if (n !== 1) throw await lostRace(tx.db);
      await tx
        .db('job_executions')
        .where({ run_id: existing.id, state: 'running' })
        .update({
          state: 'failed',
          finished_at: startedAt,
          error: `lease expired at ${existing.lease_until}: process ${existing.pid} on ${existing.host} stopped renewing it (taken over by ${pid} on ${host})`,
        });
      return execution(tx.db, existing.id, attempt, true, recorded, null);
    });
  }

  // failed: retry, resuming after the steps it recorded.
  return inTransaction(ctx, async (tx) => {
    const n = await cas(tx.db, {});
    if (n !== 1) throw await lostRace(tx.db);
    return execution(tx.db, existing.id, attempt, false, recorded, null);
  });
}

/**
 * Run one instance of a job: the same code path for the scheduler, catch-up and `crm jobs run`.
 * Refusals (completed, running elsewhere, not a working day) throw; a run that fails is recorded as
 * failed and returned with `state: 'failed'` (the caller decides the exit code).
 */
export async function runJob(
  ctx: ServiceContext,
  def: JobDefinition,
  date: string,
  opts: RunOptions,
): Promise<RunResult> {
  requireCapability(ctx.actor, 'jobs.run', { zh: '运行作业', en: 'run jobs' });
  const tz = await businessTimeZone(ctx);
  const today = businessDate(ctx.clock.now(), tz);
  if (compareDates(date, today) > 0) {
    throw new CrmError(
      'E8105',
      {
        zh: `${date} 还没有到（今天是 ${today}）：不能提前运行 ${def.name}`,
        en: `${date} has not come yet (today is ${today}): ${def.name} cannot run ahead`,
      },
      ExitCode.usage,
    );
  }
  checkSlot(def, date, opts.slot, ctx.clock.now(), tz);
  const calendar = opts.calendar ?? (await loadCalendar(ctx.db));
  let calendarError: CrmError | null = null;
  try {
    checkRunDay(def, date, calendar);
  } catch (err) {
    if (!(err instanceof CrmError) || err.code !== 'E8112') throw err;
    calendarError = err; // fails loudly, and on the record: the instance is claimed and marked failed below
  }

  const c = await claim(ctx, def, date, opts, tz);
  const leaseClock = opts.leaseClock ?? systemClock;
  const log = opts.log ?? (() => {});
  const owned = () => ctx.db('job_runs').where({ id: c.row.id, attempts: c.attempt, state: 'running' });
  let lost = false;
  const timer = setInterval(
    () => {
      owned()
        .update({ lease_until: new Date(leaseClock.now().getTime() + opts.leaseMs).toISOString() })
        .then((n: number) => {
          if (n !== 1) lost = true;
        })
        .catch(() => {});
    },
    Math.max(50, Math.floor(opts.leaseMs / 3)),
  );
  timer.unref?.();

  const recorded: Record<string, unknown> = { ...c.recorded };
  const steps: RunResult['steps'] = [];
  let failure: unknown = calendarError;
  log('run.started', { job: def.name, date, runId: c.executionId, attempt: c.attempt, takeover: c.takeover });
  try {
    if (!failure) {
      for (const step of def.steps) {
        if (step.name in recorded) {
          steps.push({ name: step.name, status: 'resumed' });
          continue;
        }
        if (opts.shouldStop?.()) {
          failure = new CrmError(
            'E8109',
            {
              zh: `调度器停止：在步骤 ${step.name} 之前中止，下次运行将从此处继续`,
              en: `scheduler stopping: stopped before step ${step.name}; the next run resumes here`,
            },
            ExitCode.error,
          );
          break;
        }
        if (lost) {
          failure = leaseLost(def.name, date);
          break;
        }
        const sc: StepContext = {
          svc: ctx,
          job: def.name,
          date,
          ...(opts.slot ? { slot: opts.slot } : {}),
          recorded,
          reportsDir: opts.reportsDir,
          clearingDir: opts.clearingDir,
          log: (event, fields) => log(event, { job: def.name, date, step: step.name, ...fields }),
        };
        try {
          const result = await step.run(sc);
          recorded[step.name] = result === undefined ? null : result;
          steps.push({ name: step.name, status: 'done' });
          const n = await owned().update({ steps_json: JSON.stringify(recorded) });
          if (n !== 1) {
            failure = leaseLost(def.name, date);
            break;
          }
          log('step.completed', { job: def.name, date, step: step.name });
        } catch (err) {
          steps.push({ name: step.name, status: 'failed' });
          failure = err;
          break;
        }
      }
    }
  } finally {
    clearInterval(timer);
  }
  for (const step of def.steps)
    if (!steps.some((s) => s.name === step.name)) steps.push({ name: step.name, status: 'not-run' });

  const finishedAt = ctx.clock.now().toISOString();
  const state: 'completed' | 'failed' = failure ? 'failed' : 'completed';
  const err = failure ? errorText(failure) : null;
  const resultJson = JSON.stringify(recorded);
  const n = await owned().update({
    state,
    finished_at: finishedAt,
    lease_until: null,
    result_json: resultJson,
    error: err?.full ?? null,
  });
  if (n !== 1) {
    // Someone took the instance over while we ran (our lease lapsed): record nothing on the instance, and
    // leave our attempt as the taker marked it.
    const lostErr = errorText(failure ?? leaseLost(def.name, date));
    await ctx
      .db('job_executions')
      .where({ id: c.executionId, state: 'running' })
      .update({ state: 'failed', finished_at: finishedAt, result_json: resultJson, error: lostErr.full });
    log('run.failed', { job: def.name, date, runId: c.executionId, error: lostErr.message });
    return result('failed', { code: 'E8108', message: errorText(leaseLost(def.name, date)).message });
  }
  await ctx
    .db('job_executions')
    .where({ id: c.executionId })
    .update({ state, finished_at: finishedAt, result_json: resultJson, error: err?.full ?? null });
  log(state === 'completed' ? 'run.completed' : 'run.failed', {
    job: def.name,
    date,
    runId: c.executionId,
    ...(err ? { error: `${err.code}: ${err.message}` } : {}),
  });
  return result(state, err ? { code: err.code, message: err.message } : null);

  function result(s: 'completed' | 'failed', error: RunResult['error']): RunResult {
    return {
      runId: c.executionId,
      instanceId: c.row.id,
      job: def.name,
      businessDate: date,
      ...(opts.slot ? { slot: opts.slot } : {}),
      state: s,
      attempt: c.attempt,
      trigger: opts.trigger,
      steps,
      result: recorded,
      error,
      takeover: c.takeover,
    };
  }
}

/**
 * An hourly job's instance names its hour ('00'–'23'), not one still to come; a daily job's names none.
 */
export function checkSlot(def: JobDefinition, date: string, slot: string | undefined, now: Date, tz: string): void {
  if (!def.hourly) {
    if (slot) {
      throw new CrmError(
        'E4119',
        {
          zh: `作业 ${def.name} 每天运行一次，不带 --hour`,
          en: `job ${def.name} runs once a day: it takes no --hour`,
        },
        ExitCode.usage,
      );
    }
    return;
  }
  if (!slot || !/^([01]\d|2[0-3])$/.test(slot)) {
    throw new CrmError(
      'E4115',
      {
        zh: `作业 ${def.name} 按小时运行：小时须为 00–23（收到 ${slot ?? '无'}）`,
        en: `job ${def.name} runs hourly: the hour is 00–23 (got ${slot ?? 'none'})`,
      },
      ExitCode.usage,
      { zh: '例如 --hour 09', en: 'e.g. --hour 09' },
    );
  }
  const nowDate = businessDate(now, tz);
  const nowHour = localTime(now, tz).slice(0, 2);
  if (date === nowDate && slot > nowHour) {
    throw new CrmError(
      'E4115',
      {
        zh: `${date} ${slot}:00 还没有到（现在 ${nowHour} 点）：不能提前运行 ${def.name}`,
        en: `${date} ${slot}:00 has not come yet (it is ${nowHour}:xx): ${def.name} cannot run ahead`,
      },
      ExitCode.usage,
    );
  }
}

function leaseLost(job: string, date: string): CrmError {
  return new CrmError(
    'E8108',
    {
      zh: `作业 ${job} ${date} 的租约已失效并被其他进程接管，本次运行停止`,
      en: `the lease of job ${job} ${date} lapsed and another process took it over; this run stops`,
    },
    ExitCode.conflict,
  );
}
