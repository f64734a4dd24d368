import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../src/domain/calendar.js';
import { formatLocal } from '../../src/domain/clock.js';
import { CrmError } from '../../src/domain/errors.js';
import { addWorkingMinutes, parseWorkingHours, workingMinutesBetween } from '../../src/domain/service/sla.js';
import {
  checkTransition,
  formatNumber,
  numberPrefix,
  parseKind,
  parseScore,
} from '../../src/domain/service/tickets.js';
import { hourlySlots } from '../../src/services/jobs/schedule.js';

const TZ = 'Asia/Shanghai';
const cal = new WorkingCalendar({});
const wh = parseWorkingHours('08:30-17:30');
const at = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const due = (from: string, hours: number, calendar = cal) =>
  formatLocal(addWorkingMinutes(at(from), hours * 60, calendar, wh, TZ), TZ).slice(0, 16);

describe('due times in working hours', () => {
  it('the worked example: high complaint Wed 2026-09-30 16:00 across National Day', () => {
    expect(due('2026-09-30 16:00', 4)).toBe('2026-10-08 11:00');
    expect(due('2026-09-30 16:00', 16)).toBe('2026-10-09 14:00');
  });

  it('within one working day', () => {
    expect(due('2026-11-23 10:00', 1)).toBe('2026-11-23 11:00');
  });

  it('received before opening counts from the opening', () => {
    expect(due('2026-11-23 06:15', 1)).toBe('2026-11-23 09:30');
  });

  it('received after closing counts from the next working day', () => {
    expect(due('2026-11-23 19:00', 2)).toBe('2026-11-24 10:30');
  });

  it('received on a Friday evening skips the weekend', () => {
    expect(due('2026-11-27 17:00', 1)).toBe('2026-11-30 09:00');
  });

  it('received on a public holiday counts from the first working day after it', () => {
    // 2026-10-01 … 10-07 National Day.
    expect(due('2026-10-03 10:00', 1)).toBe('2026-10-08 09:30');
  });

  it('a make-up Saturday is a working day (2026-10-10 for National Day)', () => {
    expect(due('2026-10-09 17:00', 1)).toBe('2026-10-10 09:00');
    // and the Sunday before it (2026-09-20) too
    expect(due('2026-09-19 12:00', 1)).toBe('2026-09-20 09:30');
  });

  it('a due time exactly at the end of a working day stays on that day', () => {
    expect(due('2026-11-23 16:30', 1)).toBe('2026-11-23 17:30');
    expect(due('2026-11-23 08:30', 9)).toBe('2026-11-23 17:30');
    expect(due('2026-11-23 08:00', 18)).toBe('2026-11-24 17:30');
  });

  it('received exactly at the close counts from the next opening', () => {
    expect(due('2026-11-23 17:30', 1)).toBe('2026-11-24 09:30');
  });

  it('a local closure override is skipped, a local workday counts', () => {
    const local = new WorkingCalendar({
      overrides: [
        { date: '2026-11-24', kind: 'closure', reason: 'maintenance' },
        { date: '2026-11-28', kind: 'workday', reason: 'weekend opening' },
      ],
    });
    expect(due('2026-11-23 17:00', 1, local)).toBe('2026-11-25 09:00');
    expect(due('2026-11-27 17:00', 1, local)).toBe('2026-11-28 09:00');
  });

  it('does not depend on the machine time zone: the business zone decides', () => {
    const utc = addWorkingMinutes(new Date('2026-11-23T02:00:00Z'), 60, cal, wh, TZ);
    expect(utc.toISOString()).toBe('2026-11-23T03:00:00.000Z');
  });

  it('a year the calendar does not cover is an error, not a guess', () => {
    expect(() => due('2026-12-31 17:00', 8)).toThrowError(CrmError);
  });
});

describe('working minutes between two instants', () => {
  it('counts only working hours', () => {
    expect(workingMinutesBetween(at('2026-09-30 16:00'), at('2026-10-09 14:00'), cal, wh, TZ)).toBe(16 * 60);
    expect(workingMinutesBetween(at('2026-11-23 18:00'), at('2026-11-24 08:00'), cal, wh, TZ)).toBe(0);
    expect(workingMinutesBetween(at('2026-11-24 08:00'), at('2026-11-23 18:00'), cal, wh, TZ)).toBe(0);
  });
});

describe('working hours setting', () => {
  it('refuses an end before the start and nonsense', () => {
    expect(() => parseWorkingHours('17:30-08:30')).toThrow(/after its start/);
    expect(() => parseWorkingHours('9-5')).toThrow(/HH:mm-HH:mm/);
  });

  it('the hourly job runs from the first full hour to the first full hour after the close', () => {
    expect(hourlySlots('08:30-17:30')).toEqual(['09', '10', '11', '12', '13', '14', '15', '16', '17', '18']);
    expect(hourlySlots('09:00-17:00')).toEqual(['09', '10', '11', '12', '13', '14', '15', '16', '17']);
  });
});

describe('ticket rules', () => {
  it('numbers follow the pattern and the day', () => {
    expect(formatNumber('CS{YYYYMMDD}-{SEQ4}', '2026-11-23', 7)).toBe('CS20261123-0007');
    expect(numberPrefix('CS{YYYYMMDD}-{SEQ4}', '2026-11-23')).toBe('CS20261123-');
  });

  it('kinds in English or Chinese; unknown ones refused with E4101', () => {
    expect(parseKind('投诉')).toBe('complaint');
    expect(parseKind('业务受理')).toBe('request');
    expect(parseKind('Fault')).toBe('fault');
    expect(() => parseKind('praise')).toThrowError(expect.objectContaining({ code: 'E4101' }));
  });

  it('satisfaction is a whole number 1–5', () => {
    expect(parseScore('5')).toBe(5);
    for (const bad of ['0', '6', '2.5', 'x'])
      expect(() => parseScore(bad)).toThrowError(expect.objectContaining({ code: 'E4110' }));
  });

  it('a step not allowed from the status is E4108 (exit 5)', () => {
    expect(() => checkTransition('CS1', 'close', 'open')).toThrowError(
      expect.objectContaining({ code: 'E4108', exitCode: 5 }),
    );
    expect(() => checkTransition('CS1', 'resolve', 'reopened')).not.toThrow();
  });
});
