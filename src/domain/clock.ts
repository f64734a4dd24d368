/**
 * Business time: every wall-clock value is computed for an explicit IANA time zone (default Asia/Shanghai),
 * never from the process TZ. Only UTC getters and Intl.DateTimeFormat with an explicit `timeZone` are used;
 * Date's local-time getters/setters and Date's own string parsing are deliberately avoided.
 *
 * Plain dates are 'YYYY-MM-DD' strings and their arithmetic is pure proleptic-Gregorian integer maths.
 */
import { CrmError, ExitCode, type L10n } from './errors.js';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const MS_PER_DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------------------
// Plain calendar dates ('YYYY-MM-DD')
// ---------------------------------------------------------------------------------------------------------

/** Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of daysFromCivil. */
function civilFromDays(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: era * 400 + yoe + (m <= 2 ? 1 : 0), m, d };
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function formatYmd(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

function splitDate(s: string): { y: number; m: number; d: number } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!match) return undefined;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return { y, m, d };
}

function dateError(value: string, field?: string): CrmError {
  const zhField = field ? `${field} ` : '';
  const enField = field ? ` for ${field}` : '';
  return new CrmError(
    'E1004',
    { zh: `${zhField}日期无效: "${value}"`, en: `invalid date${enField} "${value}"` },
    ExitCode.usage,
    {
      zh: '日期格式为 YYYY-MM-DD，且须是真实存在的日期，例如 2026-11-23',
      en: 'use YYYY-MM-DD with a real calendar date, e.g. 2026-11-23',
    },
  );
}

function toDays(date: string): number {
  const p = splitDate(date);
  if (!p) throw dateError(date);
  return daysFromCivil(p.y, p.m, p.d);
}

function fromDays(days: number): string {
  const { y, m, d } = civilFromDays(days);
  if (y < 0 || y > 9999) {
    throw new CrmError('E1004', { zh: `日期超出范围: 第 ${y} 年`, en: `date out of range: year ${y}` }, ExitCode.usage);
  }
  return formatYmd(y, m, d);
}

/** Strict 'YYYY-MM-DD' check: two-digit month/day and a real date (2026-02-30 is invalid). */
export function isValidDate(s: string): boolean {
  return typeof s === 'string' && splitDate(s) !== undefined;
}

/** Validates a date argument (surrounding spaces ignored); throws E1004 (usage) naming the value and field. */
export function parseDateArg(s: string, field?: string): string {
  const trimmed = String(s).trim();
  if (!isValidDate(trimmed)) throw dateError(String(s), field);
  return trimmed;
}

export function addDays(date: string, n: number): string {
  if (!Number.isSafeInteger(n)) {
    throw new CrmError(
      'E1004',
      { zh: `天数必须是整数: ${n}`, en: `day count must be an integer: ${n}` },
      ExitCode.usage,
    );
  }
  return fromDays(toDays(date) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  // 1970-01-01 (day 0) was a Thursday.
  return (((toDays(date) + 4) % 7) + 7) % 7;
}

/** -1, 0 or 1; usable as an Array#sort comparator. */
export function compareDates(a: string, b: string): -1 | 0 | 1 {
  const diff = toDays(a) - toDays(b);
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}

/** Signed number of days from a to b (b − a): daysBetween('2026-11-23', '2026-11-25') === 2. */
export function daysBetween(a: string, b: string): number {
  return toDays(b) - toDays(a);
}

/** '2026-11-23' → '11232026' (the bank file naming convention). */
export function toCompactMMDDYYYY(date: string): string {
  const p = splitDate(date);
  if (!p) throw dateError(date);
  return `${pad(p.m)}${pad(p.d)}${pad(p.y, 4)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Time zones
// ---------------------------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    if (!isValidTimeZone(tz)) {
      throw new CrmError('E1008', { zh: `时区无效: "${tz}"`, en: `invalid time zone "${tz}"` }, ExitCode.usage, {
        zh: '请使用 IANA 时区名，例如 Asia/Shanghai',
        en: 'use an IANA time zone name such as Asia/Shanghai',
      });
    }
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      calendar: 'gregory',
      numberingSystem: 'latn',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      // h23 avoids the "24:00" midnight that hour12:false produces on some ICU versions.
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  return f;
}

type WallTime = { y: number; mo: number; d: number; h: number; mi: number; s: number };

function assertInstant(instant: Date): number {
  const t = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (Number.isNaN(t)) {
    throw new CrmError(
      'E1003',
      { zh: `时间无效: ${String(instant)}`, en: `invalid instant: ${String(instant)}` },
      ExitCode.usage,
    );
  }
  return t;
}

/** Wall-clock fields of an instant in tz (second precision). */
function wallTime(t: number, tz: string): WallTime {
  const offset = cachedOffset(t, tz);
  if (offset !== undefined) {
    // UTC arithmetic on the shifted instant, truncated to the second like the formatter.
    const shifted = t + offset;
    const days = Math.floor(shifted / MS_PER_DAY);
    const secs = Math.floor((shifted - days * MS_PER_DAY) / 1000);
    const { y, m, d } = civilFromDays(days);
    return { y, mo: m, d, h: Math.floor(secs / 3600), mi: Math.floor(secs / 60) % 60, s: secs % 60 };
  }
  return formattedWallTime(t, tz);
}

const BUCKET_MS = 3_600_000;
/** tz → hour bucket → the zone's offset throughout that hour (NaN: it changes within the hour). */
const offsetCache = new Map<string, Map<number, number>>();

/**
 * The offset of tz at t when it is the same at both ends of t's hour (then it holds for the whole hour: zones
 * never change offset twice within an hour and back), else undefined. Computing it costs two formatter calls
 * per hour of time seen, instead of one per call: a feed of a million transactions of one day needs ~48.
 */
function cachedOffset(t: number, tz: string): number | undefined {
  let byHour = offsetCache.get(tz);
  if (!byHour) {
    formatterFor(tz); // validates tz
    byHour = new Map();
    offsetCache.set(tz, byHour);
  }
  const bucket = Math.floor(t / BUCKET_MS);
  let offset = byHour.get(bucket);
  if (offset === undefined) {
    const start = bucket * BUCKET_MS;
    const a = wallToEpoch(formattedWallTime(start, tz)) - start;
    const end = start + BUCKET_MS - 1000;
    const b = wallToEpoch(formattedWallTime(end, tz)) - end;
    offset = a === b ? a : Number.NaN;
    if (byHour.size >= 100_000) byHour.clear();
    byHour.set(bucket, offset);
  }
  return Number.isNaN(offset) ? undefined : offset;
}

/** Wall-clock fields of an instant in tz from Intl (the reference the cache is built from). */
function formattedWallTime(t: number, tz: string): WallTime {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(tz).formatToParts(new Date(t))) fields[part.type] = part.value;
  let y = Number(fields.year);
  if (fields.era === 'BC' || fields.era === 'B') y = 1 - y;
  return {
    y,
    mo: Number(fields.month),
    d: Number(fields.day),
    h: Number(fields.hour),
    mi: Number(fields.minute),
    s: Number(fields.second),
  };
}

/** Milliseconds since the epoch if the wall time were UTC. */
function wallToEpoch(w: WallTime): number {
  return daysFromCivil(w.y, w.mo, w.d) * MS_PER_DAY + ((w.h * 60 + w.mi) * 60 + w.s) * 1000;
}

/** UTC offset of tz at instant t, in milliseconds (positive east of Greenwich). */
function offsetAt(t: number, tz: string): number {
  const wholeSecond = t - (((t % 1000) + 1000) % 1000);
  return wallToEpoch(wallTime(wholeSecond, tz)) - wholeSecond;
}

/** 'YYYY-MM-DD' of the instant as seen in tz. */
export function businessDate(instant: Date, tz: string = DEFAULT_TIME_ZONE): string {
  const w = wallTime(assertInstant(instant), tz);
  return formatYmd(w.y, w.mo, w.d);
}

/** 'HH:mm:ss' of the instant as seen in tz. */
export function localTime(instant: Date, tz: string = DEFAULT_TIME_ZONE): string {
  const w = wallTime(assertInstant(instant), tz);
  return `${pad(w.h)}:${pad(w.mi)}:${pad(w.s)}`;
}

/** 'YYYY-MM-DD HH:mm:ss' of the instant as seen in tz. */
export function formatLocal(instant: Date, tz: string = DEFAULT_TIME_ZONE): string {
  return `${businessDate(instant, tz)} ${localTime(instant, tz)}`;
}

/**
 * ISO 8601 with the zone's offset, e.g. '2026-11-23T08:30:00+08:00' (UTC gives '+00:00').
 * Milliseconds are dropped. Historic offsets with seconds (LMT) are written as ±HH:MM:SS.
 */
export function isoWithOffset(instant: Date, tz: string = DEFAULT_TIME_ZONE): string {
  const t = assertInstant(instant);
  const w = wallTime(t, tz);
  const offsetSec = Math.round(offsetAt(t, tz) / 1000);
  const abs = Math.abs(offsetSec);
  const sign = offsetSec < 0 ? '-' : '+';
  const secs = abs % 60 ? `:${pad(abs % 60)}` : '';
  const offset = `${sign}${pad(Math.floor(abs / 3600))}:${pad(Math.floor(abs / 60) % 60)}${secs}`;
  return `${formatYmd(w.y, w.mo, w.d)}T${pad(w.h)}:${pad(w.mi)}:${pad(w.s)}${offset}`;
}

function dateTimeError(value: string, code = 'E1003', what: L10n = { zh: '日期时间', en: 'date-time' }): CrmError {
  return new CrmError(code, { zh: `${what.zh}无效: "${value}"`, en: `invalid ${what.en} "${value}"` }, ExitCode.usage, {
    zh: '格式为 YYYY-MM-DD HH:mm[:ss]（业务时区当地时间），或带时区的 ISO 8601，例如 2026-11-23T08:30:00+08:00',
    en: 'use YYYY-MM-DD HH:mm[:ss] (business-local time) or ISO 8601 with an offset, e.g. 2026-11-23T08:30:00+08:00',
  });
}

function parseTime(time: string): { h: number; mi: number; s: number } | undefined {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const s = Number(m[3] ?? '0');
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return { h, mi, s };
}

/**
 * The instant at which the wall clock in tz shows `date time` ('YYYY-MM-DD', 'HH:mm' or 'HH:mm:ss').
 *
 * DST: an ambiguous time (clocks turned back, the hour happens twice) resolves to the earlier instant;
 * a nonexistent time (clocks jumped forward) resolves to the later of the two candidate instants, i.e.
 * the wall time is pushed forward by the gap length (America/New_York 2026-03-08 02:30 → 03:30 EDT).
 * This is the same as Temporal's 'compatible' disambiguation. Throws E1003 for malformed input.
 */
export function zonedDateTime(date: string, time: string, tz: string = DEFAULT_TIME_ZONE): Date {
  const d = splitDate(date);
  const tm = parseTime(time);
  if (!d || !tm) throw dateTimeError(`${date} ${time}`);
  const wall = wallToEpoch({ y: d.y, mo: d.m, d: d.d, ...tm });

  // Offsets a day either side of the wall time bracket any transition near it (zones change offset at
  // most once within two days). Each candidate is valid if it maps back to the same wall time.
  const before = offsetAt(wall - MS_PER_DAY, tz);
  const after = offsetAt(wall + MS_PER_DAY, tz);
  const valid = [wall - before, wall - after].filter((t) => wallToEpoch(wallTime(t, tz)) === wall);
  if (valid.length > 0) return new Date(Math.min(...valid));
  // Gap: interpreting with the pre-transition offset yields the later instant.
  return new Date(wall - before);
}

/**
 * Parses a date-time typed by a person or given in CRM_NOW.
 * Accepted: 'YYYY-MM-DD HH:mm[:ss]', 'YYYY-MM-DDTHH:mm[:ss]', 'YYYY/MM/DD HH:mm[:ss]' (wall time in tz),
 * optional fractional seconds, and any of these followed by 'Z' or an offset (±HH:MM, ±HHMM, ±HH), in
 * which case the offset wins and tz is ignored. Throws E1003 (usage) naming the value.
 */
export function parseLocalDateTime(text: string, tz: string = DEFAULT_TIME_ZONE): Date {
  return parseDateTimeWith(text, tz, 'E1003');
}

function parseDateTimeWith(text: string, tz: string, code: string, what?: L10n): Date {
  const s = String(text).trim();
  // As offices and Excel write them too: 2026/9/29 13:30, 2026-9-29 13:30:00 (one-digit month and day).
  const m =
    /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
      s,
    );
  if (!m) throw dateTimeError(String(text), code, what);
  const [, y, , mo = '', d = '', time = '', fraction = '', zone] = m;
  const date = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const dp = splitDate(date);
  const tp = parseTime(time);
  if (!dp || !tp) throw dateTimeError(String(text), code, what);
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));

  if (zone === undefined) return new Date(zonedDateTime(date, time, tz).getTime() + ms);

  let offsetMin = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) throw dateTimeError(String(text), code, what);
    offsetMin = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const wall = wallToEpoch({ y: dp.y, mo: dp.m, d: dp.d, ...tp });
  return new Date(wall - offsetMin * 60_000 + ms);
}

// ---------------------------------------------------------------------------------------------------------
// Clocks
// ---------------------------------------------------------------------------------------------------------

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock frozen at one instant. A string is parsed like parseLocalDateTime: with an offset/'Z' it is
 * absolute, without one it is wall time in tz (default Asia/Shanghai). Invalid input throws E1002.
 */
export function fixedClock(iso: string | Date, tz: string = DEFAULT_TIME_ZONE): Clock {
  const t =
    iso instanceof Date
      ? assertInstant(iso)
      : parseDateTimeWith(iso, tz, 'E1002', { zh: '固定时间', en: 'fixed time' }).getTime();
  return frozenAt(t);
}

function frozenAt(t: number): Clock {
  // Hand out a fresh Date each time so callers cannot mutate the clock.
  return { now: () => new Date(t) };
}

/**
 * The process clock: fixed at CRM_NOW when set (tests, demos, re-running a past day), else the system clock.
 * CRM_NOW is ISO 8601; with 'Z' or an offset it is absolute, without one it is wall time in the business
 * time zone `tz`. An invalid value throws E1002 (usage) naming it. An empty CRM_NOW counts as unset.
 */
export function clockFromEnv(env: Record<string, string | undefined>, tz: string = DEFAULT_TIME_ZONE): Clock {
  const raw = env.CRM_NOW;
  if (raw === undefined || raw.trim() === '') return systemClock;
  return frozenAt(parseDateTimeWith(raw, tz, 'E1002', { zh: '环境变量 CRM_NOW ', en: 'CRM_NOW' }).getTime());
}
