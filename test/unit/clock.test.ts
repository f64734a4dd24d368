import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDays,
  businessDate,
  clockFromEnv,
  compareDates,
  DEFAULT_TIME_ZONE,
  dayOfWeek,
  daysBetween,
  fixedClock,
  formatLocal,
  isoWithOffset,
  isValidDate,
  isValidTimeZone,
  localTime,
  parseDateArg,
  parseLocalDateTime,
  systemClock,
  toCompactMMDDYYYY,
  zonedDateTime,
} from '../../src/domain/clock.js';
import { CrmError, ExitCode } from '../../src/domain/errors.js';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

function crmErrorOf(fn: () => unknown): CrmError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CrmError) return e;
    throw e;
  }
  throw new Error('expected a CrmError');
}

const at = (iso: string) => new Date(iso);

/**
 * Node re-reads process.env.TZ when it is assigned, so the same assertions can run under several process
 * time zones in one worker. Nothing in clock.ts may depend on the process zone.
 */
const processZones = ['UTC', 'America/New_York', 'Asia/Shanghai', 'Pacific/Kiritimati', 'America/St_Johns'];

describe.each(processZones)('with process TZ=%s', (processTz) => {
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = processTz;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('really runs in that process zone', () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(processTz);
  });

  describe('instant → business wall clock', () => {
    it('rolls over at Shanghai midnight, not UTC or process midnight', () => {
      const justAfter = at('2026-11-22T16:30:00Z'); // 00:30 on the 23rd in Shanghai
      expect(businessDate(justAfter, SH)).toBe('2026-11-23');
      expect(localTime(justAfter, SH)).toBe('00:30:00');
      expect(formatLocal(justAfter, SH)).toBe('2026-11-23 00:30:00');
      expect(isoWithOffset(justAfter, SH)).toBe('2026-11-23T00:30:00+08:00');

      const justBefore = at('2026-11-22T15:59:59.999Z');
      expect(businessDate(justBefore, SH)).toBe('2026-11-22');
      expect(localTime(justBefore, SH)).toBe('23:59:59');
      expect(businessDate(at('2026-11-22T16:00:00Z'), SH)).toBe('2026-11-23');
      expect(localTime(at('2026-11-22T16:00:00Z'), SH)).toBe('00:00:00');
    });

    it('defaults to Asia/Shanghai', () => {
      expect(DEFAULT_TIME_ZONE).toBe(SH);
      const t = at('2026-11-23T00:30:00Z');
      expect(businessDate(t)).toBe('2026-11-23');
      expect(localTime(t)).toBe('08:30:00');
      expect(formatLocal(t)).toBe('2026-11-23 08:30:00');
      expect(isoWithOffset(t)).toBe('2026-11-23T08:30:00+08:00');
    });

    it('formats other zones and offsets', () => {
      const t = at('2026-11-23T00:30:00Z');
      expect(isoWithOffset(t, 'UTC')).toBe('2026-11-23T00:30:00+00:00');
      expect(isoWithOffset(t, NY)).toBe('2026-11-22T19:30:00-05:00');
      expect(isoWithOffset(at('2026-07-01T12:00:00Z'), NY)).toBe('2026-07-01T08:00:00-04:00');
      expect(isoWithOffset(t, 'Asia/Kolkata')).toBe('2026-11-23T06:00:00+05:30');
      expect(isoWithOffset(t, 'America/St_Johns')).toBe('2026-11-22T21:00:00-03:30');
      expect(businessDate(t, 'Pacific/Kiritimati')).toBe('2026-11-23');
      expect(localTime(t, 'Pacific/Kiritimati')).toBe('14:30:00');
    });

    it('handles leap days and year ends', () => {
      expect(formatLocal(at('2028-02-28T16:00:00Z'), SH)).toBe('2028-02-29 00:00:00');
      expect(formatLocal(at('2026-12-31T16:00:00Z'), SH)).toBe('2027-01-01 00:00:00');
      expect(formatLocal(at('2027-01-01T04:59:59Z'), NY)).toBe('2026-12-31 23:59:59');
    });

    it('rejects invalid instants and zones', () => {
      expect(crmErrorOf(() => businessDate(new Date(Number.NaN), SH)).code).toBe('E1003');
      const err = crmErrorOf(() => businessDate(at('2026-01-01T00:00:00Z'), 'Mars/Olympus'));
      expect(err).toMatchObject({ code: 'E1008', exitCode: ExitCode.usage });
      expect(err.messages.en).toContain('Mars/Olympus');
    });
  });

  describe('zonedDateTime (wall clock → instant)', () => {
    it('converts Shanghai wall time', () => {
      expect(zonedDateTime('2026-11-23', '00:30', SH).toISOString()).toBe('2026-11-22T16:30:00.000Z');
      expect(zonedDateTime('2026-11-23', '08:30:15', SH).toISOString()).toBe('2026-11-23T00:30:15.000Z');
      expect(zonedDateTime('2026-01-01', '00:00', 'UTC').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    });

    it('converts New York wall time on both sides of DST', () => {
      expect(zonedDateTime('2026-01-15', '09:00', NY).toISOString()).toBe('2026-01-15T14:00:00.000Z');
      expect(zonedDateTime('2026-07-15', '09:00', NY).toISOString()).toBe('2026-07-15T13:00:00.000Z');
      // Spring forward 2026-03-08 02:00 EST → 03:00 EDT.
      expect(zonedDateTime('2026-03-08', '01:59:59', NY).toISOString()).toBe('2026-03-08T06:59:59.000Z');
      expect(zonedDateTime('2026-03-08', '03:00', NY).toISOString()).toBe('2026-03-08T07:00:00.000Z');
      // Fall back 2026-11-01 02:00 EDT → 01:00 EST.
      expect(zonedDateTime('2026-11-01', '00:59', NY).toISOString()).toBe('2026-11-01T04:59:00.000Z');
      expect(zonedDateTime('2026-11-01', '02:00', NY).toISOString()).toBe('2026-11-01T07:00:00.000Z');
    });

    it('resolves a nonexistent time (spring-forward gap) to the later instant', () => {
      const t = zonedDateTime('2026-03-08', '02:30', NY);
      expect(t.toISOString()).toBe('2026-03-08T07:30:00.000Z');
      expect(formatLocal(t, NY)).toBe('2026-03-08 03:30:00');
    });

    it('resolves an ambiguous time (fall-back overlap) to the earlier instant', () => {
      const t = zonedDateTime('2026-11-01', '01:30', NY);
      expect(t.toISOString()).toBe('2026-11-01T05:30:00.000Z');
      expect(isoWithOffset(t, NY)).toBe('2026-11-01T01:30:00-04:00');
    });

    it('round-trips every half hour across a New York DST weekend', () => {
      for (let t = Date.parse('2026-03-07T00:00:00Z'); t < Date.parse('2026-03-10T00:00:00Z'); t += 1_800_000) {
        const instant = new Date(t);
        const [date = '', time = ''] = formatLocal(instant, NY).split(' ');
        expect(zonedDateTime(date, time, NY).getTime()).toBe(t);
      }
    });

    it('rejects malformed input', () => {
      for (const [d, t] of [
        ['2026-02-30', '10:00'],
        ['2026-11-23', '24:00'],
        ['2026-11-23', '9:00'],
        ['2026-11-23', '10:60'],
        ['20261123', '10:00'],
      ] as const) {
        const err = crmErrorOf(() => zonedDateTime(d, t, SH));
        expect(err).toMatchObject({ code: 'E1003', exitCode: ExitCode.usage });
        expect(err.messages.en).toContain(d);
      }
    });
  });

  describe('parseLocalDateTime', () => {
    it.each([
      ['2026-11-23 08:30', '2026-11-23T00:30:00.000Z'],
      ['2026-11-23 08:30:15', '2026-11-23T00:30:15.000Z'],
      ['2026-11-23T08:30', '2026-11-23T00:30:00.000Z'],
      ['2026-11-23T08:30:15', '2026-11-23T00:30:15.000Z'],
      ['2026/11/23 08:30', '2026-11-23T00:30:00.000Z'],
      ['2026/11/23 00:30:00', '2026-11-22T16:30:00.000Z'],
      // As Excel writes them: one-digit month and day, with or without seconds.
      ['2026/9/29 13:30', '2026-09-29T05:30:00.000Z'],
      ['2026-9-29 13:30:00', '2026-09-29T05:30:00.000Z'],
      ['2026/10/1 08:00', '2026-10-01T00:00:00.000Z'],
      ['  2026-11-23 08:30  ', '2026-11-23T00:30:00.000Z'],
      ['2026-11-23T08:30:15.250', '2026-11-23T00:30:15.250Z'],
      // An explicit offset or Z wins over the business zone.
      ['2026-11-23T08:30:00Z', '2026-11-23T08:30:00.000Z'],
      ['2026-11-23T08:30:00z', '2026-11-23T08:30:00.000Z'],
      ['2026-11-23T08:30:00+08:00', '2026-11-23T00:30:00.000Z'],
      ['2026-11-23T08:30:00-05:00', '2026-11-23T13:30:00.000Z'],
      ['2026-11-23T08:30+0530', '2026-11-23T03:00:00.000Z'],
      ['2026-11-23 08:30:00+09', '2026-11-22T23:30:00.000Z'],
      ['2026-11-23T08:30:00.123Z', '2026-11-23T08:30:00.123Z'],
    ])('%j → %s (business zone Shanghai)', (text, iso) => {
      expect(parseLocalDateTime(text, SH).toISOString()).toBe(iso);
    });

    it('interprets zone-less input in the given business zone', () => {
      expect(parseLocalDateTime('2026-07-01 09:00', NY).toISOString()).toBe('2026-07-01T13:00:00.000Z');
      expect(parseLocalDateTime('2026-07-01 09:00', 'UTC').toISOString()).toBe('2026-07-01T09:00:00.000Z');
    });

    it.each([
      '',
      'now',
      'garbage',
      '2026-11-23',
      '2026-11-23 8:30',
      '2026-02-30 10:00',
      '2026-13-01 10:00',
      '2026-11-23 25:00',
      '2026-11-23 10:00:61',
      '2026-11/23 10:00',
      '2026-11-23T10:00:00+25:00',
      '2026-11-23T10:00:00 +08:00',
      '23/11/2026 10:00',
      '1700000000',
    ])('rejects %j with E1003 naming it', (text) => {
      const err = crmErrorOf(() => parseLocalDateTime(text, SH));
      expect(err).toMatchObject({ code: 'E1003', exitCode: ExitCode.usage });
      expect(err.messages.en).toContain(`"${text}"`);
      expect(err.messages.zh).toContain(`"${text}"`);
      expect(err.hint?.en).toContain('YYYY-MM-DD');
    });
  });
});

describe('clocks', () => {
  it('systemClock follows real time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('fixedClock returns the same instant as fresh Date objects', () => {
    const clock = fixedClock('2026-11-23T08:30:00+08:00');
    const a = clock.now();
    a.setTime(0); // mutating one answer must not move the clock
    expect(clock.now().toISOString()).toBe('2026-11-23T00:30:00.000Z');
    expect(fixedClock(new Date('2026-11-23T00:30:00Z')).now().toISOString()).toBe('2026-11-23T00:30:00.000Z');
    expect(fixedClock('2026-11-23 08:30').now().toISOString()).toBe('2026-11-23T00:30:00.000Z');
    expect(fixedClock('2026-07-01 09:00', NY).now().toISOString()).toBe('2026-07-01T13:00:00.000Z');
  });

  it('fixedClock rejects bad input with E1002', () => {
    expect(crmErrorOf(() => fixedClock('yesterday')).code).toBe('E1002');
    expect(crmErrorOf(() => fixedClock(new Date(Number.NaN))).code).toBe('E1003');
  });

  it('clockFromEnv uses CRM_NOW when set', () => {
    expect(clockFromEnv({ CRM_NOW: '2026-11-23T08:30:00+08:00' }).now().toISOString()).toBe('2026-11-23T00:30:00.000Z');
    expect(clockFromEnv({ CRM_NOW: '2026-11-22T16:30:00Z' }, NY).now().toISOString()).toBe('2026-11-22T16:30:00.000Z');
    // Without an offset CRM_NOW is wall time in the business zone.
    expect(clockFromEnv({ CRM_NOW: '2026-11-23 00:30:00' }).now().toISOString()).toBe('2026-11-22T16:30:00.000Z');
    expect(clockFromEnv({ CRM_NOW: '2026-11-23T00:30' }, NY).now().toISOString()).toBe('2026-11-23T05:30:00.000Z');
  });

  it('clockFromEnv falls back to the system clock when CRM_NOW is unset or empty', () => {
    expect(clockFromEnv({})).toBe(systemClock);
    expect(clockFromEnv({ CRM_NOW: undefined })).toBe(systemClock);
    expect(clockFromEnv({ CRM_NOW: '  ' })).toBe(systemClock);
  });

  it('clockFromEnv rejects an invalid CRM_NOW with E1002 naming the variable and value', () => {
    const err = crmErrorOf(() => clockFromEnv({ CRM_NOW: 'tomorrow 9am' }));
    expect(err).toMatchObject({ code: 'E1002', exitCode: ExitCode.usage });
    expect(err.messages.en).toBe('invalid CRM_NOW "tomorrow 9am"');
    expect(err.messages.zh).toContain('CRM_NOW');
    expect(err.messages.zh).toContain('"tomorrow 9am"');
    expect(err.hint?.zh).toContain('YYYY-MM-DD');
  });
});

describe('isValidTimeZone', () => {
  it.each(['Asia/Shanghai', 'America/New_York', 'UTC', 'Etc/GMT-8'])('accepts %s', (tz) => {
    expect(isValidTimeZone(tz)).toBe(true);
  });
  it.each(['', ' ', 'Mars/Olympus', 'Asia/Shanghai ', 'GMT+25'])('rejects %j', (tz) => {
    expect(isValidTimeZone(tz)).toBe(false);
  });
});

describe('plain date helpers', () => {
  it.each(['2026-11-23', '2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01', '9999-12-31'])('%s is valid', (d) => {
    expect(isValidDate(d)).toBe(true);
  });

  it.each([
    '2026-02-29',
    '1900-02-29',
    '2026-02-30',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-11-00',
    '2026-1-5',
    '2026/11/23',
    '20261123',
    ' 2026-11-23',
    '2026-11-23T00:00',
    '',
  ])('%j is invalid', (d) => {
    expect(isValidDate(d)).toBe(false);
  });

  it('parseDateArg trims, validates and names the field', () => {
    expect(parseDateArg(' 2026-11-23 ')).toBe('2026-11-23');
    const err = crmErrorOf(() => parseDateArg('2026-02-30', '--date'));
    expect(err).toMatchObject({ code: 'E1004', exitCode: ExitCode.usage });
    expect(err.messages.en).toBe('invalid date for --date "2026-02-30"');
    expect(err.messages.zh).toContain('"2026-02-30"');
    expect(err.hint?.en).toContain('YYYY-MM-DD');
  });

  it('addDays crosses months, leap days and years', () => {
    expect(addDays('2026-11-23', 1)).toBe('2026-11-24');
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
    expect(addDays('2026-11-23', 0)).toBe('2026-11-23');
    expect(addDays('2026-11-23', 365)).toBe('2027-11-23');
    expect(addDays('2000-01-01', 146097)).toBe('2400-01-01');
    expect(crmErrorOf(() => addDays('2026-02-30', 1)).code).toBe('E1004');
    expect(crmErrorOf(() => addDays('2026-11-23', 0.5)).code).toBe('E1004');
    expect(crmErrorOf(() => addDays('9999-12-31', 1)).code).toBe('E1004');
  });

  it('dayOfWeek is 0 for Sunday', () => {
    expect(dayOfWeek('2026-11-23')).toBe(1); // Monday
    expect(dayOfWeek('2026-11-22')).toBe(0);
    expect(dayOfWeek('2026-11-28')).toBe(6);
    expect(dayOfWeek('1970-01-01')).toBe(4);
    expect(dayOfWeek('1969-12-31')).toBe(3);
    expect(dayOfWeek('2007-09-22')).toBe(6);
    expect(dayOfWeek('2000-02-29')).toBe(2);
  });

  it('agrees with Date.UTC over a long range', () => {
    let date = '1899-12-25';
    for (let i = 0; i < 80_000; i += 37) {
      const utc = new Date(Date.UTC(1899, 11, 25 + i));
      const expected = utc.toISOString().slice(0, 10);
      date = addDays('1899-12-25', i);
      expect(date).toBe(expected);
      expect(dayOfWeek(date)).toBe(utc.getUTCDay());
      expect(daysBetween('1899-12-25', date)).toBe(i);
    }
  });

  it('compareDates and daysBetween', () => {
    expect(compareDates('2026-11-23', '2026-11-24')).toBe(-1);
    expect(compareDates('2026-11-24', '2026-11-23')).toBe(1);
    expect(compareDates('2026-11-23', '2026-11-23')).toBe(0);
    expect(['2026-12-01', '2025-01-31', '2026-11-23'].sort(compareDates)).toEqual([
      '2025-01-31',
      '2026-11-23',
      '2026-12-01',
    ]);
    expect(daysBetween('2026-11-23', '2026-11-25')).toBe(2);
    expect(daysBetween('2026-11-25', '2026-11-23')).toBe(-2);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
    expect(crmErrorOf(() => compareDates('x', '2026-11-23')).code).toBe('E1004');
  });

  it('toCompactMMDDYYYY', () => {
    expect(toCompactMMDDYYYY('2026-11-23')).toBe('11232026');
    expect(toCompactMMDDYYYY('2026-01-05')).toBe('01052026');
    expect(crmErrorOf(() => toCompactMMDDYYYY('2026-1-5')).code).toBe('E1004');
  });
});

describe('source guard', () => {
  it('clock.ts and calendar.ts never use process-local Date methods', () => {
    for (const file of ['clock.ts', 'calendar.ts']) {
      const src = readFileSync(new URL(`../../src/domain/${file}`, import.meta.url), 'utf8');
      expect(src).not.toMatch(
        /\.(get|set)(FullYear|Month|Date|Day|Hours|Minutes|Seconds|Milliseconds|TimezoneOffset)\(/,
      );
      expect(src).not.toMatch(/toLocale\w*String|toDateString|toTimeString|Date\.parse/);
    }
  });
});

describe('wall time from the per-hour offset cache', () => {
  const reference = (t: number, tz: string) => {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    return `${p.year!.padStart(4, '0')}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
  };

  it('agrees with Intl at random instants, around DST changes and in zones with odd offsets', () => {
    const zones = [
      'Asia/Shanghai',
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'America/St_Johns',
      'Pacific/Chatham',
      'UTC',
    ];
    let seed = 11;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const from = Date.UTC(1900, 0, 1);
    const to = Date.UTC(2060, 0, 1);
    for (let i = 0; i < 4000; i++) {
      const tz = zones[i % zones.length]!;
      const t = Math.floor(from + rnd() * (to - from));
      expect(formatLocal(new Date(t), tz), `${tz} ${t}`).toBe(reference(t, tz));
    }
    // Every minute across New York's and Lord Howe's changes of 2026 (half-hour DST).
    for (const [tz, start] of [
      ['America/New_York', Date.UTC(2026, 2, 8, 5)],
      ['America/New_York', Date.UTC(2026, 10, 1, 4)],
      ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 13)],
    ] as const) {
      for (let t = start; t < start + 4 * 3_600_000; t += 59_000) {
        expect(formatLocal(new Date(t), tz), `${tz} ${t}`).toBe(reference(t, tz));
      }
    }
  });
});
