import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Clock } from '../../src/domain/clock.js';
import { CrmError } from '../../src/domain/errors.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import type { JobDefinition, JobRegistry } from '../../src/jobs/types.js';
import { listAudit } from '../../src/services/audit.js';
import type { ServiceContext } from '../../src/services/context.js';
import { catchUp } from '../../src/services/jobs/catchup.js';
import { listHistory, listJobs, showRun } from '../../src/services/jobs/history.js';
import { type RunOptions, runJob } from '../../src/services/jobs/instances.js';
import { describeEachDb } from '../support/db.js';

/** A fake job whose steps count their calls and can be told to fail or to wait. */
function fakeJob(name: string, opts: { workingDaysOnly?: boolean; time?: string } = {}) {
  const calls: string[] = [];
  const control = { failSecond: false, gate: null as Promise<void> | null, started: () => {} };
  const def: JobDefinition = {
    name,
    defaultTime: opts.time ?? '08:30',
    workingDaysOnly: opts.workingDaysOnly ?? true,
    steps: [
      {
        name: 'first',
        run: async (sc) => {
          calls.push(`first ${sc.date}`);
          control.started();
          if (control.gate) await control.gate;
          return { n: 1 };
        },
      },
      {
        name: 'second',
        run: async (sc) => {
          calls.push(`second ${sc.date}`);
          if (control.failSecond) throw new CrmError('E9998', { zh: '测试失败', en: 'test failure' });
          return { n: 2, seen: sc.recorded.first };
        },
      },
    ],
  };
  return { def, calls, control };
}

class ManualClock implements Clock {
  constructor(private t = Date.now()) {}
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
}

let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-jobs-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const opts = (extra: Partial<RunOptions> = {}): RunOptions => ({
  trigger: 'manual',
  reportsDir: tmp,
  leaseMs: 60_000,
  ...extra,
});

describeEachDb('jobs: instances, leases, catch-up', (h) => {
  let admin: ServiceContext;
  beforeAll(async () => {
    admin = await h.as('admin');
    await h.addUser('olga', 'operator');
    await h.addUser('bob', 'sales');
  });

  it('an instance completes at most once; a second attempt is refused with when it completed', async () => {
    h.clock.set('2026-11-23T10:00:00+08:00');
    const job = fakeJob('once');
    const r = await runJob(admin, job.def, '2026-11-23', opts());
    expect(r).toMatchObject({ state: 'completed', attempt: 1, businessDate: '2026-11-23' });
    expect(r.result).toEqual({ first: { n: 1 }, second: { n: 2, seen: { n: 1 } } });
    const again = runJob(await h.as('olga'), job.def, '2026-11-23', opts({ trigger: 'scheduler' }));
    await expect(again).rejects.toMatchObject({ code: 'E8101', exitCode: 5 });
    await expect(again).rejects.toThrow(/already completed at 2026-11-23T10:00:00\+08:00/);
    expect(job.calls).toEqual(['first 2026-11-23', 'second 2026-11-23']);
    const rows = await h.db()('job_runs').where({ job: 'once' });
    expect(rows).toHaveLength(1);
  });

  it('a running instance refuses a second process, naming since when, pid and host', async () => {
    const job = fakeJob('busy');
    let release: () => void = () => {};
    job.control.gate = new Promise((r) => {
      release = r;
    });
    const started = new Promise<void>((r) => {
      job.control.started = r;
    });
    const first = runJob(admin, job.def, '2026-11-23', opts({ host: 'machine-a', pid: 4242 }));
    await started;
    const second = runJob(admin, job.def, '2026-11-23', opts({ host: 'machine-b', pid: 7 }));
    await expect(second).rejects.toMatchObject({ code: 'E8102', exitCode: 5 });
    await expect(second).rejects.toThrow(/running since 2026-11-23T10:00:00\+08:00, pid 4242, host machine-a/);
    release();
    expect((await first).state).toBe('completed');
  });

  it('--rerun is for admins with a reason, and is audited', async () => {
    const job = fakeJob('rerun');
    await runJob(admin, job.def, '2026-11-20', opts());
    const olga = await h.as('olga');
    await expect(runJob(olga, job.def, '2026-11-20', opts({ rerun: true, reason: 'x' }))).rejects.toMatchObject({
      code: 'E8107',
      exitCode: 4,
    });
    await expect(runJob(admin, job.def, '2026-11-20', opts({ rerun: true }))).rejects.toMatchObject({ code: 'E8106' });
    await expect(runJob(await h.as('bob'), job.def, '2026-11-20', opts())).rejects.toMatchObject({ code: 'E4001' });
    const r = await runJob(admin, job.def, '2026-11-20', opts({ rerun: true, reason: 'file overwritten' }));
    expect(r).toMatchObject({ state: 'completed', attempt: 2 });
    expect(job.calls).toEqual(['first 2026-11-20', 'second 2026-11-20', 'first 2026-11-20', 'second 2026-11-20']);
    const audit = await listAudit(admin, { action: 'jobs.rerun' });
    expect(audit[0]).toMatchObject({ user: 'admin', entityId: 'rerun/2026-11-20' });
    expect(audit[0]!.after).toMatchObject({ reason: 'file overwritten', attempts: 2 });
    const execs = await h.db()('job_executions').where({ job: 'rerun' }).orderBy('id');
    expect(execs.map((e: { rerun_reason: string | null }) => e.rerun_reason)).toEqual([null, 'file overwritten']);
  });

  it('a failed instance is retried by the next run and resumes after the steps it recorded', async () => {
    const job = fakeJob('resume');
    job.control.failSecond = true;
    const failed = await runJob(admin, job.def, '2026-11-23', opts());
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'E9998' } });
    const shown = await showRun(admin, failed.runId);
    expect(shown.error).toMatch(/E9998: test failure\n.*Error/s);
    job.control.failSecond = false;
    const ok = await runJob(admin, job.def, '2026-11-23', opts({ trigger: 'scheduler' }));
    expect(ok).toMatchObject({ state: 'completed', attempt: 2 });
    expect(ok.steps).toEqual([
      { name: 'first', status: 'resumed' },
      { name: 'second', status: 'done' },
    ]);
    expect(job.calls).toEqual(['first 2026-11-23', 'second 2026-11-23', 'second 2026-11-23']);
    const hist = await listHistory(admin, { job: 'resume' });
    expect(hist.map((x) => x.state)).toEqual(['completed', 'failed']);
    expect(Object.keys(hist[0]!)).toEqual(['id', 'job', 'businessDate', 'state', 'startedAt', 'finishedAt', 'trigger']);
    expect((await listHistory(admin, { state: 'failed', job: 'resume' })).map((x) => x.id)).toEqual([failed.runId]);
  });

  it('a run whose process stopped renewing its lease is taken over once the lease expires', async () => {
    const lease = new ManualClock();
    const job = fakeJob('lease');
    let release: () => void = () => {};
    job.control.gate = new Promise((r) => {
      release = r;
    });
    const started = new Promise<void>((r) => {
      job.control.started = r;
    });
    // Process A claims and then "dies": its step never returns and its lease is never renewed (long interval).
    const dead = runJob(admin, job.def, '2026-11-23', opts({ leaseClock: lease, leaseMs: 600_000, host: 'a', pid: 1 }));
    await started;
    job.control.gate = null;
    await expect(
      runJob(admin, job.def, '2026-11-23', opts({ leaseClock: lease, host: 'b', pid: 2 })),
    ).rejects.toMatchObject({
      code: 'E8102',
    });
    lease.advance(601_000);
    const taken = await runJob(admin, job.def, '2026-11-23', opts({ leaseClock: lease, host: 'b', pid: 2 }));
    expect(taken).toMatchObject({ state: 'completed', attempt: 2, takeover: true });
    // The old process wakes up: its fencing token (attempt 1) is stale, so it cannot record anything.
    release();
    const late = await dead;
    expect(late).toMatchObject({ state: 'failed', error: { code: 'E8108' } });
    const row = await h.db()('job_runs').where({ job: 'lease' }).first();
    expect(row).toMatchObject({ state: 'completed', host: 'b', attempts: 2 });
    const execs = await h.db()('job_executions').where({ job: 'lease' }).orderBy('id');
    expect(execs.map((e: { state: string }) => e.state)).toEqual(['failed', 'completed']);
    expect(execs[0].error).toMatch(/lease expired/);
  });

  it('settlement jobs refuse non-working days; a day the calendar cannot answer for fails loudly and is recorded', async () => {
    const job = fakeJob('calendar');
    await expect(runJob(admin, job.def, '2026-11-22', opts())).rejects.toMatchObject({ code: 'E8104', exitCode: 2 });
    h.clock.set('2027-01-04T10:00:00+08:00');
    const r = await runJob(admin, job.def, '2027-01-04', opts());
    expect(r).toMatchObject({ state: 'failed', error: { code: 'E8112' } });
    expect(r.error!.message).toMatch(/does not cover 2027/);
    expect(job.calls).toEqual([]);
    h.clock.set('2026-11-23T10:00:00+08:00');
    await expect(runJob(admin, job.def, '2026-11-24', opts())).rejects.toMatchObject({ code: 'E8105' });
  });

  it('catch-up after a three-day outage spanning a weekend runs exactly the missed working days, in order', async () => {
    const settle = fakeJob('t-settle', { time: '08:30' });
    const late = fakeJob('t-late', { time: '15:30' });
    const daily = fakeJob('t-daily', { time: '01:00', workingDaysOnly: false });
    const registry: JobRegistry = [daily.def, settle.def, late.def];
    // Everything completed up to Thursday 2026-11-19.
    h.clock.set('2026-11-19T16:00:00+08:00');
    for (const def of registry) await runJob(admin, def, '2026-11-19', opts());
    for (const j of [settle, late, daily]) j.calls.length = 0;
    // Back on Monday 2026-11-23 at 10:00.
    h.clock.set('2026-11-23T10:00:00+08:00');
    const order: string[] = [];
    for (const j of [settle, late, daily]) j.control.started = () => order.push(`${j.def.name}`);
    const base = { reportsDir: tmp, leaseMs: 60_000 };
    const dry = await catchUp(admin, registry, { ...base, dryRun: true });
    expect(dry.every((i) => i.outcome === 'planned')).toBe(true);
    expect(dry).toHaveLength(7);
    const items = await catchUp(admin, registry, base);
    expect(items.map((i) => `${i.businessDate} ${i.job} ${i.outcome}`)).toEqual([
      '2026-11-20 t-daily completed',
      '2026-11-20 t-settle completed',
      '2026-11-20 t-late completed',
      '2026-11-21 t-daily completed',
      '2026-11-22 t-daily completed',
      '2026-11-23 t-daily completed',
      '2026-11-23 t-settle completed',
    ]);
    expect(order).toEqual(['t-daily', 't-settle', 't-late', 't-daily', 't-daily', 't-daily', 't-settle']);
    // Nothing left: a second catch-up runs nothing.
    expect(await catchUp(admin, registry, base)).toEqual([]);
    const runs = await h
      .db()('job_executions')
      .whereIn('job', ['t-settle', 't-late', 't-daily'])
      .where({ trigger: 'catch-up' });
    expect(runs).toHaveLength(7);
  });

  it('two schedulers on one database run each instance once', async () => {
    const a = fakeJob('t-two-a', { time: '08:30' });
    const b = fakeJob('t-two-b', { time: '01:00', workingDaysOnly: false });
    const registry: JobRegistry = [b.def, a.def];
    h.clock.set('2026-11-24T09:00:00+08:00');
    const log: string[] = [];
    const make = (host: string) =>
      new Scheduler({
        ctx: admin,
        registry,
        run: { reportsDir: tmp, leaseMs: 60_000, host, pid: host === 'one' ? 1 : 2 },
        log: (event, f) => log.push(`${host} ${event} ${f?.job ?? ''}`),
        cron: { schedule: () => ({ stop: () => {} }) },
      });
    const one = make('one');
    const two = make('two');
    const [x, y] = await Promise.all([one.start(), two.start()]);
    await Promise.all([one.stop(), two.stop()]);
    const outcomes = [...x, ...y].map((i) => `${i.job} ${i.outcome}`).sort();
    expect(outcomes.filter((o) => o.endsWith('completed')).sort()).toEqual(['t-two-a completed', 't-two-b completed']);
    expect(a.calls).toEqual(['first 2026-11-24', 'second 2026-11-24']);
    expect(b.calls).toEqual(['first 2026-11-24', 'second 2026-11-24']);
    const runs = await h.db()('job_runs').whereIn('job', ['t-two-a', 't-two-b']);
    expect(runs.map((r: { attempts: number }) => Number(r.attempts))).toEqual([1, 1]);
    expect(log.some((l) => l.includes('scheduler.stopped'))).toBe(true);
  });

  it("a wake-up runs today's instance, skips a day off, and a second wake-up is refused", async () => {
    const job = fakeJob('t-wake', { time: '08:30' });
    const fired: ((c: { date: Date }) => unknown)[] = [];
    const log: string[] = [];
    const scheduler = new Scheduler({
      ctx: admin,
      registry: [job.def],
      run: { reportsDir: tmp, leaseMs: 60_000 },
      log: (event, f) => log.push(`${event} ${f?.date ?? ''}`.trim()),
      cron: {
        schedule: (_expr, fn) => {
          fired.push(fn);
          return { stop: () => {} };
        },
      },
    });
    h.clock.set('2026-11-22T08:00:00+08:00'); // a Sunday: nothing to catch up
    await scheduler.start();
    const wake = async (iso: string) => {
      h.clock.set(iso);
      fired[0]!({ date: new Date(iso) });
      await scheduler.idle();
    };
    await wake('2026-11-22T08:30:00+08:00');
    await wake('2026-11-25T08:30:00+08:00');
    await wake('2026-11-25T08:30:30+08:00');
    await scheduler.stop();
    expect(log.filter((l) => l.startsWith('run.') || l.startsWith('wake'))).toEqual([
      'wake 2026-11-22',
      'run.skipped 2026-11-22',
      'wake 2026-11-25',
      'run.started 2026-11-25',
      'run.completed 2026-11-25',
      'wake 2026-11-25',
      'run.refused 2026-11-25',
    ]);
    expect(job.calls).toEqual(['first 2026-11-25', 'second 2026-11-25']);
    const exec = await h.db()('job_executions').where({ job: 't-wake' }).first();
    expect(exec.trigger).toBe('scheduler');
    h.clock.set('2026-11-23T10:00:00+08:00');
  });

  it('jobs list gives each job its schedule, next run with offset and last run', async () => {
    h.clock.set('2026-11-20T16:00:00+08:00'); // a Friday after the day's jobs
    const job = fakeJob('listed', { time: '08:30' });
    const rows = await listJobs(admin, [job.def]);
    expect(rows).toEqual([
      { name: 'listed', enabled: true, schedule: '08:30', nextRun: '2026-11-23T08:30:00+08:00', lastRun: null },
    ]);
    h.clock.set('2026-11-23T10:00:00+08:00');
  });
});
