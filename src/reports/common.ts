/**
 * Pure helpers shared by the report builders: the period a report covers, percentages as exact basis
 * points, and the weighted amount of an opportunity. No database, no clock: "today" is a parameter.
 */
import { addDays, parseDateArg } from '../domain/clock.js';
import { CrmError, ExitCode } from '../domain/errors.js';

export const PERIOD_PRESETS = ['this-month', 'last-month', 'this-quarter', 'this-year'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export interface Period {
  from: string;
  to: string;
}

const monthStart = (date: string) => `${date.slice(0, 7)}-01`;

/** The last day of the month of 'YYYY-MM-DD' or 'YYYY-MM'. */
export function monthEnd(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

/** The months ('YYYY-MM') a period touches, in order. */
export function monthsOf(period: Period): string[] {
  const out: string[] = [];
  let cursor = monthStart(period.from);
  while (cursor <= period.to) {
    out.push(cursor.slice(0, 7));
    cursor = addDays(monthEnd(cursor), 1);
  }
  return out;
}

export function presetPeriod(preset: string, today: string): Period {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  switch (preset) {
    case 'this-month':
      return { from: monthStart(today), to: monthEnd(today) };
    case 'last-month': {
      const prev = addDays(monthStart(today), -1);
      return { from: monthStart(prev), to: monthEnd(prev) };
    }
    case 'this-quarter': {
      const q = Math.floor((m - 1) / 3) * 3 + 1;
      const from = `${y}-${String(q).padStart(2, '0')}-01`;
      return { from, to: monthEnd(`${y}-${String(q + 2).padStart(2, '0')}`) };
    }
    case 'this-year':
      return { from: `${y}-01-01`, to: `${y}-12-31` };
    default:
      throw new CrmError(
        'E9101',
        {
          zh: `未知的期间：${preset}（可选：${PERIOD_PRESETS.join(', ')}）`,
          en: `unknown period ${preset} (one of ${PERIOD_PRESETS.join(', ')})`,
        },
        ExitCode.usage,
        { zh: '或用 --from/--to 给出起止日期', en: 'or give dates with --from/--to' },
      );
  }
}

/**
 * The period from the options: --from/--to (either may be alone: the other end comes from the preset),
 * else --period, else this month. A period whose start is after its end is a usage error.
 */
export function resolvePeriod(opts: { from?: string; to?: string; period?: string }, today: string): Period {
  const base = presetPeriod(opts.period ?? 'this-month', today);
  const from = opts.from ? parseDateArg(opts.from, '--from') : base.from;
  const to = opts.to ? parseDateArg(opts.to, '--to') : base.to;
  if (from > to) {
    throw new CrmError(
      'E9102',
      { zh: `起始日期 ${from} 晚于结束日期 ${to}`, en: `--from ${from} is after --to ${to}` },
      ExitCode.usage,
      { zh: '交换两个日期', en: 'swap the two dates' },
    );
  }
  return { from, to };
}

/** part / whole as basis points of a percent (10000 = 100.00%), rounded half up; 0 when whole is 0. */
export function percentBp(part: number, whole: number): number {
  if (whole === 0) return 0;
  const num = BigInt(part) * 10000n;
  const den = BigInt(whole);
  const neg = num < 0n !== den < 0n;
  const a = num < 0n ? -num : num;
  const b = den < 0n ? -den : den;
  const r = (2n * a + b) / (2n * b);
  return Number(neg ? -r : r);
}

/** Basis points as a percent string: 1234 → "12.34". */
export function percentString(bp: number): string {
  const neg = bp < 0;
  const digits = String(Math.abs(bp)).padStart(3, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * The weighted amount of one opportunity: amount × probability / 100, rounded half up to the fen
 * (amounts are never negative). The forecast is the sum of these per-opportunity values.
 */
export function weightedFen(amountFen: number, probability: number): number {
  return Number((BigInt(amountFen) * BigInt(probability) * 2n + 100n) / 200n);
}

/** part / whole as a percent string with two decimals, rounded half up: pct(1, 3) → "33.33". */
export const pct = (part: number, whole: number): string => percentString(percentBp(part, whole));
