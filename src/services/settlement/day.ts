/**
 * The business day's state machine: not opened → open (启动) → cut off (停止) → cleared (清单数据下载 done).
 * Each step is idempotent: repeating a step that is done changes nothing and says so.
 */
import { actorId } from '../../domain/actor.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { parseFen } from '../../domain/money.js';
import { audit } from '../audit.js';
import { loadCalendar } from '../calendar.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { withLock } from '../locks.js';
import { type DayState, dateArg, dayLockName, lockedDayRow, operate, reclaimDeadLocalLock } from './common.js';
import { checkEarly, type EarlyRequest, refuseFutureDate } from './guard.js';

export interface StepResult {
  date: string;
  /** 'done': the step ran now; 'unchanged': it had been done already. */
  status: 'done' | 'unchanged';
  state: DayState;
  forced?: boolean;
  pendingCount?: number;
  pendingTotalFen?: number;
}

export async function previousWorkingDay(ctx: ServiceContext, date: string): Promise<string> {
  return (await loadCalendar(ctx.db)).previousWorkingDay(dateArg(date));
}

function notWorkingDay(date: string, reason: { zh: string; en: string }): CrmError {
  return new CrmError(
    'E7110',
    {
      zh: `${date} 不是工作日（${reason.zh}），不能启动`,
      en: `${date} is not a working day (${reason.en}); it cannot be opened`,
    },
    ExitCode.conflict,
    {
      zh: `如确需开机维护：crm settlement open --date ${date} --force --reason "原因"（或先 crm calendar add ${date} --workday --reason …）`,
      en: `for a declared maintenance day: crm settlement open --date ${date} --force --reason "why" (or first crm calendar add ${date} --workday --reason …)`,
    },
  );
}

/** 启动财政划拨服务: open D for transactions. A day off needs force and a reason (it becomes a working day). */
export async function openDay(
  ctx: ServiceContext,
  opts: { date: string; force?: boolean; reason?: string | null; early?: boolean },
): Promise<StepResult> {
  operate(ctx, { zh: '启动营业日', en: 'open a business day' });
  const date = dateArg(opts.date);
  await refuseFutureDate(ctx, date, { zh: '启动', en: 'opened' });
  const reason = opts.reason?.trim() || null;
  if (opts.force && !reason) {
    throw new CrmError(
      'E7111',
      { zh: '--force 必须同时写明原因（--reason）', en: '--force needs a reason (--reason)' },
      ExitCode.usage,
    );
  }
  await reclaimDeadLocalLock(ctx.db, dayLockName(date));
  return withLock(ctx.db, dayLockName(date), () =>
    inTransaction(ctx, async (tx) => {
      const row = await lockedDayRow(tx.db, date);
      if (row) return { date, status: 'unchanged', state: String(row.state) as DayState, forced: Boolean(row.forced) };
      const early = await checkEarly(tx, date, 'open', opts);
      const info = (await loadCalendar(tx.db)).dayInfo(date);
      let forced = false;
      if (!info.workingDay) {
        if (!opts.force) throw notWorkingDay(date, info.reason);
        forced = true;
        // The day becomes a working day in the calendar too, so business dates and P(D) follow it.
        await tx.db('calendar_overrides').where({ date }).delete();
        await tx.db('calendar_overrides').insert({
          date,
          kind: 'workday',
          reason: reason as string,
          created_by: actorId(tx.actor),
          created_at: nowIso(tx.clock),
        });
        await audit(tx, {
          action: 'calendar.override',
          entity: 'calendar',
          entityId: date,
          after: { date, kind: 'workday', reason, by: 'settlement open --force' },
        });
      }
      await tx.db('business_days').insert({
        date,
        state: 'open',
        opened_at: nowIso(tx.clock),
        opened_by: actorId(tx.actor),
        forced,
        force_reason: forced ? reason : null,
      });
      await audit(tx, {
        action: 'settlement.open',
        entity: 'business_day',
        entityId: date,
        after: {
          state: 'open',
          forced,
          reason: forced ? reason : null,
          calendar: info.reason.en,
          ...(early.early ? { early: true, earlyReason: early.reason } : {}),
        },
      });
      return { date, status: 'done', state: 'open', forced };
    }),
  );
}

/** 停止财政划拨服务: D takes no more transactions. --force opens and cuts off a day never opened. */
export async function cutoffDay(
  ctx: ServiceContext,
  opts: { date: string; force?: boolean } & EarlyRequest,
): Promise<StepResult> {
  operate(ctx, { zh: '截止营业日', en: 'cut off a business day' });
  const date = dateArg(opts.date);
  await refuseFutureDate(ctx, date, { zh: '截止', en: 'cut off' });
  await reclaimDeadLocalLock(ctx.db, dayLockName(date));
  return withLock(ctx.db, dayLockName(date), () =>
    inTransaction(ctx, async (tx) => {
      // Locked first: a posting chunk in flight commits before this goes on, and the count below includes it.
      const row = await lockedDayRow(tx.db, date);
      const totals = async () => {
        const r = await tx
          .db('settlement_transactions')
          .where({ business_date: date, clearing_status: 'pending' })
          .count({ n: '*' })
          .sum({ total: 'amount_fen' })
          .first();
        return { pendingCount: Number(r?.n ?? 0), pendingTotalFen: parseFen(r?.total ?? null) };
      };
      if (row && row.state !== 'open') {
        return { date, status: 'unchanged', state: String(row.state) as DayState, ...(await totals()) };
      }
      if (!row && !opts.force) {
        throw new CrmError(
          'E7112',
          { zh: `${date} 尚未启动，不能截止`, en: `${date} has not been opened; it cannot be cut off` },
          ExitCode.conflict,
          {
            zh: `先 crm settlement open --date ${date}；补做时可 crm settlement cutoff --date ${date} --force`,
            en: `run crm settlement open --date ${date} first; to catch up use crm settlement cutoff --date ${date} --force`,
          },
        );
      }
      const early = await checkEarly(tx, date, 'cutoff', opts);
      const now = nowIso(tx.clock);
      const by = actorId(tx.actor);
      if (!row) {
        const info = (await loadCalendar(tx.db)).dayInfo(date);
        if (!info.workingDay) throw notWorkingDay(date, info.reason);
        await tx.db('business_days').insert({
          date,
          state: 'cut_off',
          opened_at: now,
          opened_by: by,
          forced: false,
          cut_off_at: now,
          cut_off_by: by,
        });
      } else {
        const n = await tx
          .db('business_days')
          .where({ date, state: 'open' })
          .update({ state: 'cut_off', cut_off_at: now, cut_off_by: by });
        if (n !== 1) throw new Error(`business day ${date} changed state during cutoff`);
      }
      const t = await totals();
      await audit(tx, {
        action: 'settlement.cutoff',
        entity: 'business_day',
        entityId: date,
        before: { state: row ? row.state : 'not_opened' },
        after: {
          state: 'cut_off',
          forcedOpen: !row,
          pendingCount: t.pendingCount,
          pendingTotalFen: t.pendingTotalFen,
          ...(early.early ? { early: true, earlyReason: early.reason } : {}),
        },
      });
      return { date, status: 'done', state: 'cut_off', ...t };
    }),
  );
}
