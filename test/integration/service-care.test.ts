import { beforeAll, expect, it } from 'vitest';
import { BUILTIN_JOBS } from '../../src/jobs/definitions.js';
import { addCustomer } from '../../src/services/customers/customers.js';
import { listFollowups } from '../../src/services/customers/followups.js';
import { findJob, runJob } from '../../src/services/jobs/instances.js';
import {
  addCarePlan,
  anniversaryIn,
  createCareContacts,
  listCareContacts,
  periodOf,
  setCarePlanActive,
} from '../../src/services/service/care.js';
import { describeEachDb } from '../support/db.js';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  throw new Error('expected a refusal');
}

it('periods and anniversaries', () => {
  expect(periodOf('2026-11-23', 'quarter')).toEqual({ key: '2026-Q4', start: '2026-10-01' });
  expect(periodOf('2026-02-03', 'month')).toEqual({ key: '2026-02', start: '2026-02-01' });
  expect(periodOf('2026-02-03', 'year')).toEqual({ key: '2026', start: '2026-01-01' });
  expect(anniversaryIn('2024-02-29', 2026)).toBe('2026-02-28');
  expect(anniversaryIn('2024-02-29', 2028)).toBe('2028-02-29');
});

describeEachDb('customer service: care plans', (h) => {
  beforeAll(async () => {
    await h.addUser('carol', 'manager');
    await h.addUser('bob', 'sales', 'carol');
    h.clock.set('2026-11-01T10:00:00+08:00');
    const admin = await h.as();
    await addCustomer(admin, { code: 'A1', name: '甲', owner: 'bob', grade: 'A' });
    await addCustomer(admin, { code: 'A2', name: '乙', grade: 'A' });
    await addCustomer(admin, { code: 'B1', name: '丙', owner: 'bob', grade: 'B' });
    const b1 = await h.db()('customers').where({ code: 'B1' }).first('id');
    const bob = await h.db()('users').where({ name: 'bob' }).first('id');
    await h.db()('orders').insert({
      number: 'O-1',
      customer_id: b1.id,
      owner_id: bob.id,
      status: 'approved',
      total_fen: 100000,
      signed_at: '2025-11-20',
      created_at: '2025-11-20T02:00:00.000Z',
      updated_at: '2025-11-20T02:00:00.000Z',
    });
  });

  it('refuses bad plans with E4130 and people who may not manage them', async () => {
    const admin = await h.as();
    expect(await codeOf(addCarePlan(admin, { name: 'x', rule: 'weekly' }))).toBe('E4130');
    expect(await codeOf(addCarePlan(admin, { name: 'x', rule: 'periodic' }))).toBe('E4130');
    expect(await codeOf(addCarePlan(admin, { name: 'x', rule: 'anniversary', every: 'year' }))).toBe('E4130');
    expect(await codeOf(addCarePlan(admin, { name: 'x', rule: 'periodic', every: 'month', method: 'pigeon' }))).toBe(
      'E3157',
    );
    expect(await codeOf(addCarePlan(await h.as('bob'), { name: 'x', rule: 'anniversary' }))).toBe('E4001');
    expect(await h.db()('care_plans')).toHaveLength(0);
  });

  it('the daily job creates each due care contact once, as a due follow-up of the owner', async () => {
    const admin = await h.as();
    const quarterly = await addCarePlan(admin, {
      name: 'A 类季度关怀',
      rule: 'periodic',
      every: 'quarter',
      grade: 'A',
      method: 'visit',
    });
    const anniversary = await addCarePlan(admin, { name: '首单周年', rule: 'anniversary' });
    h.clock.set('2026-11-23T10:00:00+08:00');
    const r = await createCareContacts(admin, { date: '2026-11-23' });
    expect(r.created.map((c) => `${c.plan} ${c.customer} ${c.period} ${c.dueDate} ${c.owner}`)).toEqual([
      `${quarterly.id} A1 2026-Q4 2026-11-23 bob`,
      `${anniversary.id} B1 2026 2026-11-20 bob`,
    ]);
    expect(r.noOwner).toEqual(['A2']);
    // visible where due follow-ups are listed; the last follow-up time does not move
    const due = await listFollowups(await h.as('bob'), { due: true });
    expect(due.map((f) => `${f.customerCode} ${f.method}`).sort()).toEqual(['A1 visit', 'B1 phone']);
    expect((await h.db()('customers').where({ code: 'A1' }).first()).last_followup_at).toBeNull();
    // again, the same day or later in the quarter: nothing twice
    const again = await createCareContacts(admin, { date: '2026-11-23' });
    expect(again).toMatchObject({ created: [], already: 2 });
    h.clock.set('2026-12-01T10:00:00+08:00');
    expect((await createCareContacts(admin, { date: '2026-12-01' })).created).toEqual([]);
    expect(await h.db()('care_contacts')).toHaveLength(2);
    expect(await h.db()('audit_log').where({ action: 'care.create' })).toHaveLength(2);
    expect(await codeOf(createCareContacts(admin, { date: '2026-12-02' }))).toBe('E4132');
    // a disabled plan creates nothing; the next quarter creates anew
    await setCarePlanActive(admin, anniversary.id, false);
    h.clock.set('2027-01-04T10:00:00+08:00');
    const next = await createCareContacts(admin, { date: '2027-01-04' });
    expect(next.created.map((c) => `${c.customer} ${c.period}`)).toEqual(['A1 2027-Q1']);
    expect((await listCareContacts(await h.as('bob'))).map((c) => `${c.customer} ${c.period}`)).toEqual([
      'A1 2027-Q1',
      'A1 2026-Q4',
      'B1 2026',
    ]);
  });

  it('the care-plans job records its run and creates nothing on a rerun', async () => {
    const admin = await h.as();
    h.clock.set('2027-01-05T10:00:00+08:00');
    const opts = { trigger: 'manual' as const, reportsDir: '/nonexistent', leaseMs: 60_000 };
    const r = await runJob(admin, findJob(BUILTIN_JOBS, 'care-plans'), '2027-01-05', opts);
    expect(r).toMatchObject({
      state: 'completed',
      result: { 'create-care-contacts': { created: 0, already: 1, noOwner: 1 } },
    });
    expect(await codeOf(runJob(admin, findJob(BUILTIN_JOBS, 'care-plans'), '2027-01-05', opts))).toBe('E8101');
  });
});
