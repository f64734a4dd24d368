/**
 * The PRC working-day calendar: weekends, statutory holidays (法定节假日) and make-up working days (调休),
 * plus local overrides from the database and years imported by an administrator.
 *
 * Base data comes from the chinese-days package (dist/chinese-days.json). A year that is covered by neither
 * the package nor an import is an error: guessing Monday–Friday would silently mis-date payments around
 * holidays, so callers get E1101 telling the administrator how to fill the gap.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { addDays, compareDates, dayOfWeek, parseDateArg } from './clock.js';
import { CrmError, ExitCode, type L10n } from './errors.js';

export type CalendarOverride = { date: string; kind: 'workday' | 'closure'; reason: string };
export type ImportedYear = { year: number; holidays: Record<string, string>; workdays: Record<string, string> };
export type DayInfo = { date: string; workingDay: boolean; reason: L10n };

type YearData = {
  /** date → holiday name */
  holidays: Map<string, L10n>;
  /** date → name of the holiday the make-up working day belongs to */
  workdays: Map<string, L10n>;
};

type PackageCalendar = { years: Map<number, YearData>; minYear: number; maxYear: number };

let packageCalendar: PackageCalendar | undefined;

/**
 * Splits an entry value. The package uses "National Day,国庆节,3" (English, Chinese, statutory day count);
 * imported files may give the same form or just one name, which is then used for both languages.
 */
function holidayName(value: string): L10n {
  const [first = '', second] = value.split(',').map((p) => p.trim());
  return second ? { en: first, zh: second } : { en: first, zh: first };
}

function emptyYear(): YearData {
  return { holidays: new Map(), workdays: new Map() };
}

/** Reads chinese-days.json once per process. */
function loadPackageCalendar(): PackageCalendar {
  if (packageCalendar) return packageCalendar;
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve('chinese-days/package.json')), 'dist', 'chinese-days.json');
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const json = raw as { holidays?: Record<string, string>; workdays?: Record<string, string> };
  if (typeof json.holidays !== 'object' || typeof json.workdays !== 'object' || !json.holidays || !json.workdays) {
    throw new CrmError('E1102', {
      zh: `节假日数据文件格式异常: ${file}`,
      en: `unexpected format of the holiday data file ${file}`,
    });
  }
  const years = new Map<number, YearData>();
  const yearOf = (date: string) => {
    const y = Number(date.slice(0, 4));
    let data = years.get(y);
    if (!data) {
      data = emptyYear();
      years.set(y, data);
    }
    return data;
  };
  for (const [date, value] of Object.entries(json.holidays)) yearOf(date).holidays.set(date, holidayName(value));
  for (const [date, value] of Object.entries(json.workdays)) yearOf(date).workdays.set(date, holidayName(value));
  const all = [...years.keys()];
  if (all.length === 0) {
    throw new CrmError('E1102', { zh: `节假日数据文件为空: ${file}`, en: `the holiday data file is empty: ${file}` });
  }
  // Every year between the first and last one present counts as covered.
  packageCalendar = { years, minYear: Math.min(...all), maxYear: Math.max(...all) };
  return packageCalendar;
}

function invalidCalendarData(zh: string, en: string): CrmError {
  return new CrmError('E1102', { zh, en }, ExitCode.usage);
}

function uncoveredYear(year: number, covered: number[]): CrmError {
  const range = describeYears(covered);
  return new CrmError(
    'E1101',
    {
      zh: `日历未覆盖 ${year} 年：请管理员用 "crm calendar import FILE" 导入该年节假日，或用 "crm calendar add" 逐日登记`,
      en: `the working-day calendar does not cover ${year}: an administrator must import that year's holidays with "crm calendar import FILE", or register days one by one with "crm calendar add"`,
    },
    ExitCode.error,
    {
      zh: `已覆盖的年份: ${range.zh}`,
      en: `covered years: ${range.en}`,
    },
  );
}

/** "2004–2026, 2028" style summary of a sorted year list. */
function describeYears(years: number[]): L10n {
  if (years.length === 0) return { zh: '无', en: 'none' };
  const runs: string[] = [];
  let start = years[0] ?? 0;
  let prev = start;
  for (const y of [...years.slice(1), Number.NaN]) {
    if (y === prev + 1) {
      prev = y;
      continue;
    }
    runs.push(start === prev ? String(start) : `${start}–${prev}`);
    start = y;
    prev = y;
  }
  const text = runs.join(', ');
  return { zh: text, en: text };
}

export class WorkingCalendar {
  private readonly overrides = new Map<string, CalendarOverride>();
  private readonly imported = new Map<number, YearData>();

  /**
   * @param opts.overrides local per-day decisions; they win over everything, even in uncovered years.
   * @param opts.importedYears administrator imports; an imported year replaces the package data for that year.
   * Throws E1102 (usage) for malformed overrides or imports (bad dates, duplicates, dates outside the year).
   */
  constructor(opts: { overrides?: CalendarOverride[]; importedYears?: ImportedYear[] } = {}) {
    for (const o of opts.overrides ?? []) {
      const date = parseDateArg(o.date, 'calendar override');
      if (o.kind !== 'workday' && o.kind !== 'closure') {
        throw invalidCalendarData(
          `日历本地调整类型无效: ${date} "${String(o.kind)}"（应为 workday 或 closure）`,
          `invalid calendar override kind for ${date}: "${String(o.kind)}" (expected workday or closure)`,
        );
      }
      if (this.overrides.has(date)) {
        throw invalidCalendarData(`日历本地调整重复: ${date}`, `duplicate calendar override for ${date}`);
      }
      this.overrides.set(date, { ...o, date });
    }

    for (const imp of opts.importedYears ?? []) {
      const { year } = imp;
      if (!Number.isInteger(year) || year < 1000 || year > 9999) {
        throw invalidCalendarData(`导入的日历年份无效: ${year}`, `invalid imported calendar year: ${year}`);
      }
      if (this.imported.has(year)) {
        throw invalidCalendarData(`重复导入 ${year} 年日历`, `calendar year ${year} imported twice`);
      }
      const data = emptyYear();
      const add = (entries: Record<string, string>, target: Map<string, L10n>, other: Map<string, L10n>) => {
        for (const [rawDate, name] of Object.entries(entries)) {
          const date = parseDateArg(rawDate, `calendar ${year}`);
          if (!date.startsWith(`${year}-`)) {
            throw invalidCalendarData(
              `导入的 ${year} 年日历包含其他年份的日期: ${date}`,
              `imported calendar for ${year} contains a date from another year: ${date}`,
            );
          }
          if (other.has(date)) {
            throw invalidCalendarData(
              `导入的日历把 ${date} 同时列为节假日和调休工作日`,
              `imported calendar lists ${date} both as a holiday and as a make-up working day`,
            );
          }
          target.set(date, holidayName(String(name)));
        }
      };
      add(imp.holidays, data.holidays, data.workdays);
      add(imp.workdays, data.workdays, data.holidays);
      this.imported.set(year, data);
    }
  }

  /** Sorted list of years the calendar can answer for (package range plus imported years). */
  coveredYears(): number[] {
    const pkg = loadPackageCalendar();
    const years = new Set<number>(this.imported.keys());
    for (let y = pkg.minYear; y <= pkg.maxYear; y++) years.add(y);
    return [...years].sort((a, b) => a - b);
  }

  /**
   * The last date of the unbroken run of covered years that contains `date`'s year (`2026-12-31`), or null
   * when that year itself is not covered. Overrides do not count: they answer single days, not a year.
   */
  coveredThrough(date: string): string | null {
    const covered = new Set(this.coveredYears());
    let year = Number(parseDateArg(date).slice(0, 4));
    if (!covered.has(year)) return null;
    while (covered.has(year + 1)) year += 1;
    return `${year}-12-31`;
  }

  /** The first and last covered dates (`2004-01-01`, `2026-12-31`) of the whole covered span. */
  coveredRange(): { from: string; to: string } {
    const years = this.coveredYears();
    return { from: `${years[0]}-01-01`, to: `${years[years.length - 1]}-12-31` };
  }

  /** The covered years as people read them: "2004–2026, 2028". */
  describeCoveredYears(): L10n {
    return describeYears(this.coveredYears());
  }

  /** Whether the year has an administrator's import (which replaces the package's data for it). */
  isImportedYear(year: number): boolean {
    return this.imported.has(year);
  }

  private yearData(year: number): YearData | undefined {
    const imported = this.imported.get(year);
    if (imported) return imported;
    const pkg = loadPackageCalendar();
    if (year < pkg.minYear || year > pkg.maxYear) return undefined;
    return pkg.years.get(year) ?? emptyYear();
  }

  /** Whether the date is a working day and why. Throws E1004 for a malformed date, E1101 for an uncovered year. */
  dayInfo(date: string): DayInfo {
    const d = parseDateArg(date);

    const override = this.overrides.get(d);
    if (override) {
      return {
        date: d,
        workingDay: override.kind === 'workday',
        reason: { zh: `本地调整：${override.reason}`, en: `local override: ${override.reason}` },
      };
    }

    const year = Number(d.slice(0, 4));
    const data = this.yearData(year);
    if (!data) throw uncoveredYear(year, this.coveredYears());

    const holiday = data.holidays.get(d);
    if (holiday) {
      return {
        date: d,
        workingDay: false,
        reason: { zh: `${holiday.zh} (法定节假日)`, en: `${holiday.en} (public holiday)` },
      };
    }
    const makeUp = data.workdays.get(d);
    if (makeUp) {
      return {
        date: d,
        workingDay: true,
        reason: { zh: `调休工作日：${makeUp.zh}`, en: `make-up working day for ${makeUp.en}` },
      };
    }
    const dow = dayOfWeek(d);
    if (dow === 0 || dow === 6) return { date: d, workingDay: false, reason: { zh: '周末', en: 'weekend' } };
    return { date: d, workingDay: true, reason: { zh: '工作日', en: 'working day' } };
  }

  isWorkingDay(date: string): boolean {
    return this.dayInfo(date).workingDay;
  }

  /** The last working day strictly before date. Throws E1101 if the walk reaches an uncovered year. */
  previousWorkingDay(date: string): string {
    return this.walk(date, -1);
  }

  /** The first working day strictly after date. Throws E1101 if the walk reaches an uncovered year. */
  nextWorkingDay(date: string): string {
    return this.walk(date, 1);
  }

  /**
   * Working days from `from` to `to`, both inclusive, in order. Throws E1102 (usage) if from is after to.
   */
  workingDaysBetween(from: string, to: string): string[] {
    const start = parseDateArg(from, 'from');
    const end = parseDateArg(to, 'to');
    if (compareDates(start, end) > 0) {
      throw invalidCalendarData(
        `日期范围无效: 开始日期 ${start} 晚于结束日期 ${end}`,
        `invalid date range: start ${start} is after end ${end}`,
      );
    }
    const days: string[] = [];
    for (let d = start; compareDates(d, end) <= 0; d = addDays(d, 1)) {
      if (this.isWorkingDay(d)) days.push(d);
    }
    return days;
  }

  private walk(date: string, step: 1 | -1): string {
    // Terminates: the covered range is finite and stepping outside it throws E1101 (unless overrides answer).
    let d = addDays(parseDateArg(date), step);
    while (!this.isWorkingDay(d)) d = addDays(d, step);
    return d;
  }
}
