/**
 * Service levels in working time (客户服务时限): due times count only the working hours of working days
 * (the PRC calendar with its make-up days and local overrides), in the business time zone. Pure: the
 * calendar, the time zone and the working hours are parameters. Arithmetic is in whole minutes.
 */
import type { WorkingCalendar } from '../calendar.js';
import { addDays, businessDate, zonedDateTime } from '../clock.js';
import { CrmError, ExitCode } from '../errors.js';

export interface WorkingHours {
  /** 'HH:mm' start and end of the working day (business time zone). */
  start: string;
  end: string;
}

const MINUTE = 60_000;

const toMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/** `08:30-17:30` → {start, end}; throws a plain Error saying what is expected (settings parse). */
export function parseWorkingHours(raw: string): WorkingHours {
  const m = /^([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-3]):([0-5]\d)$/.exec(raw.trim());
  if (!m) throw new Error('working hours HH:mm-HH:mm, e.g. 08:30-17:30');
  const wh = { start: `${m[1]}:${m[2]}`, end: `${m[3]}:${m[4]}` };
  if (toMinutes(wh.end) <= toMinutes(wh.start)) throw new Error('the end of the working day after its start');
  return wh;
}

interface Window {
  date: string;
  open: number;
  close: number;
}

function windowOf(date: string, wh: WorkingHours, tz: string): Window {
  return { date, open: zonedDateTime(date, wh.start, tz).getTime(), close: zonedDateTime(date, wh.end, tz).getTime() };
}

/** The working window of `date`, or null on a day off. Throws E1101 for a year the calendar does not cover. */
function workingWindow(date: string, cal: WorkingCalendar, wh: WorkingHours, tz: string): Window | null {
  return cal.isWorkingDay(date) ? windowOf(date, wh, tz) : null;
}

/**
 * The instant `minutes` working minutes after `from`. A start outside working hours counts from the next
 * opening; a due time that lands exactly on the end of a working day stays on that day (17:30, not 08:30 the
 * next working day). Zero minutes from inside working hours is `from` itself.
 */
export function addWorkingMinutes(
  from: Date,
  minutes: number,
  cal: WorkingCalendar,
  wh: WorkingHours,
  tz: string,
): Date {
  if (!Number.isInteger(minutes) || minutes < 0) {
    throw new CrmError('E4150', { zh: `时限分钟数无效：${minutes}`, en: `invalid service-level minutes: ${minutes}` });
  }
  let remaining = minutes * MINUTE;
  let cursor = from.getTime();
  let date = businessDate(from, tz);
  // Bounded: the calendar throws E1101 once the walk leaves the covered years.
  for (;;) {
    const w = workingWindow(date, cal, wh, tz);
    if (w && cursor < w.close) {
      const start = Math.max(cursor, w.open);
      const available = w.close - start;
      if (remaining <= available) return new Date(start + remaining);
      remaining -= available;
    }
    date = addDays(date, 1);
    cursor = zonedDateTime(date, '00:00', tz).getTime();
  }
}

/** Working minutes between two instants (0 when `to` is not after `from`), for reports and met/breached. */
export function workingMinutesBetween(
  from: Date,
  to: Date,
  cal: WorkingCalendar,
  wh: WorkingHours,
  tz: string,
): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  for (let date = businessDate(from, tz); ; date = addDays(date, 1)) {
    const w = workingWindow(date, cal, wh, tz);
    if (w) {
      if (w.open >= b) break;
      total += Math.max(0, Math.min(b, w.close) - Math.max(a, w.open));
    } else if (zonedDateTime(date, '00:00', tz).getTime() >= b) break;
  }
  return Math.round(total / MINUTE);
}

/** Hours as typed in settings (whole or decimal, e.g. 1.5) to minutes. */
export function hoursToMinutes(hours: number): number {
  return Math.round(hours * 60);
}

export const slaError = (zh: string, en: string) => new CrmError('E4150', { zh, en }, ExitCode.usage);
