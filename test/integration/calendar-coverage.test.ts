import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { WorkingCalendar } from '../../src/domain/calendar.js';
import {
  CALENDAR_TEMPLATE,
  CALENDAR_WARNING_DAYS,
  calendarStatus,
  coverageWarning,
  importYear,
  loadCalendar,
} from '../../src/services/calendar.js';
import { ROOT } from '../support/cli.js';
import { describeEachDb } from '../support/db.js';

/** A made-up 2027 for the tests only: the product ships no 2027 dates (see the template). */
const year2027 = {
  year: 2027,
  confirmed: true,
  notice: 'test notice',
  holidays: { '2027-01-01': '元旦', '2027-02-08': '春节', '2027-02-09': '春节' },
  workdays: { '2027-02-06': '春节调休' },
};

it('the shipped template is unconfirmed, has no invented dates, and is refused as it is', () => {
  const template = JSON.parse(fs.readFileSync(path.join(ROOT, CALENDAR_TEMPLATE), 'utf8'));
  expect(template).toMatchObject({ year: 2027, confirmed: false, holidays: {}, workdays: {} });
});

it('the calendar knows how far it reaches and warns from 60 days before the end', () => {
  const cal = new WorkingCalendar();
  expect(cal.coveredThrough('2026-11-23')).toBe('2026-12-31');
  expect(cal.coveredThrough('2027-01-04')).toBeNull();
  expect(CALENDAR_WARNING_DAYS).toBe(60);
  expect(coverageWarning(cal, '2026-10-31')).toBeNull(); // 61 days left
  expect(coverageWarning(cal, '2026-11-01')?.en).toContain('(60 days left)');
  expect(coverageWarning(cal, '2026-11-02')?.en).toContain('ends on 2026-12-31 (59 days left)');
  expect(coverageWarning(cal, '2026-12-01')?.zh).toContain('crm calendar import FILE');
  const extended = new WorkingCalendar({ importedYears: [year2027] });
  expect(extended.coveredThrough('2026-12-01')).toBe('2027-12-31');
  expect(coverageWarning(extended, '2026-12-01')).toBeNull();
});

describeEachDb('calendar import and status', (h) => {
  const importedCount = async () => Number((await h.db()('calendar_years').count({ n: '*' }))[0]?.n);
  it('refuses an unconfirmed file and one without holidays, naming what to do', async () => {
    const admin = await h.as('admin');
    const template = JSON.parse(fs.readFileSync(path.join(ROOT, CALENDAR_TEMPLATE), 'utf8'));
    await expect(importYear(admin, template, 'calendar-template.json')).rejects.toMatchObject({
      code: 'E1105',
      exitCode: 2,
    });
    await expect(importYear(admin, { ...template, confirmed: true }, 'calendar-template.json')).rejects.toThrow(
      /"holidays" is empty/,
    );
    expect(await importedCount()).toBe(0);
  });

  it('--dry-run shows the days that change and writes nothing; the import then covers 2027', async () => {
    const admin = await h.as('admin');
    h.clock.set('2026-12-01T09:00:00+08:00');
    const dry = await importYear(admin, year2027, '2027.json', { dryRun: true });
    expect(dry.dryRun).toBe(true);
    // Versus a plain Monday-Friday week: 01-01 (Fri), 02-08 (Mon), 02-09 (Tue) off; 02-06 (Sat) worked.
    expect(dry.changes.map((c) => [c.date, c.before, c.after])).toEqual([
      ['2027-01-01', null, false],
      ['2027-02-06', null, true],
      ['2027-02-08', null, false],
      ['2027-02-09', null, false],
    ]);
    expect(await importedCount()).toBe(0);
    const before = await calendarStatus(admin);
    expect(before).toMatchObject({ to: '2026-12-31', coveredThrough: '2026-12-31', daysLeft: 30 });
    expect(before.warning?.en).toContain('ends on 2026-12-31 (30 days left)');

    await importYear(admin, year2027, '2027.json');
    expect((await loadCalendar(h.db())).isWorkingDay('2027-02-06')).toBe(true);
    const after = await calendarStatus(admin);
    expect(after).toMatchObject({ to: '2027-12-31', coveredThrough: '2027-12-31', warning: null });
    expect(after.imported).toMatchObject([{ year: 2027, source: '2027.json · test notice' }]);

    // Re-importing with one holiday fewer: the change is against the imported year now.
    const fewer = { ...year2027, holidays: { '2027-01-01': '元旦', '2027-02-08': '春节' } };
    const again = await importYear(admin, fewer, '2027b.json', { dryRun: true });
    expect(again.changes.map((c) => [c.date, c.before, c.after])).toEqual([['2027-02-09', false, true]]);
    const audits = await h.db()('audit_log').where({ action: 'calendar.import' });
    expect(audits).toHaveLength(1);
  });
});
