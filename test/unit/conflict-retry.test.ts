import { describe, expect, it } from 'vitest';
import { isRetryableConflict, withConflictRetry } from '../../src/db/retry.js';

const deadlock = () => Object.assign(new Error('Deadlock found when trying to get lock'), { errno: 1213 });
const lockWait = () => Object.assign(new Error('Lock wait timeout exceeded'), { errno: 1205 });

describe('whole-transaction retry after a write conflict', () => {
  it('knows the conflicts worth a retry, and nothing else', () => {
    expect([deadlock(), lockWait(), { code: 'ER_LOCK_DEADLOCK' }].map(isRetryableConflict)).toEqual([true, true, true]);
    const duplicate = Object.assign(new Error('Duplicate entry'), { errno: 1062 });
    expect([duplicate, new Error('x'), null, undefined].map(isRetryableConflict)).toEqual([false, false, false, false]);
  });

  it('runs the whole unit again until it commits, pausing with jitter that doubles', async () => {
    const pauses: number[] = [];
    let calls = 0;
    const result = await withConflictRetry(
      async () => {
        calls++;
        if (calls < 4) throw calls % 2 ? deadlock() : lockWait();
        return 'committed';
      },
      { sleep: async (ms) => void pauses.push(ms), random: () => 1, baseDelayMs: 10 },
    );
    expect([result, calls]).toEqual(['committed', 4]);
    expect(pauses).toEqual([10, 20, 40]);
  });

  it('passes any other error through at once', async () => {
    let calls = 0;
    const refused = Object.assign(new Error('overpaid'), { code: 'E6150' });
    await expect(
      withConflictRetry(async () => {
        calls++;
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(calls).toBe(1);
  });

  it('gives up after the last attempt with E1320, exit 5, never the raw deadlock', async () => {
    let calls = 0;
    const err = await withConflictRetry(
      async () => {
        calls++;
        throw deadlock();
      },
      { attempts: 3, sleep: async () => {} },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(err).toMatchObject({ code: 'E1320', exitCode: 5 });
    expect((err as { messages: { en: string } }).messages.en).toContain('error 1213');
  });
});
