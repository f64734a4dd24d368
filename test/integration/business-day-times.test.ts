import { beforeAll, expect, it } from 'vitest';
import { BUILTIN_JOBS } from '../../src/jobs/definitions.js';
import { loadCalendar } from '../../src/services/calendar.js';
import type { ServiceContext } from '../../src/services/context.js';
import { jobConfigs, nextRun } from '../../src/services/jobs/schedule.js';
import { postTransaction } from '../../src/services/settlement/ledger.js';
import { describeEachDb } from '../support/db.js';
import { addCustomer, txn } from './settlement-support.js';

/** The open and cutoff times live in the settlement settings; the jobs run at them, so the two cannot disagree. */
describeEachDb('business-day times: the jobs follow settlement.openAt / settlement.cutoffAt', (h) => {
  let ctx: ServiceContext;
  let unit: number;
  beforeAll(async () => {
    ctx = await h.as('admin');
    unit = await addCustomer(h.db(), '120000001', '天津市财政局');
  });

  const times = async () =>
    Object.fromEntries((await jobConfigs(ctx, BUILTIN_JOBS)).map((c) => [c.def.name, c.time] as const));

  it('by default the start of service is at 08:30 and the cutoff at 15:30, their lists 5 minutes after', async () => {
    expect(await times()).toMatchObject({
      'start-of-service': '08:30',
      'pending-summary': '08:35',
      cutoff: '15:30',
      'clearing-files': '15:35',
    });
  });

  it('a 16:00 cutoff moves the cutoff job to 16:00, and a 15:45 payment belongs to the same day', async () => {
    await ctx.settings.set('settlement.cutoffAt', '16:00', ctx.actor, ctx.clock);
    await ctx.settings.set('settlement.openAt', '09:00', ctx.actor, ctx.clock);
    const configs = await jobConfigs(ctx, BUILTIN_JOBS);
    const cutoff = configs.find((c) => c.def.name === 'cutoff')!;
    expect(cutoff.time).toBe('16:00');
    expect(cutoff.timeSource).toEqual({ kind: 'follows', setting: 'settlement.cutoffAt', afterMinutes: 0 });
    expect(await times()).toMatchObject({
      'start-of-service': '09:00',
      'pending-summary': '09:05',
      'clearing-files': '16:05',
    });
    // The harness clock stands at Monday 2026-11-23 10:00 (business time zone).
    const calendar = await loadCalendar(ctx.db);
    expect(nextRun(cutoff, ctx.clock.now(), 'Asia/Shanghai', calendar)?.toISOString()).toBe('2026-11-23T08:00:00.000Z');

    const r = await postTransaction(ctx, txn(unit, '2026-11-23 15:45:00', 10000, { ref: 'T-1545' }));
    expect(r.transaction).toMatchObject({ businessDate: '2026-11-23', late: false });
    const after = await postTransaction(ctx, txn(unit, '2026-11-23 16:01:00', 10000, { ref: 'T-1601' }));
    expect(after.transaction).toMatchObject({ businessDate: '2026-11-24' });
  });

  it("a job's own schedule setting pins it; the others keep following", async () => {
    await ctx.settings.set('jobs.clearing-files.schedule', '17:00', ctx.actor, ctx.clock);
    const configs = await jobConfigs(ctx, BUILTIN_JOBS);
    const files = configs.find((c) => c.def.name === 'clearing-files')!;
    expect(files).toMatchObject({
      time: '17:00',
      timeSource: { kind: 'job-setting', key: 'jobs.clearing-files.schedule' },
    });
    expect(configs.find((c) => c.def.name === 'cutoff')!.time).toBe('16:00');
    await ctx.settings.set('jobs.clearing-files.schedule', '', ctx.actor, ctx.clock);
    expect(await times()).toMatchObject({ 'clearing-files': '16:05' });
  });
});
