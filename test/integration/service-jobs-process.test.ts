import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JOB_NAMES } from '../../src/jobs/catalog.js';
import { addCustomer } from '../../src/services/customers/customers.js';
import { addTicket } from '../../src/services/service/tickets.js';
import { isolatedEnv, runCliAsync, startCli, until } from '../support/cli.js';
import { describeEachDb } from '../support/db.js';

/**
 * The hourly service-escalation job across real processes (the built CLI): two schedulers started on one
 * database at 10:00 both plan today's 10:00 instance; it runs once and each breach is escalated once.
 * No timed assertions: the test polls for the schedulers' catch-up to finish.
 */

let home = '';
beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-service-proc-'));
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describeEachDb('service-escalation across processes', (h) => {
  const env = (extra: Record<string, string> = {}) =>
    isolatedEnv(home, { CRM_DATABASE_URL: h.url(), CRM_NOW: '2026-11-23T10:00:00+08:00', ...extra });

  beforeAll(async () => {
    await h.addUser('carol', 'manager');
    await h.addUser('bob', 'sales', 'carol');
    const admin = await h.as();
    // Only the escalation job is enabled: the schedulers' catch-up runs nothing else.
    for (const name of JOB_NAMES)
      if (name !== 'service-escalation')
        await admin.settings.set(`jobs.${name}.enabled`, 'false', admin.actor, h.clock);
    h.clock.set('2026-11-23T08:40:00+08:00');
    await addCustomer(admin, { code: 'P1', name: '东城区财政局', owner: 'bob' });
    // urgent: respond by 09:40, resolve by 12:40
    await addTicket(admin, { customer: 'P1', kind: 'complaint', priority: 'urgent', title: 't', content: 'c' });
  });

  it('two schedulers: the 10:00 instance runs once, the response breach is escalated once', async () => {
    const one = startCli(['jobs', 'start'], env());
    const two = startCli(['jobs', 'start'], env());
    for (const s of [one, two]) await until('catch-up to finish', () => s.out().includes('"catchup.finished"'));
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
    expect(events.filter((e) => e.event === 'run.completed').map((e) => `${e.job} ${e.date}`)).toEqual([
      'service-escalation 2026-11-23',
    ]);
    const runs = await h.db()('job_runs').where({ job: 'service-escalation' });
    expect(runs.map((r: { slot: string; state: string }) => `${r.slot} ${r.state}`)).toEqual(['10 completed']);
    const escalations = await h.db()('ticket_escalations');
    expect(escalations.map((e: { kind: string }) => e.kind)).toEqual(['response']);
    expect(await h.db()('audit_log').where({ action: 'tickets.escalate' })).toHaveLength(1);
  });

  it('by hand: another hour runs, escalates nothing twice; an hour to come and a completed hour are refused', async () => {
    const nine = await runCliAsync(
      ['jobs', 'run', 'service-escalation', '--date', '2026-11-23', '--hour', '09', '--json'],
      env(),
    );
    expect(nine.code).toBe(0);
    expect(JSON.parse(nine.stdout)).toMatchObject({
      slot: '09',
      state: 'completed',
      result: { escalate: { escalated: 0 } },
    });
    const ahead = await runCliAsync(['jobs', 'run', 'service-escalation', '--hour', '11'], env());
    expect(ahead.code).toBe(2);
    expect(ahead.stderr).toContain('E4115');
    const twice = await runCliAsync(['jobs', 'run', 'service-escalation', '--hour', '10'], env());
    expect(twice.code).toBe(5);
    expect(twice.stderr).toContain('E8101');
    expect(twice.stderr).toContain('service-escalation 2026-11-23 10:00');
    // 13:00: the resolution is late too: one more escalation, of the resolution
    const later = await runCliAsync(
      ['jobs', 'run', 'service-escalation', '--json'],
      env({ CRM_NOW: '2026-11-23T13:05:00+08:00' }),
    );
    expect(JSON.parse(later.stdout)).toMatchObject({ slot: '13', result: { escalate: { escalated: 1, already: 1 } } });
    expect((await h.db()('ticket_escalations').orderBy('id')).map((e: { kind: string }) => e.kind)).toEqual([
      'response',
      'resolve',
    ]);
    const history = await runCliAsync(['jobs', 'history', '--job', 'service-escalation', '--json'], env());
    expect(JSON.parse(history.stdout).map((r: { hour: string; state: string }) => `${r.hour} ${r.state}`)).toEqual([
      '13 completed',
      '09 completed',
      '10 completed',
    ]);
  });
});
