import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../src/domain/calendar.js';
import { addDays, parseLocalDateTime } from '../../src/domain/clock.js';
import {
  assignBusinessDate,
  assignFromNominal,
  nominalBusinessDate,
  nominalDater,
} from '../../src/domain/settlement/business-date.js';

const calendar = new WorkingCalendar({
  overrides: [{ date: '2007-09-22', kind: 'workday', reason: '总中心周末开机维护' }],
});
const rule = (cut: string[] = []) => ({
  timeZone: 'Asia/Shanghai',
  cutoffAt: '15:30',
  calendar,
  isCutOff: (d: string) => cut.includes(d),
});
const at = (s: string) => parseLocalDateTime(s, 'Asia/Shanghai');
const assign = (s: string, cut: string[] = []) => assignBusinessDate(at(s), rule(cut));

describe('assignBusinessDate', () => {
  it('puts 15:29:59 and 15:30:00 on the day, 15:30:01 on the next working day', () => {
    expect(assign('2026-11-23 15:29:59')).toEqual({
      businessDate: '2026-11-23',
      nominalDate: '2026-11-23',
      late: false,
    });
    expect(assign('2026-11-23 15:30:00').businessDate).toBe('2026-11-23');
    expect(assign('2026-11-23 15:30:01').businessDate).toBe('2026-11-24');
    // Friday after cutoff goes to Monday.
    expect(assign('2026-11-27 15:30:01').businessDate).toBe('2026-11-30');
  });

  it('sub-second past the cutoff is after it', () => {
    expect(assign('2026-11-23 15:30:00.001').businessDate).toBe('2026-11-24');
  });

  it('puts a Saturday transaction on Monday, early morning on the same day', () => {
    expect(assign('2026-11-28 10:00:00').businessDate).toBe('2026-11-30');
    expect(assign('2026-11-30 00:00:00').businessDate).toBe('2026-11-30');
  });

  it('skips the National Day holiday and honours the make-up working day', () => {
    expect(assign('2026-09-30 16:00:00').businessDate).toBe('2026-10-08');
    expect(assign('2026-10-03 09:00:00').businessDate).toBe('2026-10-08');
    expect(assign('2026-10-09 15:31:00').businessDate).toBe('2026-10-10'); // Saturday make-up day
  });

  it('uses the business time zone, not UTC', () => {
    // 07:29:59Z is 15:29:59 in Shanghai.
    expect(assignBusinessDate(new Date('2026-11-23T07:29:59Z'), rule()).businessDate).toBe('2026-11-23');
    expect(assignBusinessDate(new Date('2026-11-23T07:30:01Z'), rule()).businessDate).toBe('2026-11-24');
  });

  it('a weekend declared a working day by override takes transactions (2007-09-22)', () => {
    expect(assign('2007-09-22 10:00:00').businessDate).toBe('2007-09-22');
  });

  it('moves a transaction whose day is cut off to the next day not cut off, flagged late', () => {
    expect(assign('2026-11-23 15:00:00', ['2026-11-23'])).toEqual({
      businessDate: '2026-11-24',
      nominalDate: '2026-11-23',
      late: true,
    });
    expect(assign('2026-11-27 15:00:00', ['2026-11-27', '2026-11-30']).businessDate).toBe('2026-12-01');
  });

  it('never lands on a cut-off day or a day off, and never before the nominal day (property)', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const end = Date.parse('2026-12-20T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: start, max: end }),
        fc.array(fc.integer({ min: 0, max: 360 }), { maxLength: 30 }),
        (t, offsets) => {
          const cut = offsets.map((o) => addDays('2026-01-01', o));
          const r = assignBusinessDate(new Date(t), rule(cut));
          expect(cut).not.toContain(r.businessDate);
          expect(calendar.isWorkingDay(r.businessDate)).toBe(true);
          expect(r.businessDate >= r.nominalDate).toBe(true);
          expect(r.late).toBe(r.businessDate !== r.nominalDate);
          // The nominal day's cutoff is at or after the time, and the previous working day's is before it.
          const cutoff = parseLocalDateTime(`${r.nominalDate} 15:30`, 'Asia/Shanghai').getTime();
          expect(cutoff).toBeGreaterThanOrEqual(t);
          const prev = calendar.previousWorkingDay(r.nominalDate);
          expect(parseLocalDateTime(`${prev} 15:30`, 'Asia/Shanghai').getTime()).toBeLessThan(t);
          expect(nominalBusinessDate(new Date(t), rule())).toBe(r.nominalDate);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('nominalDater (one rule, many times)', () => {
  it('answers as nominalBusinessDate for times in any order, around cutoffs, days off and time zones', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const end = Date.parse('2026-12-20T00:00:00Z');
    const cutoffs = fc.integer({ min: 0, max: 350 }).map((o) => at(`${addDays('2026-01-01', o)} 15:30`).getTime());
    // Times near cutoffs (±2 s) as well as anywhere, in the rule's zone and in one with daylight saving time.
    const time = fc.oneof(
      fc.integer({ min: start, max: end }),
      fc.tuple(cutoffs, fc.integer({ min: -2000, max: 2000 })).map(([c, d]) => c + d),
    );
    fc.assert(
      fc.property(
        fc.array(time, { maxLength: 60 }),
        fc.constantFrom('Asia/Shanghai', 'Europe/Berlin'),
        (times, timeZone) => {
          const r = { ...rule(), timeZone };
          const dater = nominalDater(r);
          for (const t of times) expect(dater(new Date(t))).toBe(nominalBusinessDate(new Date(t), r));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('assignFromNominal gives what assignBusinessDate gives', () => {
    const cut = ['2026-11-23', '2026-11-24'];
    for (const s of ['2026-11-23 15:00:00', '2026-11-23 16:00:00', '2026-11-21 09:00:00', '2026-11-25 09:00:00']) {
      const r = rule(cut);
      expect(assignFromNominal(nominalBusinessDate(at(s), r), r)).toEqual(assignBusinessDate(at(s), r));
    }
  });
});
