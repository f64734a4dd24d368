import path from 'node:path';
import { formatLocal } from '../domain/clock.js';
import type { ReportModel } from '../reports/model.js';
import { classificationModel, summaryModel, withKindLabels } from '../reports/settlement-lists.js';
import { JOB_CATALOG } from './catalog.js';
import { writeReportFiles } from './report-files.js';
import type { JobDefinition, JobRegistry, JobStep, StepContext } from './types.js';

/**
 * The product's jobs. Each step calls the same service a person would (`crm settlement open` …), so a job
 * and an operator get the same answer, permissions and audit. A step returns a small summary, recorded in
 * `job_runs.steps_json`, so a failed instance resumes after the steps it completed.
 */

type SummaryStatus = 'pending' | 'cleared';

// Loaded lazily: `crm jobs list` needs none of them.
const settlement = () => import('../services/settlement/index.js');

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

async function writeModel(sc: StepContext, base: string, model: ReportModel): Promise<Record<string, unknown>> {
  const tz = await sc.svc.settings.get<string>('timezone');
  const pageLines = await sc.svc.settings.get<number>('settlement.pageLines');
  const files = writeReportFiles(path.join(sc.reportsDir, sc.date), base, model, {
    pageLines,
    printedAt: formatLocal(sc.svc.clock.now(), tz),
  });
  sc.log('files.written', { files });
  return { files, rows: model.rows.length };
}

/** The previous working day P(D), as the settlement day's steps see it (recorded once per instance). */
async function previousDay(sc: StepContext): Promise<string> {
  const recorded = sc.recorded['previous-working-day'];
  if (typeof recorded === 'string') return recorded;
  return (await settlement()).pendingDateOf(sc.svc, sc.date);
}

/** The summary list (snapshot, then printable and CSV files) for `date` and status. */
function summaryStep(name: string, status: SummaryStatus, dateOf: 'previous' | 'today'): JobStep {
  return {
    name,
    async run(sc) {
      const date = dateOf === 'previous' ? await previousDay(sc) : sc.date;
      const list = await (await settlement()).summaryStep(sc.svc, date, status);
      return {
        date,
        count: list.count,
        totalFen: list.totalFen,
        ...(await writeModel(sc, `summary-${status}-${date}`, withKindLabels(summaryModel(list), 'zh'))),
      };
    },
  };
}

/** The classification table; a day with no transactions (E9999) is recorded as such, not a failure. */
function classificationStep(name: string, status: SummaryStatus): JobStep {
  return {
    name,
    async run(sc) {
      const date = await previousDay(sc);
      const table = await (await settlement()).classificationStep(sc.svc, date, status);
      if (!table) return { date, files: [], noData: 'E9999' };
      return {
        date,
        count: table.count,
        totalFen: table.totalFen,
        ...(await writeModel(sc, `classification-${status}-${date}`, withKindLabels(classificationModel(table), 'zh'))),
      };
    },
  };
}

const STEPS: Record<string, JobStep[]> = {
  'start-of-service': [
    { name: 'open', run: async (sc) => summarise(await (await settlement()).openStep(sc.svc, sc.date)) },
  ],
  'pending-summary': [
    { name: 'previous-working-day', run: async (sc) => previousDay(sc) },
    summaryStep('summary', 'pending', 'previous'),
    classificationStep('classification', 'pending'),
  ],
  cutoff: [{ name: 'cutoff', run: async (sc) => summarise(await (await settlement()).cutoffStep(sc.svc, sc.date)) }],
  'clearing-files': [
    {
      name: 'clear',
      run: async (sc) => {
        const r = await (await settlement()).clearStep(sc.svc, { date: sc.date, defaultOutDir: sc.clearingDir });
        // The operator checks the log for the qs/tk files the transfer medium must carry.
        sc.log('files.written', { files: r.files.map((f) => f.path), sha256: r.files.map((f) => f.sha256) });
        return summarise(r);
      },
    },
    { name: 'previous-working-day', run: async (sc) => previousDay(sc) },
    summaryStep('cleared-summary', 'cleared', 'today'),
    summaryStep('pending-summary', 'pending', 'previous'),
  ],
  'pool-return': [
    {
      name: 'apply-pool-rules',
      run: async (sc) => {
        const { applyPoolRules } = await import('../services/customers/pool.js');
        return summarise(await applyPoolRules(sc.svc, { date: sc.date, dryRun: false }));
      },
    },
  ],
  'daily-digest': [
    {
      name: 'write-files',
      run: async (sc) => {
        const { writeDigestFiles } = await import('../services/office/digest.js');
        const files = await writeDigestFiles(sc.svc, sc.date, sc.reportsDir);
        sc.log('files.written', { files });
        return { files: files.length };
      },
    },
    {
      name: 'send-mail',
      run: async (sc) => {
        const { sendDigests } = await import('../services/office/digest.js');
        return summarise(await sendDigests(sc.svc, sc.date, sc.log));
      },
    },
  ],
  'approvals-reminders': [
    {
      name: 'remind-and-escalate',
      run: async (sc) => {
        const { remindAndEscalate } = await import('../services/approvals/escalation.js');
        const r = await remindAndEscalate(sc.svc, { date: sc.date });
        for (const e of r.entries) sc.log(`approvals.${e.action}`, { id: e.id, step: e.step, to: e.to.join(',') });
        return { checked: r.checked, reminded: r.reminded, escalated: r.escalated };
      },
    },
  ],
  'receivables-overdue': [
    {
      name: 'mark-overdue',
      run: async (sc) => {
        const { markOverdue } = await import('../services/orders/receivables.js');
        return summarise(await markOverdue(sc.svc, { date: sc.date, apply: true }));
      },
    },
  ],
  'care-plans': [
    {
      name: 'create-care-contacts',
      run: async (sc) => {
        const { createCareContacts } = await import('../services/service/care.js');
        const r = await createCareContacts(sc.svc, { date: sc.date });
        if (r.noOwner.length) sc.log('care.no-owner', { customers: r.noOwner });
        return { created: r.created.length, already: r.already, noOwner: r.noOwner.length };
      },
    },
  ],
  'service-escalation': [
    {
      name: 'escalate',
      run: async (sc) => {
        const { escalateBreaches } = await import('../services/service/escalation.js');
        const { zonedDateTime } = await import('../domain/clock.js');
        const tz = await sc.svc.settings.get<string>('timezone');
        // The hour's instance judges breaches at the end of its hour, or now when that has not come yet.
        const end = zonedDateTime(sc.date, `${sc.slot ?? '00'}:59`, tz).getTime() + 59_999;
        const asOf = new Date(Math.min(end, sc.svc.clock.now().getTime()));
        const r = await escalateBreaches(sc.svc, { asOf, instance: `${sc.job}/${sc.date}/${sc.slot ?? ''}` });
        if (r.escalated.length)
          sc.log('tickets.escalated', { tickets: r.escalated.map((e) => `${e.number} ${e.kind}`) });
        return { asOf: r.asOf, checked: r.checked, escalated: r.escalated.length, already: r.already };
      },
    },
  ],
};

export const BUILTIN_JOBS: JobRegistry = JOB_CATALOG.map(
  (entry): JobDefinition => ({
    name: entry.name,
    defaultTime: entry.defaultTime,
    workingDaysOnly: entry.workingDaysOnly,
    ...(entry.hourly ? { hourly: true } : {}),
    steps: STEPS[entry.name] ?? [],
  }),
);
