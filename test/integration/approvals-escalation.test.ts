import { beforeAll, expect, it } from 'vitest';
import { BUILTIN_JOBS } from '../../src/jobs/definitions.js';
import { remindAndEscalate } from '../../src/services/approvals/escalation.js';
import { pendingApprovalsFor, showRequest, submitRequest } from '../../src/services/approvals/requests.js';
import { runJob } from '../../src/services/jobs/instances.js';
import { describeEachDb } from '../support/db.js';
import { testTempDir } from '../support/tmp.js';

describeEachDb('approvals reminders and escalation', (h) => {
  let id = 0;
  beforeAll(async () => {
    await h.addUser('vic', 'executive');
    await h.addUser('carol', 'manager', 'vic');
    await h.addUser('bob', 'sales', 'carol');
    // Submitted Monday 2026-11-23 10:00 (Shanghai); Saturday and Sunday are not working days.
    h.clock.set('2026-11-23T10:00:00+08:00');
    id = (await submitRequest(await h.as('bob'), { type: 'general', title: '采购打印机' })).id;
  });

  const audits = async () =>
    (
      await h
        .db()('audit_log')
        .where({ entity: 'approval', entity_id: String(id) })
        .orderBy('id')
        .select('action')
    ).map((a: { action: string }) => a.action);

  it('counts working days: no reminder after 2 working days, one after 3, never twice', async () => {
    const admin = await h.as();
    h.clock.set('2026-11-25T09:00:00+08:00');
    expect(await remindAndEscalate(admin, { date: '2026-11-25' })).toMatchObject({ reminded: 0, escalated: 0 });
    h.clock.set('2026-11-26T09:00:00+08:00');
    const r = await remindAndEscalate(admin, { date: '2026-11-26' });
    expect(r.entries).toEqual([
      { id, type: 'general', title: '采购打印机', step: 1, waitingDays: 3, action: 'remind', to: ['carol'] },
    ]);
    expect((await remindAndEscalate(admin, { date: '2026-11-26' })).reminded).toBe(0);
    expect((await remindAndEscalate(admin, { date: '2026-11-27' })).reminded).toBe(0);
    expect(await audits()).toEqual(['approvals.submit', 'approvals.remind']);
  });

  it('escalates once after more than 5 working days (the weekend does not count) to the next level up', async () => {
    const admin = await h.as();
    h.clock.set('2026-11-30T09:00:00+08:00'); // Monday: 5 working days (24, 25, 26, 27, 30)
    expect((await remindAndEscalate(admin, { date: '2026-11-30' })).escalated).toBe(0);
    h.clock.set('2026-12-01T09:00:00+08:00');
    const r = await remindAndEscalate(admin, { date: '2026-12-01' });
    expect(r.entries).toEqual([expect.objectContaining({ id, action: 'escalate', waitingDays: 6, to: ['vic'] })]);
    expect((await showRequest(admin, id)).waitingFor).toEqual(['vic']);
    expect((await pendingApprovalsFor(admin, 'vic')).map((p) => p.id)).toEqual([id]);
    expect((await pendingApprovalsFor(admin, 'carol')).map((p) => p.id)).toEqual([]);
    expect((await remindAndEscalate(admin, { date: '2026-12-02' })).escalated).toBe(0);
    expect(await audits()).toEqual(['approvals.submit', 'approvals.remind', 'approvals.escalate']);
  });

  it('runs as the approvals-reminders job, recorded per business date; a rerun of the day is refused', async () => {
    const def = BUILTIN_JOBS.find((j) => j.name === 'approvals-reminders')!;
    const opts = { trigger: 'manual' as const, reportsDir: testTempDir('crm-approvals-job-'), leaseMs: 60_000 };
    h.clock.set('2026-12-02T09:00:00+08:00');
    const r = await runJob(await h.as(), def, '2026-12-02', opts);
    expect(r.state).toBe('completed');
    const run = await h.db()('job_runs').where({ job: 'approvals-reminders', business_date: '2026-12-02' }).first();
    expect(run.state).toBe('completed');
    await expect(runJob(await h.as(), def, '2026-12-02', opts)).rejects.toMatchObject({ exitCode: 5 });
    h.clock.set('2026-11-23T10:00:00+08:00');
  });

  it('needs the jobs permission', async () => {
    await expect(remindAndEscalate(await h.as('bob'), { date: '2026-12-02' })).rejects.toMatchObject({
      code: 'E4001',
      exitCode: 4,
    });
  });
});
