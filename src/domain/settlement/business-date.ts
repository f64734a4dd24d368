/**
 * Business-date assignment for settlement transactions (domain.md §4, step 3). Pure: the calendar and the
 * set of days already cut off are inputs.
 *
 * Rule: a transaction belongs to the first working day D whose cutoff (D at `cutoffAt`, business time zone)
 * is at or after its time. If D is already cut off (state cut_off or cleared) when the transaction arrives,
 * it goes to the next working day that is not cut off and is flagged late. It never enters a cut-off day.
 */
import { addDays, businessDate, zonedDateTime } from '../clock.js';

/** The part of the working calendar the rule needs (WorkingCalendar satisfies it). */
export interface WorkingDays {
  isWorkingDay(date: string): boolean;
  nextWorkingDay(date: string): string;
}

export interface BusinessDateRule {
  /** IANA time zone of the business (settings `timezone`). */
  timeZone: string;
  /** 'HH:mm' or 'HH:mm:ss' (settings `settlement.cutoffAt`). */
  cutoffAt: string;
  calendar: WorkingDays;
  /** True when the day no longer takes transactions (business_days state cut_off or cleared). */
  isCutOff(date: string): boolean;
}

export interface BusinessDateAssignment {
  /** The working day the transaction belongs to. */
  businessDate: string;
  /** The day the time alone points to, before skipping days already cut off. */
  nominalDate: string;
  /** The nominal day was already cut off, so the transaction moved to a later day. */
  late: boolean;
}

/** The working day whose cutoff is the first at or after `occurredAt` (ignoring day states). */
export function nominalBusinessDate(occurredAt: Date, rule: Omit<BusinessDateRule, 'isCutOff'>): string {
  const local = businessDate(occurredAt, rule.timeZone);
  if (rule.calendar.isWorkingDay(local)) {
    const cutoff = zonedDateTime(local, rule.cutoffAt, rule.timeZone);
    if (occurredAt.getTime() <= cutoff.getTime()) return local;
  }
  // After the cutoff of a working day, or any time on a day off: the next working day. Its cutoff is on a
  // later calendar day, so it is necessarily after the time.
  return rule.calendar.nextWorkingDay(local);
}

export function assignBusinessDate(occurredAt: Date, rule: BusinessDateRule): BusinessDateAssignment {
  return assignFromNominal(nominalBusinessDate(occurredAt, rule), rule);
}

/** The assignment of a transaction whose nominal day is known (see nominalBusinessDate). */
export function assignFromNominal(nominal: string, rule: BusinessDateRule): BusinessDateAssignment {
  let d = nominal;
  // Terminates: finitely many days are cut off, and the calendar throws E1101 past its covered years.
  while (rule.isCutOff(d)) d = rule.calendar.nextWorkingDay(d);
  return { businessDate: d, nominalDate: nominal, late: d !== nominal };
}

/**
 * nominalBusinessDate for many times under one rule (an import): the same answers, with what depends only on
 * the local date (working day or not, the cutoff instant, the next working day) computed once per date instead
 * of once per time. The next working day is looked up only when a time needs it, as nominalBusinessDate does
 * (the calendar throws past its covered years).
 */
export function nominalDater(rule: Omit<BusinessDateRule, 'isCutOff'>): (occurredAt: Date) => string {
  const days = new Map<string, { cutoff: number; next: string | null }>();
  return (occurredAt) => {
    const local = businessDate(occurredAt, rule.timeZone);
    let day = days.get(local);
    if (!day) {
      const cutoff = rule.calendar.isWorkingDay(local)
        ? zonedDateTime(local, rule.cutoffAt, rule.timeZone).getTime()
        : Number.NEGATIVE_INFINITY;
      day = { cutoff, next: null };
      if (days.size >= 10_000) days.clear();
      days.set(local, day);
    }
    if (occurredAt.getTime() <= day.cutoff) return local;
    day.next ??= rule.calendar.nextWorkingDay(local);
    return day.next;
  };
}

/**
 * Dates a batch of occurrences may land on: from the earliest local date to some days past the latest,
 * used to preload day states once per chunk. Returns [from, to] inclusive (calendar dates).
 */
export function candidateDateRange(times: Date[], timeZone: string, slackDays = 40): [string, string] | null {
  if (times.length === 0) return null;
  let min = times[0]!.getTime();
  let max = min;
  for (const t of times) {
    const v = t.getTime();
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [businessDate(new Date(min), timeZone), addDays(businessDate(new Date(max), timeZone), slackDays)];
}
