import type { Knex } from 'knex';
import { isoWithOffset } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { type Actor, can } from '../../domain/roles.js';
import type { JobRegistry } from '../../jobs/types.js';
import { loadCalendar } from '../calendar.js';
import type { ServiceContext } from '../context.js';
import { businessTimeZone } from './instances.js';
import { jobConfigs, nextRun } from './schedule.js';

function requireJobsRead(actor: Actor): void {
  if (can(actor, 'jobs.run') || can(actor, 'settlement.read') || can(actor, 'audit.read')) return;
  throw new CrmError(
    'E4001',
    {
      zh: `权限不足：用户 ${actor.name}（${actor.role}）不能查看作业记录`,
      en: `permission denied: user ${actor.name} (${actor.role}) may not read the job records`,
    },
    ExitCode.permission,
    { zh: '请由操作员、管理员或审计员查看', en: 'ask an operator, an admin or an auditor' },
  );
}

const iso = (value: string | null | undefined, tz: string): string | null =>
  value ? isoWithOffset(new Date(value), tz) : null;

export interface LastRun {
  id: number;
  businessDate: string;
  state: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface JobListing {
  name: string;
  enabled: boolean;
  schedule: string;
  nextRun: string | null;
  lastRun: LastRun | null;
}

/** `crm jobs list`: each job, its schedule, next run (business time zone) and the last attempt with its state. */
export async function listJobs(ctx: ServiceContext, registry: JobRegistry): Promise<JobListing[]> {
  requireJobsRead(ctx.actor);
  const tz = await businessTimeZone(ctx);
  const calendar = await loadCalendar(ctx.db);
  const now = ctx.clock.now();
  const out: JobListing[] = [];
  for (const cfg of await jobConfigs(ctx, registry)) {
    const last = await ctx.db('job_executions').where({ job: cfg.def.name }).orderBy('id', 'desc').first();
    const next = cfg.enabled ? nextRun(cfg, now, tz, calendar) : null;
    out.push({
      name: cfg.def.name,
      enabled: cfg.enabled,
      // An hourly job: the top of each hour from the first to the last ("hourly 09:00-18:00").
      schedule: cfg.hours ? `hourly ${cfg.hours[0]}:00-${cfg.hours.at(-1)}:00` : cfg.time,
      nextRun: next ? isoWithOffset(next, tz) : null,
      lastRun: last
        ? {
            id: Number(last.id),
            businessDate: String(last.business_date),
            state: String(last.state),
            startedAt: iso(last.started_at, tz),
            finishedAt: iso(last.finished_at, tz),
          }
        : null,
    });
  }
  return out;
}

export interface HistoryQuery {
  job?: string;
  date?: string;
  state?: string;
  limit?: number;
}

export interface HistoryRow {
  id: number;
  job: string;
  businessDate: string;
  /** The hour of an hourly job's instance (absent for daily jobs). */
  hour?: string;
  state: 'running' | 'completed' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  trigger: string;
}

export const RUN_STATES = ['running', 'completed', 'failed'] as const;

/** Every attempt, newest first. */
export async function listHistory(ctx: ServiceContext, q: HistoryQuery): Promise<HistoryRow[]> {
  requireJobsRead(ctx.actor);
  if (q.state && !(RUN_STATES as readonly string[]).includes(q.state)) {
    throw new CrmError(
      'E8113',
      {
        zh: `未知状态：${q.state}（可选：${RUN_STATES.join(', ')}）`,
        en: `unknown state: ${q.state} (one of ${RUN_STATES.join(', ')})`,
      },
      ExitCode.usage,
    );
  }
  const tz = await businessTimeZone(ctx);
  const query: Knex.QueryBuilder = ctx
    .db('job_executions')
    .orderBy('id', 'desc')
    .limit(q.limit ?? 200);
  if (q.job) query.where({ job: q.job });
  if (q.date) query.where({ business_date: q.date });
  if (q.state) query.where({ state: q.state });
  const rows: Record<string, unknown>[] = await query;
  return rows.map((r) => ({
    id: Number(r.id),
    job: String(r.job),
    businessDate: String(r.business_date),
    ...(r.slot ? { hour: String(r.slot) } : {}),
    state: r.state as HistoryRow['state'],
    startedAt: iso(r.started_at as string, tz) as string,
    finishedAt: iso(r.finished_at as string | null, tz),
    trigger: String(r.trigger),
  }));
}

export interface RunDetails extends HistoryRow {
  durationMs: number | null;
  user: string | null;
  host: string | null;
  pid: number | null;
  rerunReason: string | null;
  attempt: number;
  instance: { id: number; state: string; attempts: number };
  result: unknown;
  error: string | null;
}

/** `crm jobs show RUN_ID`: one attempt in full. */
export async function showRun(ctx: ServiceContext, id: number): Promise<RunDetails> {
  requireJobsRead(ctx.actor);
  const tz = await businessTimeZone(ctx);
  const r = await ctx.db('job_executions').where({ id }).first();
  if (!r) {
    throw new CrmError(
      'E8110',
      { zh: `没有编号为 ${id} 的作业运行`, en: `no job run with id ${id}` },
      ExitCode.noData,
      { zh: '用 "crm jobs history" 查看运行编号', en: 'see "crm jobs history" for run ids' },
    );
  }
  const inst = await ctx.db('job_runs').where({ id: r.run_id }).first();
  const user = r.user_id ? await ctx.db('users').where({ id: r.user_id }).first('name') : null;
  const attempt = Number(
    (await ctx.db('job_executions').where({ run_id: r.run_id }).where('id', '<=', r.id).count({ n: '*' }).first())?.n ??
      1,
  );
  const started = r.started_at ? Date.parse(r.started_at) : Number.NaN;
  const finished = r.finished_at ? Date.parse(r.finished_at) : Number.NaN;
  let result: unknown = null;
  try {
    result = r.result_json ? JSON.parse(r.result_json) : null;
  } catch {
    result = r.result_json;
  }
  return {
    id: Number(r.id),
    job: String(r.job),
    businessDate: String(r.business_date),
    state: r.state,
    startedAt: iso(r.started_at, tz) as string,
    finishedAt: iso(r.finished_at, tz),
    trigger: String(r.trigger),
    durationMs: Number.isNaN(started) || Number.isNaN(finished) ? null : finished - started,
    user: user?.name ?? null,
    host: r.host ?? null,
    pid: r.pid == null ? null : Number(r.pid),
    rerunReason: r.rerun_reason ?? null,
    attempt,
    instance: { id: Number(inst.id), state: String(inst.state), attempts: Number(inst.attempts) },
    result,
    error: r.error ?? null,
  };
}
