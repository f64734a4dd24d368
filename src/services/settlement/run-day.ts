/**
 * crm settlement day --date D: the whole day in order for a catch-up (the steps of the day's jobs, see
 * day-steps.ts), each step skipped when already done: open, morning list for P (pending), cutoff, clear, then
 * the cleared list for D and the pending list for P.
 */
import type { L10n } from '../../domain/errors.js';
import { DAY_STATE, wordFor } from '../../domain/vocabulary.js';
import type { ServiceContext } from '../context.js';
import type { ClearResult } from './clearing.js';
import { dateArg, dayState } from './common.js';
import { cutoffDay } from './day.js';
import { clearStep, cutoffStep, openStep, pendingDateOf, summaryStep } from './day-steps.js';
import { type EarlyRequest, refuseFutureDate } from './guard.js';

export interface DayStep {
  /** Stable names for scripts (`--json`): step and detail stay English. */
  step: string;
  status: 'done' | 'skipped';
  detail: string;
  /** The line a person reads, in both languages. */
  text: L10n;
}

const STEP_ZH: Record<string, string> = {
  open: '启动',
  'summary pending (morning)': '早间待清算汇总清单',
  cutoff: '截止',
  'cutoff pending date': '截止待清算日期',
  clear: '清算',
  'summary cleared': '已清算汇总清单',
  'summary pending': '待清算汇总清单',
};

const stateZh = (state: string) => wordFor('zh', DAY_STATE, state);

function dayStep(step: string, status: DayStep['status'], detail: string, zhDetail: string): DayStep {
  return { step, status, detail, text: { en: `${step}: ${detail}`, zh: `${STEP_ZH[step] ?? step}：${zhDetail}` } };
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
    steps.push(dayStep('open', 'done', `${date} opened`, `${date} 已启动`));
    state = 'open';
  } else steps.push(dayStep('open', 'skipped', `already ${state}`, `已是${stateZh(state)}`));

  const snap = await ctx.db('summary_snapshots').where({ date: pendingDate, status: 'pending' }).first();
  if (!snap && !run) {
    const s = await summaryStep(ctx, pendingDate, 'pending');
    steps.push(
      dayStep(
        'summary pending (morning)',
        'done',
        `${pendingDate}: ${s.rows.length} rows`,
        `${pendingDate}：${s.rows.length} 行`,
      ),
    );
  } else steps.push(dayStep('summary pending (morning)', 'skipped', 'already generated', '已生成'));

  if (state === 'open') {
    const c = await cutoffStep(ctx, date, opts);
    steps.push(dayStep('cutoff', 'done', `${date}: ${c.pendingCount} pending`, `${date}：待清算 ${c.pendingCount} 笔`));
  } else steps.push(dayStep('cutoff', 'skipped', `already ${state}`, `已是${stateZh(state)}`));

  let clear: ClearResult | null = null;
  if (!run) {
    const pState = await dayState(ctx.db, pendingDate);
    if (pState === 'open' || pState === 'not_opened') {
      await cutoffDay(ctx, { date: pendingDate, force: true });
      steps.push(
        dayStep('cutoff pending date', 'done', `${pendingDate} was ${pState}`, `${pendingDate} 原为${stateZh(pState)}`),
      );
    }
    clear = await clearStep(ctx, {
      date,
      pendingDate,
      outDir: opts.outDir,
      defaultOutDir: opts.defaultOutDir,
      copyTo: opts.copyTo,
    });
    const names = clear.files.map((f) => f.name).join(', ') || '-';
    steps.push(
      dayStep('clear', 'done', `${clear.cleared} cleared; files: ${names}`, `清算 ${clear.cleared} 笔；文件：${names}`),
    );
  } else steps.push(dayStep('clear', 'skipped', 'already cleared', '已清算'));

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
      steps.push(dayStep(`summary ${status}`, 'skipped', 'already generated after clearing', '清算后已生成'));
    } else {
      const g = await summaryStep(ctx, d, status);
      steps.push(dayStep(`summary ${status}`, 'done', `${d}: ${g.rows.length} rows`, `${d}：${g.rows.length} 行`));
    }
  }
  return { date, pendingDate, steps, clear };
}
