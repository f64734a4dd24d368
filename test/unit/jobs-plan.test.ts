import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../src/domain/calendar.js';
import { BUILTIN_JOBS } from '../../src/jobs/definitions.js';
import { planCatchUp } from '../../src/services/jobs/catchup.js';
import type { JobConfig } from '../../src/services/jobs/schedule.js';
import { cronExpression, nextRun } from '../../src/services/jobs/schedule.js';

const calendar = new WorkingCalendar();
const TZ = 'Asia/Shanghai';
const configs = (): JobConfig[] => BUILTIN_JOBS.map((def) => ({ def, time: def.defaultTime, enabled: true }));
const plan = (
  now: string,
  lastCompleted: Record<string, string>,
  extra: Partial<Parameters<typeof planCatchUp>[0]> = {},
) =>
  planCatchUp({
    now: new Date(now),
    tz: TZ,
    calendar,
    jobs: configs(),
    lastCompleted: new Map(Object.entries(lastCompleted)),
    states: new Map(),
    catchUpDays: 7,
    ...extra,
  }).map((p) => `${p.businessDate} ${p.job}`);

const allDone = (date: string) => Object.fromEntries(BUILTIN_JOBS.map((j) => [j.name, date]));

describe('catch-up plan', () => {
  it('after a three-day outage spanning a weekend runs exactly the missed days, oldest first, in the day order', () => {
    // Last full day: Thursday 2026-11-19. Down Friday to Sunday; back on Monday 2026-11-23 at 10:00.
    expect(plan('2026-11-23T10:00:00+08:00', allDone('2026-11-19'))).toEqual([
      '2026-11-20 pool-return',
      '2026-11-20 receivables-overdue',
      '2026-11-20 care-plans',
      '2026-11-20 approvals-reminders',
      '2026-11-20 daily-digest',
      '2026-11-20 start-of-service',
      '2026-11-20 pending-summary',
      '2026-11-20 cutoff',
      '2026-11-20 clearing-files',
      '2026-11-21 pool-return',
      '2026-11-21 receivables-overdue',
      '2026-11-21 care-plans',
      '2026-11-22 pool-return',
      '2026-11-22 receivables-overdue',
      '2026-11-22 care-plans',
      '2026-11-23 pool-return',
      '2026-11-23 receivables-overdue',
      '2026-11-23 care-plans',
      '2026-11-23 approvals-reminders',
      '2026-11-23 daily-digest',
      '2026-11-23 start-of-service',
      '2026-11-23 pending-summary',
      // the hourly escalation: only its latest due hour of today (09:00), never the missed days' hours
      '2026-11-23 service-escalation',
      // not cutoff (15:30) nor clearing-files (15:35): their time has not come
    ]);
  });

  it('a job that never completed starts today: a fresh install does not replay history', () => {
    expect(plan('2026-11-23T08:32:00+08:00', {})).toEqual([
      '2026-11-23 pool-return',
      '2026-11-23 receivables-overdue',
      '2026-11-23 care-plans',
      '2026-11-23 approvals-reminders',
      '2026-11-23 daily-digest',
      '2026-11-23 start-of-service',
    ]);
  });

  it('skips holidays, includes make-up working days, and stops at jobs.catchUpDays working days back', () => {
    // National Day 2026: 10-01..10-07 off, Sunday 09-20 and Saturday 10-10 are make-up working days.
    const settlement = (now: string, last: string, days = 7) =>
      plan(now, allDone(last), {
        jobs: configs().filter((c) => c.def.name === 'start-of-service'),
        catchUpDays: days,
      });
    expect(settlement('2026-10-10T09:00:00+08:00', '2026-09-29')).toEqual([
      '2026-09-30 start-of-service',
      '2026-10-08 start-of-service',
      '2026-10-09 start-of-service',
      '2026-10-10 start-of-service',
    ]);
    expect(settlement('2026-09-21T09:00:00+08:00', '2026-09-17')).toEqual([
      '2026-09-18 start-of-service',
      '2026-09-20 start-of-service',
      '2026-09-21 start-of-service',
    ]);
    // Two working days back at most: 11-19 and 11-20 before Monday 11-23.
    expect(settlement('2026-11-23T09:00:00+08:00', '2026-11-02', 2)).toEqual([
      '2026-11-19 start-of-service',
      '2026-11-20 start-of-service',
      '2026-11-23 start-of-service',
    ]);
  });

  it('skips completed and disabled instances, retries failed ones inside the window', () => {
    const only = configs().filter((c) => c.def.name === 'cutoff');
    const out = plan(
      '2026-11-23T16:00:00+08:00',
      { cutoff: '2026-11-20' },
      {
        jobs: only,
        states: new Map([
          ['cutoff|2026-11-18', 'failed'],
          ['cutoff|2026-11-19', 'completed'],
          ['cutoff|2026-11-20', 'completed'],
        ]),
      },
    );
    expect(out).toEqual(['2026-11-18 cutoff', '2026-11-23 cutoff']);
    expect(plan('2026-11-23T16:00:00+08:00', {}, { jobs: only.map((c) => ({ ...c, enabled: false })) })).toEqual([]);
  });

  it('plans a day the calendar cannot answer for, so the run fails loudly instead of being skipped', () => {
    const out = plan(
      '2027-01-04T09:00:00+08:00',
      {},
      { jobs: configs().filter((c) => c.def.name === 'start-of-service') },
    );
    expect(out).toEqual(['2027-01-04 start-of-service']);
  });
});

describe('schedules', () => {
  it('turns HH:mm into a daily node-cron expression', () => {
    expect(cronExpression('08:30')).toBe('30 8 * * *');
    expect(cronExpression('15:05')).toBe('5 15 * * *');
  });

  it('next run skips days a settlement job does not run on, in the business time zone', () => {
    const cfg = configs().find((c) => c.def.name === 'start-of-service')!;
    // Friday 2026-11-20 after 08:30: next is Monday 11-23 08:30 +08:00.
    expect(nextRun(cfg, new Date('2026-11-20T09:00:00+08:00'), TZ, calendar)?.toISOString()).toBe(
      '2026-11-23T00:30:00.000Z',
    );
    // 09-30 after opening: the holiday 10-01..10-07 is skipped, next is 10-08.
    expect(nextRun(cfg, new Date('2026-09-30T09:00:00+08:00'), TZ, calendar)?.toISOString()).toBe(
      '2026-10-08T00:30:00.000Z',
    );
    const daily = configs().find((c) => c.def.name === 'pool-return')!;
    expect(nextRun(daily, new Date('2026-11-21T09:00:00+08:00'), TZ, calendar)?.toISOString()).toBe(
      '2026-11-21T17:00:00.000Z',
    );
    // December 2026 last working day, then the calendar cannot answer for 2027.
    expect(nextRun(cfg, new Date('2026-12-31T09:00:00+08:00'), TZ, calendar)).toBeNull();
  });
});
