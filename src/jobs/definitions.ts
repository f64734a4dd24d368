import path from 'node:path';
import { formatLocal } from '../domain/clock.js';
import { CrmError } from '../domain/errors.js';
import type { ReportModel } from '../reports/model.js';
import type { ServiceContext } from '../services/context.js';
import { JOB_CATALOG } from './catalog.js';
import { writeReportFiles } from './report-files.js';
import type { JobDefinition, JobRegistry, JobStep, StepContext } from './types.js';

/**
 * The product's jobs. Each step calls the same service a person would (`crm settlement open` …), so a job
 * and an operator get the same answer, permissions and audit. A step returns a small summary, recorded in
 * `job_runs.steps_json`, so a failed instance resumes after the steps it completed.
 */

type SummaryStatus = 'pending' | 'cleared';
interface SettlementApi {
  openDay(ctx: ServiceContext, input: { date: string }): Promise<unknown>;
  cutoffDay(ctx: ServiceContext, input: { date: string }): Promise<unknown>;
  clearDay(ctx: ServiceContext, input: { date: string; outDir?: string }): Promise<unknown>;
  generateSummary(ctx: ServiceContext, input: { date: string; status: SummaryStatus }): Promise<unknown>;
  classify(ctx: ServiceContext, input: { date: string; status: SummaryStatus }): Promise<unknown>;
  previousWorkingDay(ctx: ServiceContext, date: string): Promise<string>;
}

// Loaded lazily: `crm jobs list` needs none of them, and each area's module stays its engineer's.
const SETTLEMENT = '../services/settlement/index.js';
const POOL = '../services/customers/pool.js';
const RECEIVABLES = '../services/orders/receivables.js';
const settlement = async (): Promise<SettlementApi> => (await import(SETTLEMENT)) as SettlementApi;

/** Keep a step's record small: scalars as they are, arrays as their length, nested objects one level deep. */
export function summarise(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return { count: value.length };
  if (depth > 1) return '…';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'function') continue;
    out[k] = summarise(v, depth + 1);
  }
  return out;
}

function isReportModel(v: unknown): v is ReportModel {
  return Boolean(v && typeof v === 'object' && 'columns' in v && 'rows' in v && Array.isArray((v as ReportModel).rows));
}

/** The model inside whatever a summary/classification service returns (a model, or `{ model }`). */
function modelOf(v: unknown): ReportModel | null {
  if (isReportModel(v)) return v;
  if (v && typeof v === 'object' && 'model' in v && isReportModel((v as { model: unknown }).model))
    return (v as { model: ReportModel }).model;
  return null;
}

async function writeModel(sc: StepContext, base: string, result: unknown): Promise<Record<string, unknown>> {
  const model = modelOf(result);
  if (!model) return { files: [], note: 'no report model returned', result: summarise(result) };
  const tz = await sc.svc.settings.get<string>('timezone');
  const pageLines = await sc.svc.settings.get<number>('settlement.pageLines');
  const files = writeReportFiles(path.join(sc.reportsDir, sc.date), base, model, {
    pageLines,
    printedAt: formatLocal(sc.svc.clock.now(), tz),
  });
  sc.log('files.written', { files });
  return { files, rows: model.rows.length };
}

/** The previous working day P(D), as the settlement service sees it (operators may override it). */
async function previousDay(sc: StepContext): Promise<string> {
  const recorded = sc.recorded['previous-working-day'];
  if (typeof recorded === 'string') return recorded;
  return (await settlement()).previousWorkingDay(sc.svc, sc.date);
}

const NO_DATA = new Set(['E2033', 'E9999']);

/** A summary/classification list for `date`; "no data" (E2033/E9999) is a quiet day, recorded, not a failure. */
function listStep(
  name: string,
  which: 'summary' | 'classify',
  status: SummaryStatus,
  dateOf: 'previous' | 'today',
): JobStep {
  return {
    name,
    async run(sc) {
      const date = dateOf === 'previous' ? await previousDay(sc) : sc.date;
      const api = await settlement();
      try {
        const result =
          which === 'summary'
            ? await api.generateSummary(sc.svc, { date, status })
            : await api.classify(sc.svc, { date, status });
        return {
          date,
          ...(await writeModel(sc, `${which === 'summary' ? 'summary' : 'classification'}-${status}-${date}`, result)),
        };
      } catch (err) {
        if (err instanceof CrmError && NO_DATA.has(err.code)) return { date, files: [], noData: err.code };
        throw err;
      }
    },
  };
}

const STEPS: Record<string, JobStep[]> = {
  'start-of-service': [
    { name: 'open', run: async (sc) => summarise(await (await settlement()).openDay(sc.svc, { date: sc.date })) },
  ],
  'pending-summary': [
    { name: 'previous-working-day', run: async (sc) => previousDay(sc) },
    listStep('summary', 'summary', 'pending', 'previous'),
    listStep('classification', 'classify', 'pending', 'previous'),
  ],
  cutoff: [
    { name: 'cutoff', run: async (sc) => summarise(await (await settlement()).cutoffDay(sc.svc, { date: sc.date })) },
  ],
  'clearing-files': [
    { name: 'clear', run: async (sc) => summarise(await (await settlement()).clearDay(sc.svc, { date: sc.date })) },
    { name: 'previous-working-day', run: async (sc) => previousDay(sc) },
    listStep('cleared-summary', 'summary', 'cleared', 'today'),
    listStep('pending-summary', 'summary', 'pending', 'previous'),
  ],
  'pool-return': [
    {
      name: 'apply-pool-rules',
      run: async (sc) => {
        const mod = (await import(POOL)) as {
          applyPoolRules(ctx: ServiceContext, input: { date: string; dryRun: boolean }): Promise<unknown>;
        };
        return summarise(await mod.applyPoolRules(sc.svc, { date: sc.date, dryRun: false }));
      },
    },
  ],
  'receivables-overdue': [
    {
      name: 'mark-overdue',
      run: async (sc) => {
        const mod = (await import(RECEIVABLES)) as {
          markOverdue(ctx: ServiceContext, input: { date: string; apply: boolean }): Promise<unknown>;
        };
        return summarise(await mod.markOverdue(sc.svc, { date: sc.date, apply: true }));
      },
    },
  ],
};

export const BUILTIN_JOBS: JobRegistry = JOB_CATALOG.map(
  (entry): JobDefinition => ({
    name: entry.name,
    defaultTime: entry.defaultTime,
    workingDaysOnly: entry.workingDaysOnly,
    steps: STEPS[entry.name] ?? [],
  }),
);

/**
 * Test-only jobs, in place of the real ones when CRM_TEST_JOBS is set (the CLI tests of leases, kill -9
 * and two schedulers need jobs that take a known time and touch nothing else). The value is
 * `SLEEP_MS[,FAIL_JOB]`: `test-a` (working days, 08:30) and `test-b` (every day, 01:00) each run two steps
 * that sleep SLEEP_MS; FAIL_JOB's second step fails while the file `$CRM_TEST_JOBS_FAIL_FILE` exists.
 */
export function testJobs(spec: string, env: Record<string, string | undefined>): JobRegistry {
  const [sleepRaw, failJob] = spec.split(',');
  const sleepMs = Number(sleepRaw) || 0;
  const sleep = () => new Promise((r) => setTimeout(r, sleepMs));
  const make = (name: string, defaultTime: string, workingDaysOnly: boolean): JobDefinition => ({
    name,
    defaultTime,
    workingDaysOnly,
    steps: [
      {
        name: 'first',
        run: async () => {
          await sleep();
          return { slept: sleepMs };
        },
      },
      {
        name: 'second',
        run: async () => {
          await sleep();
          const failFile = env.CRM_TEST_JOBS_FAIL_FILE;
          if (name === failJob && failFile && (await import('node:fs')).existsSync(failFile))
            throw new Error(`test failure requested by ${failFile}`);
          return { slept: sleepMs };
        },
      },
    ],
  });
  return [make('test-b', '01:00', false), make('test-a', '08:30', true)];
}

/** The jobs this process runs: the product's, or the test jobs when CRM_TEST_JOBS is set. */
export function jobRegistry(env: Record<string, string | undefined>): JobRegistry {
  return env.CRM_TEST_JOBS ? testJobs(env.CRM_TEST_JOBS, env) : BUILTIN_JOBS;
}
