import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isolatedEnv, ROOT, runCliAsync, startCli, TEST_BIN, until } from '../support/cli.js';
import { describeEachDb } from '../support/db.js';

/**
 * Guarantees that need real processes: a `jobs run` killed with -9 is detected by its lease and taken over,
 * and two schedulers on one database run each instance once. The CLI runs the test jobs (TEST_BIN),
 * which only sleep, so nothing else is involved. No timed assertions: the test polls for states.
 */

let home = '';
beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-jobs-proc-'));
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const runTestJobs = (args: string[], env: Record<string, string>) => runCliAsync(args, env, ROOT, TEST_BIN);

describeEachDb('jobs across processes', (h) => {
  const env = (extra: Record<string, string>) =>
    isolatedEnv(home, { CRM_DATABASE_URL: h.url(), CRM_NOW: '2026-11-23T10:00:00+08:00', ...extra });

  it('kill -9 during a run: refused while the lease lives, taken over after it expires', async () => {
    const victim = startCli(
      ['jobs', 'run', 'test-a', '--date', '2026-11-20'],
      env({ CRM_TEST_JOBS: '60000', CRM_JOBS_LEASE_MS: '4000' }),
      TEST_BIN,
    );
    // Started: the instance claimed and its first attempt recorded (two inserts; killed between them, the run
    // would have no attempt to show as failed).
    const row = await until('the run to start', async () => {
      const run = await h
        .db()('job_runs')
        .where({ job: 'test-a', business_date: '2026-11-20', state: 'running' })
        .first();
      const attempt = run && (await h.db()('job_executions').where({ run_id: run.id, state: 'running' }).first());
      return attempt ? run : undefined;
    });
    expect(Number(row.pid)).toBe(victim.child.pid);
    victim.child.kill('SIGKILL');
    await victim.done;

    const refused = await runTestJobs(['jobs', 'run', 'test-a', '--date', '2026-11-20'], env({ CRM_TEST_JOBS: '1' }));
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('E8102');
    expect(refused.stderr).toContain(`pid ${victim.child.pid}, host ${os.hostname()}`);

    await until('the lease to expire', async () => {
      const r = await h.db()('job_runs').where({ job: 'test-a', business_date: '2026-11-20' }).first();
      return r.lease_until < new Date().toISOString();
    });
    const taken = await runTestJobs(
      ['jobs', 'run', 'test-a', '--date', '2026-11-20', '--json'],
      env({ CRM_TEST_JOBS: '1' }),
    );
    expect(taken.code).toBe(0);
    const result = JSON.parse(taken.stdout);
    expect(result).toMatchObject({ state: 'completed', attempt: 2, takeover: true });
    const history = await runTestJobs(['jobs', 'history', '--job', 'test-a', '--json'], env({ CRM_TEST_JOBS: '1' }));
    const rows = JSON.parse(history.stdout) as { state: string }[];
    expect(rows.map((r) => r.state)).toEqual(['completed', 'failed']);
  });

  it('two schedulers against one database run each instance once', async () => {
    const e = env({ CRM_TEST_JOBS: '300', CRM_JOBS_LEASE_MS: '5000' });
    const one = startCli(['jobs', 'start'], e, TEST_BIN);
    const two = startCli(['jobs', 'start'], e, TEST_BIN);
    for (const s of [one, two]) await until('catch-up to finish', async () => s.out().includes('"catchup.finished"'));
    one.child.kill('SIGTERM');
    two.child.kill('SIGTERM');
    expect(await one.done).toBe(0);
    expect(await two.done).toBe(0);
    const events = [one, two].flatMap((s) =>
      s
        .out()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string; job?: string; date?: string }),
    );
    const completed = events.filter((ev) => ev.event === 'run.completed').map((ev) => `${ev.job} ${ev.date}`);
    expect(completed.sort()).toEqual(['test-a 2026-11-23', 'test-b 2026-11-23']);
    expect(events.filter((ev) => ev.event === 'scheduler.stopped')).toHaveLength(2);
    const runs = await h.db()('job_runs').where({ business_date: '2026-11-23' }).whereIn('job', ['test-a', 'test-b']);
    expect(runs.map((r: { state: string; attempts: number }) => `${r.state} ${Number(r.attempts)}`)).toEqual([
      'completed 1',
      'completed 1',
    ]);
    const execs = await h
      .db()('job_executions')
      .where({ business_date: '2026-11-23' })
      .whereIn('job', ['test-a', 'test-b']);
    expect(execs).toHaveLength(2);
  });

  it('SIGTERM stops the scheduler after the running step; the next run resumes after it', async () => {
    const e = env({ CRM_TEST_JOBS: '1500', CRM_NOW: '2026-11-24T10:00:00+08:00' });
    const s = startCli(['jobs', 'start'], e, TEST_BIN);
    await until('a step to start', async () => s.out().includes('"run.started"'));
    s.child.kill('SIGTERM');
    expect(await s.done).toBe(0);
    const events = s
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; step?: string; error?: string });
    const names = events.map((ev) => ev.event);
    // The step in progress finished; the next one was not started.
    expect(names).toContain('step.completed');
    expect(events.find((ev) => ev.event === 'step.completed')?.step).toBe('first');
    expect(events.find((ev) => ev.event === 'run.failed')?.error).toMatch(/^E8109/);
    expect(names.at(-1)).toBe('scheduler.stopped');
    const resumed = await runTestJobs(
      ['jobs', 'run', 'test-b', '--date', '2026-11-24', '--json'],
      env({ CRM_TEST_JOBS: '1', CRM_NOW: '2026-11-24T10:00:00+08:00' }),
    );
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).steps).toEqual([
      { name: 'first', status: 'resumed' },
      { name: 'second', status: 'done' },
    ]);
  });
});
