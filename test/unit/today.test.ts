import { describe, expect, it } from 'vitest';
import { actorId } from '../../src/domain/actor.js';
import type { ServiceContext } from '../../src/services/context.js';
import { dateOrToday, today } from '../../src/services/today.js';
import { SYSTEM_ACTOR } from '../../src/services/users.js';

/** Just what today(ctx) reads: the clock and the `timezone` setting. */
function ctxAt(iso: string, timeZone: string): ServiceContext {
  return {
    clock: { now: () => new Date(iso) },
    settings: { get: async (key: string) => (key === 'timezone' ? timeZone : undefined) },
  } as unknown as ServiceContext;
}

describe('today(ctx)', () => {
  it("is the clock's date in the business time zone, not UTC's", async () => {
    // 2026-11-23 23:30 UTC is already the 24th in Shanghai, still the 23rd in New York.
    expect(await today(ctxAt('2026-11-23T23:30:00Z', 'Asia/Shanghai'))).toBe('2026-11-24');
    expect(await today(ctxAt('2026-11-23T23:30:00Z', 'America/New_York'))).toBe('2026-11-23');
  });

  it('dateOrToday keeps a given date and reads absent or "today" as today', async () => {
    const ctx = ctxAt('2026-11-23T02:00:00Z', 'Asia/Shanghai');
    expect(await dateOrToday(ctx, '2026-11-20')).toBe('2026-11-20');
    for (const v of [undefined, null, '', 'today']) expect(await dateOrToday(ctx, v)).toBe('2026-11-23');
  });
});

describe('actorId(actor)', () => {
  it("is the user's id, and null for the system actor (no users row to point at)", () => {
    expect(actorId({ id: 7, name: 'li', role: 'operator', supervisorId: null })).toBe(7);
    expect(actorId(SYSTEM_ACTOR)).toBeNull();
  });
});
