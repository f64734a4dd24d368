/**
 * What keeps an operator from acting on the wrong day: no settlement step for a business date after today, and on
 * today no open before `settlement.openAt` nor cutoff before `settlement.cutoffAt` unless asked for with
 * `--early --reason` (audited). A mistyped date used to write real qs/tk files and use vouchers for a day that had
 * not happened.
 */
import { localTime, zonedDateTime } from '../../domain/clock.js';
import { CrmError, ExitCode, type L10n } from '../../domain/errors.js';
import { loadCalendar } from '../calendar.js';
import type { ServiceContext } from '../context.js';
import { today } from '../today.js';

/** Refuse `date` when it is after today's business date (the business time zone, whatever TZ the machine has). */
export async function refuseFutureDate(ctx: ServiceContext, date: string, step: L10n): Promise<void> {
  const now = await today(ctx);
  if (date <= now) return;
  throw new CrmError(
    'E7150',
    {
      zh: `${date} 晚于今天（${now}）：不能对未来的营业日${step.zh}`,
      en: `${date} is after today (${now}): a future business day cannot be ${step.en}`,
    },
    ExitCode.usage,
    { zh: '检查 --date（省略则为今天）', en: 'check --date (leave it out for today)' },
  );
}

export interface EarlyRequest {
  early?: boolean;
  reason?: string | null;
}

/**
 * On today's date before the configured time, the step needs `early` and a reason; returns whether it is early
 * (for the audit log). Other dates, or after the time, are never early.
 */
export async function checkEarly(
  ctx: ServiceContext,
  date: string,
  which: 'open' | 'cutoff',
  request: EarlyRequest,
): Promise<{ early: boolean; reason: string | null }> {
  const tz = await ctx.settings.get<string>('timezone');
  const setting = which === 'open' ? 'settlement.openAt' : 'settlement.cutoffAt';
  const at = await ctx.settings.get<string>(setting);
  const now = ctx.clock.now();
  if (date !== (await today(ctx)) || now.getTime() >= zonedDateTime(date, at, tz).getTime()) {
    return { early: false, reason: null };
  }
  const reason = request.reason?.trim() || null;
  if (request.early && reason) return { early: true, reason };
  const clock = localTime(now, tz).slice(0, 5);
  const next = await nextWorkingDayOrNull(ctx, date);
  const effect: L10n =
    which === 'open'
      ? {
          zh: `提前启动后，从现在起到账的款项都记入 ${date}`,
          en: `opening early means money arriving from now on counts for ${date}`,
        }
      : {
          zh: `提前截止后，从现在到 ${at} 之间到账的款项都将记入下一个工作日${next ? `（${next}）` : ''}并标记为迟到`,
          en: `cutting off early sends every payment that arrives between now and ${at} to the next working day${next ? ` (${next})` : ''}, marked late`,
        };
  throw new CrmError(
    'E7151',
    {
      zh: `现在是 ${clock}，早于${which === 'open' ? '启动' : '截止'}时间 ${at}（${setting}）：${effect.zh}`,
      en: `it is ${clock}, before the ${which === 'open' ? 'open' : 'cutoff'} time ${at} (${setting}): ${effect.en}`,
    },
    ExitCode.usage,
    {
      zh: `确需提前：加 --early --reason "原因"（记入审计）；否则在 ${at} 之后再做（作业会在 ${at} 自动执行）`,
      en: `to do it anyway: add --early --reason "why" (audited); otherwise wait until ${at} (the job runs it then)`,
    },
  );
}

async function nextWorkingDayOrNull(ctx: ServiceContext, date: string): Promise<string | null> {
  try {
    return (await loadCalendar(ctx.db)).nextWorkingDay(date);
  } catch {
    return null;
  }
}
