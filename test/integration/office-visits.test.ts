import { beforeAll, expect, it } from 'vitest';
import { CrmError } from '../../src/domain/errors.js';
import { renderReportText } from '../../src/reports/render/index.js';
import { buildVisitStats, buildVisitsDaily } from '../../src/reports/visits.js';
import { listAudit } from '../../src/services/audit.js';
import { listFollowups } from '../../src/services/customers/followups.js';
import {
  cancelVisit,
  listVisits,
  planVisit,
  reportVisit,
  visitStats,
  visitsDaily,
} from '../../src/services/office/visits.js';
import { buildTodo } from '../../src/services/todo/index.js';
import { isolatedEnv, runCli } from '../support/cli.js';
import { type DbHarness, describeEachDb } from '../support/db.js';
import { testTempDir } from '../support/tmp.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CrmError) return err.code;
    throw err;
  }
  return 'no error';
}

async function customer(h: DbHarness, code: string, owner: string) {
  const o = await h.db()('users').where({ name: owner }).first('id');
  await h
    .db()('customers')
    .insert({
      code,
      name: `客户${code}`,
      name_norm: `客户${code}`,
      kind: 'unit',
      owner_id: o.id,
      status: 'active',
      last_followup_at: '2026-10-01T00:00:00.000Z',
      created_at: '2026-10-01T00:00:00.000Z',
      updated_at: '2026-10-01T00:00:00.000Z',
    });
}

describeEachDb('office: visits, the daily visit report, visit statistics', (h) => {
  beforeAll(async () => {
    h.clock.set('2026-11-23T10:00:00+08:00');
    await h.addUser('carol', 'manager');
    await h.addUser('bob', 'sales', 'carol');
    await h.addUser('dave', 'sales', 'carol');
    await customer(h, 'C1', 'bob');
    await customer(h, 'C2', 'bob');
    await customer(h, 'C3', 'dave');
  });

  it('plan: purposes by name or letter; a customer outside scope or a bad purpose is refused', async () => {
    const bob = await h.as('bob');
    expect(await planVisit(bob, { customer: 'C1', purpose: 'problem', with: 'carol' })).toMatchObject({
      id: 1,
      date: '2026-11-23',
      purpose: 'problem',
      status: 'planned',
      companion: 'carol',
    });
    expect((await planVisit(bob, { customer: 'C2', date: '2026-11-23', purpose: 'a' })).purpose).toBe('first');
    expect((await planVisit(bob, { customer: 'C2', date: '2026-11-25' })).purpose).toBe('relationship');
    expect(await code(planVisit(bob, { customer: 'C3' }))).toBe('E5104');
    expect(await code(planVisit(bob, { customer: 'C1', purpose: 'lunch' }))).toBe('E5132');
    expect(await code(planVisit(bob, { customer: 'C1', date: '2026-13-01' }))).toBe('E5190');
  });

  it('report: records a follow-up through the follow-ups service (pool clock restarts); only the visitor, once, not ahead', async () => {
    const bob = await h.as('bob');
    expect(await code(reportVisit(await h.as('carol'), 1, { result: 'A' }))).toBe('E5131');
    expect(await code(reportVisit(await h.as('dave'), 1, { result: 'A' }))).toBe('E5130'); // not even visible
    expect(await code(reportVisit(bob, 1, { result: 'F' }))).toBe('E5133');
    expect(await code(reportVisit(bob, 1, { result: 'B', expense: '12.345' }))).toBe('E5136');
    expect(await code(reportVisit(bob, 3, { result: 'B' }))).toBe('E5135'); // planned for Wednesday
    const v = await reportVisit(bob, 1, {
      result: 'b',
      notes: '演示新系统',
      handled: '账户对账问题',
      open: '需财政局确认格式',
      next: '2026-12-01',
      expense: '36.5',
      expenseItem: '交通',
    });
    expect(v).toMatchObject({
      status: 'reported',
      result: 'B',
      expense: '36.50',
      expenseFen: 3650,
      next: '2026-12-01',
    });
    const [f] = await listFollowups(bob, { customer: 'C1' });
    expect(f).toMatchObject({
      id: v.followupId,
      method: 'visit',
      user: 'bob',
      at: '2026-11-23T01:00:00.000Z',
      nextAt: '2026-12-01T01:00:00.000Z',
    });
    expect(f?.content).toContain('B 有希望');
    expect(f?.content).toContain('待处理：需财政局确认格式');
    const c1 = await h.db()('customers').where({ code: 'C1' }).first('last_followup_at');
    expect(c1.last_followup_at).toBe('2026-11-23T01:00:00.000Z');
    expect(await code(reportVisit(bob, 1, { result: 'A' }))).toBe('E5134');
    const audit = await listAudit(await h.as(), { entity: 'visit', entityId: '1' });
    expect(audit.map((a) => a.action).sort()).toEqual(['visits.plan', 'visits.report']);
    expect((await listAudit(await h.as(), { entity: 'followup' })).length).toBe(1);
  });

  it('a visit not reported by the end of its day stays in the to-do list; a cancelled one leaves it', async () => {
    h.clock.set('2026-11-24T09:00:00+08:00');
    const bob = await h.as('bob');
    const visits = (await buildTodo(bob)).items.filter((i) => i.kind === 'visit');
    expect(visits.map((i) => [i.ref, i.overdue])).toEqual([['visit:2', true]]);
    await cancelVisit(bob, 2);
    expect((await buildTodo(bob)).items.filter((i) => i.kind === 'visit')).toEqual([]);
    expect(await code(cancelVisit(bob, 2))).toBe('E5134');
    h.clock.set('2026-11-23T18:00:00+08:00');
  });

  it('daily report: JSON shape, expense total in yuan, print form with totals and signatures', async () => {
    const bob = await h.as('bob');
    const daily = await visitsDaily(bob, { date: '2026-11-23' });
    expect(daily.visits.map((v) => v.id)).toEqual([1]);
    expect(daily.expenseTotalFen).toBe(3650);
    const model = buildVisitsDaily(daily, 'zh');
    const print = renderReportText(model, 'print', { lang: 'zh', timeZone: 'Asia/Shanghai', now: h.clock.now() });
    expect(print).toContain('拜访日报表');
    expect(print).toContain('B 有希望');
    expect(print).toMatch(/合计\s+36\.50/);
    expect(print).toContain('经办');
    const html = renderReportText(model, 'html', { lang: 'zh', timeZone: 'Asia/Shanghai', now: h.clock.now() });
    expect(html).toContain('<title>拜访日报表');
    expect(html).toContain('需财政局确认格式');
    const csv = renderReportText(model, 'csv', { lang: 'zh', timeZone: 'Asia/Shanghai', now: h.clock.now() });
    expect(csv.split('\n')[1]).toContain('36.50');
    expect(await code(visitsDaily(await h.as('dave'), { for: 'bob' }))).toBe('E5171');
    expect((await visitsDaily(await h.as('carol'), { for: 'bob', date: '2026-11-23' })).visits.length).toBe(1);
    const home = testTempDir('crm-visits-');
    const r = runCli(
      ['--user', 'bob', '--json', 'visits', 'daily', '--date', '2026-11-23'],
      isolatedEnv(home, { CRM_DATABASE_URL: h.url() }),
    );
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['date', 'user', 'visits', 'expenseTotal']);
    expect(json).toMatchObject({ date: '2026-11-23', user: 'bob', expenseTotal: '36.50' });
    expect(json.visits[0]).toMatchObject({
      id: 1,
      customerCode: 'C1',
      result: 'B',
      expense: '36.50',
      purpose: 'problem',
    });
  });

  it('visit statistics per user by purpose and result, within scope', async () => {
    await planVisit(await h.as('dave'), { customer: 'C3', date: '2026-11-20', purpose: 'first' });
    const carol = await h.as('carol');
    const stats = await visitStats(carol, { from: '2026-11-01', to: '2026-11-30' });
    expect(stats.rows).toEqual([
      // bob: visit 1 reported, visit 3 planned for Wednesday (not late), visit 2 cancelled (not counted).
      expect.objectContaining({
        user: 'bob',
        planned: 2,
        reported: 1,
        unreported: 0,
        problem: 1,
        relationship: 1,
        B: 1,
        expenseFen: 3650,
      }),
      expect.objectContaining({ user: 'dave', planned: 1, reported: 0, unreported: 1, first: 1 }),
    ]);
    const bobOnly = await visitStats(await h.as('bob'), { from: '2026-11-01', to: '2026-11-30' });
    expect(bobOnly.rows.map((r) => r.user)).toEqual(['bob']);
    expect(await code(visitStats(await h.as('bob'), { owner: 'dave' }))).toBe('E9104');
    const model = buildVisitStats({ from: stats.from, to: stats.to }, stats.rows);
    expect(model.totals).toMatchObject({ planned: 3, reported: 1, unreported: 1, B: 1, expense: 3650 });
    expect((await listVisits(carol, { team: true })).map((v) => v.user)).toEqual(['dave', 'bob', 'bob', 'bob']);
  });
});
