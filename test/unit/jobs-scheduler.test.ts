import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { businessDate, localTime } from '../../src/domain/clock.js';
import { BUILTIN_JOBS } from '../../src/jobs/definitions.js';
import { type CronLike, scheduleWakeUps, type WakeUp } from '../../src/jobs/scheduler.js';
import type { JobConfig } from '../../src/services/jobs/schedule.js';

const configs = (): JobConfig[] => BUILTIN_JOBS.map((def) => ({ def, time: def.defaultTime, enabled: true }));

describe('scheduler wake-ups (node-cron, fake timers)', () => {
  const savedTz = process.env.TZ;
  beforeEach(() => {
    // The machine runs in UTC; the business is in Shanghai.
    process.env.TZ = 'UTC';
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    process.env.TZ = savedTz;
  });

  it('with TZ=UTC on the machine, the 08:30 job fires at 08:30 Asia/Shanghai (00:30 UTC), not 08:30 UTC', async () => {
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(0); // really running in UTC
    vi.setSystemTime(new Date('2026-11-23T00:20:00Z')); // 08:20 in Shanghai
    const fired: WakeUp[] = [];
    const wake = scheduleWakeUps(
      configs().filter((c) => c.def.name === 'start-of-service'),
      'Asia/Shanghai',
      (w) => fired.push(w),
    );
    try {
      await vi.advanceTimersByTimeAsync(9 * 60_000); // 08:29
      expect(fired).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(2 * 60_000); // 08:31
      expect(fired).toHaveLength(1);
      const at = fired[0]!.firedAt;
      expect(at.toISOString().slice(0, 16)).toBe('2026-11-23T00:30');
      expect(businessDate(at, 'Asia/Shanghai')).toBe('2026-11-23');
      expect(localTime(at, 'Asia/Shanghai').slice(0, 5)).toBe('08:30');
      // 08:30 UTC (16:30 in Shanghai) passes without another wake-up.
      await vi.advanceTimersByTimeAsync(8 * 3600_000);
      expect(fired).toHaveLength(1);
    } finally {
      await wake.stop();
    }
  });

  it('sets the business time zone explicitly on every task and skips disabled jobs', () => {
    const calls: { expr: string; opts: { timezone: string; name: string; noOverlap: boolean } }[] = [];
    const fake: CronLike = {
      schedule: (expr, _fn, opts) => {
        calls.push({ expr, opts });
        return { stop: () => {} };
      },
    };
    const cfgs = configs().map((c) =>
      c.def.name === 'cutoff' ? { ...c, enabled: false } : c.def.hourly ? { ...c, hours: ['09', '10', '18'] } : c,
    );
    scheduleWakeUps(cfgs, 'Asia/Shanghai', () => {}, fake);
    expect(calls.map((c) => c.expr)).toEqual([
      '0 1 * * *',
      '10 1 * * *',
      '20 1 * * *',
      // approvals-reminders and daily-digest, each its own task
      '0 8 * * *',
      '0 8 * * *',
      '30 8 * * *',
      '35 8 * * *',
      '35 15 * * *',
      // the hourly escalation: the top of each hour of the working day
      '0 9,10,18 * * *',
    ]);
    expect(calls.every((c) => c.opts.timezone === 'Asia/Shanghai' && c.opts.noOverlap)).toBe(true);
  });
});
