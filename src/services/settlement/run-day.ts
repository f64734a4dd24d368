/**
 * crm settlement day --date D: the whole day in order for a catch-up (the steps of the day's jobs, see
 * day-steps.ts), each step skipped when already done: open, morning list for P (pending), cutoff, clear, then
 * the cleared list for D and the pending list for P.
 */
import type { ServiceContext } from '../context.js';
import type { ClearResult } from './clearing.js';
import { dateArg, dayState } from './common.js';
import { cutoffDay } from './day.js';
import { clearStep, cutoffStep, openStep, pendingDateOf, summaryStep } from './day-steps.js';
import { type EarlyRequest, refuseFutureDate } from './guard.js';

export interface DayStep {
  step: string;
  status: 'done' | 'skipped';
  detail: string;
}

export async function runDay(
  ctx: ServiceContext,
  opts: {
    date: string;
    pendingDate?: string | null;
    outDir?: string | null;
    defaultOutDir?: string | null;
    copyTo?: string[];
  } & EarlyRequest,
): Promise<{ date: string; pendingDate: string; steps: DayStep[]; clear: ClearResult | null }> {
  const date = dateArg(opts.date);
  await refuseFutureDate(ctx, date, { zh: '执行', en: 'run' });
  const steps: DayStep[] = [];
  let state = await dayState(ctx.db, date);
  const run = await ctx.db('clearing_runs').where({ voucher_date: date, state: 'completed' }).first();
  const pendingDate = run
    ? String(run.pending_date)
    : opts.pendingDate
      ? dateArg(opts.pendingDate, '--pending-date')
      : await pendingDateOf(ctx, date);

  if (state === 'not_opened') {
    await openStep(ctx, date, opts);
    steps.push({ step: 'open', status: 'done', detail: `${date} opened` });
    state = 'open';
  } else steps.push({ step: 'open', status: 'skipped', detail: `already ${state}` });

  const snap = await ctx.db('summary_snapshots').where({ date: pendingDate, status: 'pending' }).first();
  if (!snap && !run) {
    const s = await summaryStep(ctx, pendingDate, 'pending');
    steps.push({ step: 'summary pending (morning)', status: 'done', detail: `${pendingDate}: ${s.rows.length} rows` });
  } else steps.push({ step: 'summary pending (morning)', status: 'skipped', detail: 'already generated' });

  if (state === 'open') {
    const c = await cutoffStep(ctx, date, opts);
    steps.push({ step: 'cutoff', status: 'done', detail: `${date}: ${c.pendingCount} pending` });
  } else steps.push({ step: 'cutoff', status: 'skipped', detail: `already ${state}` });

  let clear: ClearResult | null = null;
  if (!run) {
    const pState = await dayState(ctx.db, pendingDate);
    if (pState === 'open' || pState === 'not_opened') {
      await cutoffDay(ctx, { date: pendingDate, force: true });
      steps.push({ step: 'cutoff pending date', status: 'done', detail: `${pendingDate} was ${pState}` });
    }
    clear = await clearStep(ctx, {
      date,
      pendingDate,
      outDir: opts.outDir,
      defaultOutDir: opts.defaultOutDir,
      copyTo: opts.copyTo,
    });
    steps.push({
      step: 'clear',
      status: 'done',
      detail: `${clear.cleared} cleared; files: ${clear.files.map((f) => f.name).join(', ') || '-'}`,
    });
  } else steps.push({ step: 'clear', status: 'skipped', detail: 'already cleared' });

  // "Generated after the clearing" by audit order (timestamps may tie under a frozen clock).
  const lastAuditId = async (action: string[], entityId: string) =>
    Number(
      (await ctx.db('audit_log').whereIn('action', action).andWhere({ entity_id: entityId }).max({ id: 'id' }).first())
        ?.id ?? 0,
    );
  const clearedAt = await lastAuditId(['settlement.clear', 'settlement.clear.rerun'], date);
  for (const [d, status] of [
    [date, 'cleared'],
    [pendingDate, 'pending'],
  ] as const) {
    const generatedAt = await lastAuditId(['settlement.summary.generate'], `${d}:${status}`);
    if (clearedAt > 0 && generatedAt > clearedAt) {
      steps.push({ step: `summary ${status}`, status: 'skipped', detail: 'already generated after clearing' });
    } else {
      const g = await summaryStep(ctx, d, status);
      steps.push({ step: `summary ${status}`, status: 'done', detail: `${d}: ${g.rows.length} rows` });
    }
  }
  return { date, pendingDate, steps, clear };
}
