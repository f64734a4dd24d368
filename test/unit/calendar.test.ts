import { describe, expect, it } from 'vitest';
import { type CalendarOverride, type ImportedYear, WorkingCalendar } from '../../src/domain/calendar.js';
import { addDays } from '../../src/domain/clock.js';
import { CrmError, ExitCode } from '../../src/domain/errors.js';

function crmErrorOf(fn: () => unknown): CrmError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CrmError) return e;
    throw e;
  }
  throw new Error('expected a CrmError');
}

const plain = new WorkingCalendar({});

/** A made-up 2027 schedule, as an administrator would import it. */
const imported2027: ImportedYear = {
  year: 2027,
  holidays: {
    '2027-01-01': "New Year's Day,元旦,1",
    '2027-02-06': 'Spring Festival,春节,4',
    '2027-02-07': 'Spring Festival,春节,4',
    '2027-02-08': 'Spring Festival,春节,4',
    '2027-02-09': 'Spring Festival,春节,4',
    '2027-02-10': 'Spring Festival,春节,4',
    '2027-02-11': 'Spring Festival,春节,4',
    '2027-02-12': 'Spring Festival,春节,4',
  },
  workdays: { '2027-02-14': 'Spring Festival,春节,4' },
};

describe('package data coverage', () => {
  it('covers every year from 2004 to 2026', () => {
    const years = plain.coveredYears();
    expect(years[0]).toBe(2004);
    expect(years.at(-1)).toBe(2026);
    expect(years).toHaveLength(23);
  });
});

describe('2026 National Day (data: holidays 10-01..10-07, make-up days 09-20 and 10-10)', () => {
  it('marks 2026-10-01..2026-10-07 as public holidays', () => {
    for (let d = '2026-10-01'; d <= '2026-10-07'; d = addDays(d, 1)) {
      expect(plain.dayInfo(d)).toEqual({
        date: d,
        workingDay: false,
        reason: { zh: '国庆节 (法定节假日)', en: 'National Day (public holiday)' },
      });
    }
  });

  it('2026-10-08 (Thursday) is an ordinary working day again', () => {
    expect(plain.dayInfo('2026-10-08')).toEqual({
      date: '2026-10-08',
      workingDay: true,
      reason: { zh: '工作日', en: 'working day' },
    });
  });

  it('the weekend make-up days are working days', () => {
    expect(plain.dayInfo('2026-09-20')).toEqual({
      date: '2026-09-20',
      workingDay: true,
      reason: { zh: '调休工作日：国庆节', en: 'make-up working day for National Day' },
    });
    expect(plain.isWorkingDay('2026-10-10')).toBe(true); // Saturday
    expect(plain.dayInfo('2026-10-10').reason.zh).toBe('调休工作日：国庆节');
    expect(plain.isWorkingDay('2026-10-11')).toBe(false); // Sunday
  });

  it('all 2026 make-up days in the data are working days', () => {
    for (const d of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) {
      expect(plain.isWorkingDay(d), d).toBe(true);
    }
  });

  it('previous/next working day jump over Mid-autumn + National Day', () => {
    // 09-25..09-27 Mid-autumn, 10-01..10-07 National Day.
    expect(plain.previousWorkingDay('2026-10-08')).toBe('2026-09-30');
    expect(plain.nextWorkingDay('2026-09-30')).toBe('2026-10-08');
    expect(plain.nextWorkingDay('2026-10-09')).toBe('2026-10-10');
    expect(plain.previousWorkingDay('2026-09-28')).toBe('2026-09-24');
    expect(plain.previousWorkingDay('2026-09-21')).toBe('2026-09-20');
  });

  it('workingDaysBetween lists the inclusive range', () => {
    expect(plain.workingDaysBetween('2026-09-19', '2026-10-11')).toEqual([
      '2026-09-20',
      '2026-09-21',
      '2026-09-22',
      '2026-09-23',
      '2026-09-24',
      '2026-09-28',
      '2026-09-29',
      '2026-09-30',
      '2026-10-08',
      '2026-10-09',
      '2026-10-10',
    ]);
    expect(plain.workingDaysBetween('2026-10-08', '2026-10-08')).toEqual(['2026-10-08']);
    expect(plain.workingDaysBetween('2026-10-01', '2026-10-07')).toEqual([]);
    const err = crmErrorOf(() => plain.workingDaysBetween('2026-10-09', '2026-10-08'));
    expect(err).toMatchObject({ code: 'E1102', exitCode: ExitCode.usage });
    expect(err.messages.en).toContain('2026-10-09');
  });

  it('ordinary weekends and weekdays', () => {
    expect(plain.dayInfo('2026-11-21')).toEqual({
      date: '2026-11-21',
      workingDay: false,
      reason: { zh: '周末', en: 'weekend' },
    });
    expect(plain.isWorkingDay('2026-11-22')).toBe(false);
    expect(plain.isWorkingDay('2026-11-23')).toBe(true);
    expect(plain.nextWorkingDay('2026-11-20')).toBe('2026-11-23');
    expect(plain.previousWorkingDay('2026-11-23')).toBe('2026-11-20');
  });
});

describe('local overrides', () => {
  const maintenance: CalendarOverride = { date: '2007-09-22', kind: 'workday', reason: '总中心周末开机维护' };

  it('2007-09-22 is a Saturday and not a working day by default', () => {
    expect(plain.dayInfo('2007-09-22')).toMatchObject({ workingDay: false, reason: { en: 'weekend' } });
    expect(plain.previousWorkingDay('2007-09-24')).toBe('2007-09-21');
  });

  it('a workday override opens the centre on that Saturday', () => {
    const cal = new WorkingCalendar({ overrides: [maintenance] });
    expect(cal.dayInfo('2007-09-22')).toEqual({
      date: '2007-09-22',
      workingDay: true,
      reason: { zh: '本地调整：总中心周末开机维护', en: 'local override: 总中心周末开机维护' },
    });
    expect(cal.previousWorkingDay('2007-09-24')).toBe('2007-09-22');
    expect(cal.nextWorkingDay('2007-09-21')).toBe('2007-09-22');
    expect(cal.isWorkingDay('2007-09-23')).toBe(false);
  });

  it('a closure override shuts a normal Wednesday', () => {
    const cal = new WorkingCalendar({ overrides: [{ date: '2026-11-25', kind: 'closure', reason: '机房停电检修' }] });
    expect(plain.isWorkingDay('2026-11-25')).toBe(true);
    expect(cal.dayInfo('2026-11-25')).toEqual({
      date: '2026-11-25',
      workingDay: false,
      reason: { zh: '本地调整：机房停电检修', en: 'local override: 机房停电检修' },
    });
    expect(cal.previousWorkingDay('2026-11-26')).toBe('2026-11-24');
    expect(cal.nextWorkingDay('2026-11-24')).toBe('2026-11-26');
    expect(cal.workingDaysBetween('2026-11-23', '2026-11-27')).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-26',
      '2026-11-27',
    ]);
  });

  it('overrides beat holidays and make-up days', () => {
    const cal = new WorkingCalendar({
      overrides: [
        { date: '2026-10-02', kind: 'workday', reason: '国庆值班清算' },
        { date: '2026-10-10', kind: 'closure', reason: '系统升级' },
      ],
    });
    expect(cal.isWorkingDay('2026-10-02')).toBe(true);
    expect(cal.isWorkingDay('2026-10-10')).toBe(false);
    expect(cal.previousWorkingDay('2026-10-08')).toBe('2026-10-02');
  });

  it('rejects malformed overrides', () => {
    const badDate = crmErrorOf(
      () => new WorkingCalendar({ overrides: [{ date: '2026-02-30', kind: 'closure', reason: 'x' }] }),
    );
    expect(badDate.code).toBe('E1004');
    expect(badDate.messages.en).toContain('2026-02-30');

    const dup = crmErrorOf(
      () =>
        new WorkingCalendar({
          overrides: [
            { date: '2026-11-25', kind: 'closure', reason: 'a' },
            { date: '2026-11-25', kind: 'workday', reason: 'b' },
          ],
        }),
    );
    expect(dup.code).toBe('E1102');
    expect(dup.messages.en).toContain('2026-11-25');

    const kind = 'holiday' as unknown as CalendarOverride['kind'];
    const badKind = crmErrorOf(() => new WorkingCalendar({ overrides: [{ date: '2026-11-25', kind, reason: 'x' }] }));
    expect(badKind.code).toBe('E1102');
    expect(badKind.messages.en).toContain('holiday');
  });
});

describe('uncovered years', () => {
  it('2027 throws E1101 with instructions instead of guessing Monday–Friday', () => {
    const err = crmErrorOf(() => plain.dayInfo('2027-03-03'));
    expect(err).toBeInstanceOf(CrmError);
    expect(err.code).toBe('E1101');
    expect(err.exitCode).toBe(ExitCode.error);
    expect(err.messages.zh).toBe(
      '日历未覆盖 2027 年：请管理员用 "crm calendar import FILE" 导入该年节假日，或用 "crm calendar add" 逐日登记',
    );
    expect(err.messages.en).toContain('2027');
    expect(err.messages.en).toContain('crm calendar import FILE');
    expect(err.messages.en).toContain('crm calendar add');
    expect(err.hint?.en).toContain('2004–2026');
    expect(() => plain.isWorkingDay('2027-03-03')).toThrow(CrmError);
    expect(crmErrorOf(() => plain.dayInfo('2003-12-31')).messages.zh).toContain('2003 年');
  });

  it('an override answers for its own date even in an uncovered year', () => {
    const cal = new WorkingCalendar({ overrides: [{ date: '2027-01-04', kind: 'workday', reason: '临时开机' }] });
    expect(cal.dayInfo('2027-01-04')).toMatchObject({ workingDay: true, reason: { zh: '本地调整：临时开机' } });
    expect(cal.nextWorkingDay('2027-01-03')).toBe('2027-01-04');
    // Other 2027 dates still throw, so walking from 2026 stops at 2027-01-01.
    expect(crmErrorOf(() => cal.nextWorkingDay('2026-12-31')).code).toBe('E1101');
    expect(crmErrorOf(() => cal.dayInfo('2027-01-05')).code).toBe('E1101');
  });

  it('walking across a year boundary into an uncovered year throws', () => {
    // 2026-12-31 is a Thursday; the next day is in 2027.
    expect(crmErrorOf(() => plain.nextWorkingDay('2026-12-31')).code).toBe('E1101');
    expect(crmErrorOf(() => plain.nextWorkingDay('2026-12-31')).messages.zh).toContain('2027 年');
    // 2004-01-01 is New Year's Day and the first covered date.
    expect(crmErrorOf(() => plain.previousWorkingDay('2004-01-02')).code).toBe('E1101');
    expect(crmErrorOf(() => plain.workingDaysBetween('2026-12-30', '2027-01-02')).code).toBe('E1101');
    expect(plain.previousWorkingDay('2026-12-31')).toBe('2026-12-30');
  });

  it('an imported 2027 makes 2027 answer', () => {
    const cal = new WorkingCalendar({ importedYears: [imported2027] });
    expect(cal.coveredYears().at(-1)).toBe(2027);
    expect(cal.coveredYears()).toHaveLength(24);
    expect(cal.dayInfo('2027-01-01')).toEqual({
      date: '2027-01-01',
      workingDay: false,
      reason: { zh: '元旦 (法定节假日)', en: "New Year's Day (public holiday)" },
    });
    // 01-01 holiday, 01-02/03 weekend.
    expect(cal.nextWorkingDay('2026-12-31')).toBe('2027-01-04');
    expect(cal.previousWorkingDay('2027-01-04')).toBe('2026-12-31');
    expect(cal.isWorkingDay('2027-02-14')).toBe(true); // Sunday make-up day
    expect(cal.dayInfo('2027-02-14').reason).toEqual({
      zh: '调休工作日：春节',
      en: 'make-up working day for Spring Festival',
    });
    expect(cal.previousWorkingDay('2027-02-15')).toBe('2027-02-14');
    expect(cal.previousWorkingDay('2027-02-14')).toBe('2027-02-05');
    expect(cal.isWorkingDay('2027-03-03')).toBe(true);
    expect(crmErrorOf(() => cal.nextWorkingDay('2027-12-31')).messages.zh).toContain('2028 年');
  });

  it('accepts single-name entries in imported years', () => {
    const cal = new WorkingCalendar({
      importedYears: [{ year: 2028, holidays: { '2028-01-03': '元旦' }, workdays: {} }],
    });
    expect(cal.dayInfo('2028-01-03').reason).toEqual({ zh: '元旦 (法定节假日)', en: '元旦 (public holiday)' });
    expect(cal.isWorkingDay('2028-01-04')).toBe(true);
    // 2027 is still a gap between the package and the imported year.
    expect(crmErrorOf(() => cal.dayInfo('2027-06-01')).code).toBe('E1101');
    expect(cal.coveredYears()).toContain(2028);
    expect(cal.coveredYears()).not.toContain(2027);
  });

  it('an imported year replaces the package data for that year', () => {
    const cal = new WorkingCalendar({ importedYears: [{ year: 2026, holidays: {}, workdays: {} }] });
    expect(cal.isWorkingDay('2026-10-01')).toBe(true); // a Thursday with no holiday in the import
    expect(cal.isWorkingDay('2026-10-10')).toBe(false);
    expect(plain.isWorkingDay('2026-10-01')).toBe(false);
  });

  it('rejects malformed imports', () => {
    const wrongYear = crmErrorOf(
      () => new WorkingCalendar({ importedYears: [{ year: 2027, holidays: { '2028-01-01': 'x' }, workdays: {} }] }),
    );
    expect(wrongYear).toMatchObject({ code: 'E1102', exitCode: ExitCode.usage });
    expect(wrongYear.messages.en).toContain('2028-01-01');

    const both = crmErrorOf(
      () =>
        new WorkingCalendar({
          importedYears: [{ year: 2027, holidays: { '2027-01-01': 'x' }, workdays: { '2027-01-01': 'y' } }],
        }),
    );
    expect(both.code).toBe('E1102');

    expect(crmErrorOf(() => new WorkingCalendar({ importedYears: [imported2027, imported2027] })).code).toBe('E1102');
    expect(
      crmErrorOf(() => new WorkingCalendar({ importedYears: [{ year: 27, holidays: {}, workdays: {} }] })).code,
    ).toBe('E1102');
    expect(
      crmErrorOf(
        () => new WorkingCalendar({ importedYears: [{ year: 2027, holidays: { '2027-02-30': 'x' }, workdays: {} }] }),
      ).code,
    ).toBe('E1004');
  });
});

describe('input validation', () => {
  it('rejects malformed dates with E1004', () => {
    for (const bad of ['2026-02-30', '2026/10/01', 'today', '']) {
      const err = crmErrorOf(() => plain.dayInfo(bad));
      expect(err).toMatchObject({ code: 'E1004', exitCode: ExitCode.usage });
    }
    expect(crmErrorOf(() => plain.nextWorkingDay('2026-13-01')).code).toBe('E1004');
  });

  it('trims surrounding spaces', () => {
    expect(plain.dayInfo(' 2026-10-08 ').date).toBe('2026-10-08');
  });
});
