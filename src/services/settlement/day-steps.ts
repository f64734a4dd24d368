/**
 * The steps of a settlement day, each one service call. The jobs (src/jobs/definitions.ts) run them a job at a
 * time on the schedule and file the lists they make; `crm settlement day` (runDay) runs them all in order for a
 * catch-up, skipping what is done. In the day's order, for a day D with previous working day P:
 *
 *   start-of-service   openStep(D)
 *   pending-summary    pendingDateOf(D) = P, summaryStep(P, pending), classificationStep(P, pending)
 *   cutoff             cutoffStep(D)
 *   clearing-files     clearStep(D), summaryStep(D, cleared), summaryStep(P, pending)
 */
import { CrmError } from '../../domain/errors.js';
import type { ServiceContext } from '../context.js';
import { type ClearOptions, type ClearResult, clearDay } from './clearing.js';
import type { ClearingStatus } from './common.js';
import { cutoffDay, openDay, previousWorkingDay, type StepResult } from './day.js';
import type { EarlyRequest } from './guard.js';
import { type ClassifyTable, classify, generateSummary, type SummaryList } from './summary.js';

/** P(D): the day whose transactions D's clearing clears (and whose pending list the morning prints). */
export function pendingDateOf(ctx: ServiceContext, date: string): Promise<string> {
  return previousWorkingDay(ctx, date);
}

/** 启动财政划拨服务: D takes transactions. */
export function openStep(ctx: ServiceContext, date: string, early: EarlyRequest = {}): Promise<StepResult> {
  return openDay(ctx, { date, ...early });
}

/** A summary list snapshot (财政拨付划款汇总清单) of `date`'s transactions with that clearing status. */
export function summaryStep(ctx: ServiceContext, date: string, status: ClearingStatus): Promise<SummaryList> {
  return generateSummary(ctx, { date, status });
}

/** The classification table (清算分类统计表); null when the day has no such transactions (not a failure here). */
export async function classificationStep(
  ctx: ServiceContext,
  date: string,
  status: ClearingStatus,
): Promise<ClassifyTable | null> {
  try {
    return await classify(ctx, { date, status });
  } catch (err) {
    if (err instanceof CrmError && err.code === 'E9999') return null;
    throw err;
  }
}

/** 停止财政划拨服务: D takes no more transactions. */
export function cutoffStep(ctx: ServiceContext, date: string, early: EarlyRequest = {}): Promise<StepResult> {
  return cutoffDay(ctx, { date, early: early.early, reason: early.reason });
}

/** 清单数据下载: D's clearing files for P's pending transactions. */
export function clearStep(
  ctx: ServiceContext,
  opts: Pick<ClearOptions, 'date' | 'pendingDate' | 'outDir' | 'defaultOutDir' | 'faultAt' | 'copyTo'>,
): Promise<ClearResult> {
  return clearDay(ctx, opts);
}
