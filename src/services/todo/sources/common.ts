import { addDays, zonedDateTime } from '../../../domain/clock.js';
import type { TodoQuery } from '../registry.js';

/** The instant a business date starts, as a UTC ISO string. */
export const startOf = (date: string, tz: string): string => zonedDateTime(date, '00:00', tz).toISOString();
/** The first instant after today (business time zone). */
export const endOfToday = (q: TodoQuery): string => startOf(addDays(q.date, 1), q.timeZone);
/** The first instant after the "soon" window (`todo.soonDays` days after today). */
export const endOfSoon = (q: TodoQuery): string => startOf(addDays(q.date, q.soonDays + 1), q.timeZone);
export const ids = (q: TodoQuery): number[] => q.users.map((u) => u.id);
/** A command argument, quoted when it holds spaces or quotes. */
export const arg = (v: string): string => (/^[\w.@:/#-]+$/u.test(v) ? v : `"${v.replace(/(["\\$`])/g, '\\$1')}"`);
