import { beforeAll, expect, it } from 'vitest';
import { CrmError } from '../../src/domain/errors.js';
import { m } from '../../src/domain/i18n.js';
import { addFollowup } from '../../src/services/customers/followups.js';
import { addLead } from '../../src/services/customers/leads.js';
import { addAnnouncement, readAnnouncement } from '../../src/services/office/announcements.js';
import { addLog } from '../../src/services/office/logs.js';
import { addSchedule } from '../../src/services/office/schedules.js';
import { addTask } from '../../src/services/office/tasks.js';
import { planVisit } from '../../src/services/office/visits.js';
import { createOrder, submitOrder } from '../../src/services/orders/orders.js';
import { setPlan } from '../../src/services/orders/plans.js';
import { addProduct } from '../../src/services/orders/products.js';
import { buildTodo, registerTodoSource } from '../../src/services/todo/index.js';
import { renderTodoText, todoJson } from '../../src/services/todo/render.js';
import { type DbHarness, describeEachDb } from '../support/db.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CrmError) return err.code;
    throw err;
  }
  return 'no error';
}

async function customer(h: DbHarness, code: string, owner: string, lastFollowup: string | null = null) {
  const db = h.db();
  const o = await db('users').where({ name: owner }).first('id');
  await db('customers').insert({
    code,
    name: `客户${code}`,
    name_norm: `客户${code}`,
    kind: 'unit',
    owner_id: o.id,
    owned_since: '2026-10-01T00:00:00.000Z',
    status: 'active',
    last_followup_at: lastFollowup,
    created_at: '2026-10-01T00:00:00.000Z',
    updated_at: '2026-10-01T00:00:00.000Z',
  });
}

// Monday 2026-11-23, 10:00 in Shanghai (02:00 UTC).
describeEachDb('todo: every source, scope and the registry', (h) => {
  beforeAll(async () => {
    h.clock.set('2026-11-20T10:00:00+08:00');
    await h.addUser('carol', 'manager');
    await h.addUser('bob', 'sales', 'carol');
    await h.addUser('dave', 'sales', 'carol');
    await h.addUser('erin', 'sales');
    const admin = await h.as();
    await admin.settings.set('pool.returnAfterDaysWithoutFollowup', '30', admin.actor, h.clock);
    await admin.settings.set('pool.warnDaysBefore', '5', admin.actor, h.clock);
    await admin.settings.set('worklog.requireDaily', 'true', admin.actor, h.clock);
    // C1: last follow-up 2026-10-26, returns to the pool 2026-11-25 (within the 5-day warning).
    await customer(h, 'C1', 'bob', '2026-10-26T02:00:00.000Z');
    await customer(h, 'C2', 'bob', '2026-11-19T02:00:00.000Z');
    await customer(h, 'C3', 'dave', '2026-11-19T02:00:00.000Z');
    await customer(h, 'E1', 'erin', '2026-11-19T02:00:00.000Z');
    await addProduct(admin, { code: 'P', name: 'p', priceFen: 5_000_000 });
    const bob = await h.as('bob');
    // A follow-up whose next time (Monday 09:00) has come by Monday 10:00.
    await addFollowup(bob, {
      customer: 'C2',
      method: 'phone',
      content: '确认需求',
      at: '2026-11-20 09:30',
      next: '2026-11-23 09:00',
    });
    const lead = await addLead(bob, { name: '朝阳区某学校' });
    await addFollowup(bob, {
      lead: lead.id,
      method: 'phone',
      content: '约见面',
      at: '2026-11-20 09:40',
      next: '2026-11-23 08:00',
    });
    // An effective order with one overdue and one soon-due instalment; one order waiting for approval.
    const o1 = await createOrder(bob, { customer: 'C2', items: ['P:1'], number: 'SO-1' });
    await setPlan(bob, o1.number, ['2026-11-19:200', '2026-11-25:300', '2026-12-31:100']);
    await submitOrder(bob, o1.number);
    const o2 = await createOrder(await h.as('dave'), { customer: 'C3', items: ['P:3'], number: 'SO-2' });
    await submitOrder(await h.as('dave'), o2.number);
    await addTask(bob, { title: '准备续签材料', due: '2026-11-23 17:00' });
    await addTask(bob, { title: '年底再说', due: '2026-12-20' });
    await addSchedule(bob, {
      title: '周例会',
      start: '2026-11-23 14:00',
      end: '2026-11-23 15:00',
      participants: ['carol'],
    });
    await addSchedule(bob, { title: '明天的会', start: '2026-11-24 09:00' });
    await planVisit(bob, { customer: 'C2', date: '2026-11-20', purpose: 'problem' }); // Friday, never reported
    await planVisit(bob, { customer: 'C1', date: '2026-11-23' });
    await addLog(bob, { kind: 'daily', content: '周五的日报', date: '2026-11-20' });
    await addAnnouncement(admin, { title: '年终结算安排', content: '12 月 31 日系统升级', pin: true });
    h.clock.set('2026-11-23T10:00:00+08:00');
  });

  it("bob's list: one item per source, grouped by kind, sorted by due time, each naming its command", async () => {
    const list = await buildTodo(await h.as('bob'));
    expect(list.date).toBe('2026-11-23');
    const items = todoJson(list, 'en');
    expect(items.map((i) => [i.kind, i.ref])).toEqual([
      ['followup', 'lead:1'],
      ['followup', 'customer:C2'],
      ['pool-return', 'customer:C1'],
      ['instalment', 'order:SO-1#1'],
      ['instalment', 'order:SO-1#2'],
      ['task', 'task:1'],
      ['schedule', 'schedule:1'],
      ['visit', 'visit:1'],
      ['visit', 'visit:2'],
      ['worklog', 'worklog:2026-11-23'],
      ['announcement', 'announcement:1'],
    ]);
    const byRef = new Map(items.map((i) => [`${i.kind} ${i.ref}`, i]));
    expect(byRef.get('followup customer:C2')).toMatchObject({
      due: '2026-11-23T01:00:00.000Z',
      overdue: true,
      user: 'bob',
    });
    expect(byRef.get('followup lead:1')?.command).toBe('crm followups add --lead 1 --method phone --content …');
    expect(byRef.get('pool-return customer:C1')?.title).toContain('2026-11-25');
    expect(byRef.get('instalment order:SO-1#1')).toMatchObject({
      overdue: true,
      command: 'crm orders pay SO-1 --instalment 1 --amount 200.00 --at …',
    });
    expect(byRef.get('instalment order:SO-1#2')).toMatchObject({ overdue: false, due: '2026-11-24T16:00:00.000Z' });
    expect(byRef.get('task task:1')).toMatchObject({ due: '2026-11-23T09:00:00.000Z', command: 'crm tasks done 1' });
    expect(byRef.get('visit visit:1')).toMatchObject({
      overdue: true,
      command: 'crm visits report 1 --result B --notes …',
    });
    expect(byRef.get('visit visit:1')?.title).toContain('not reported');
    expect(byRef.get('announcement announcement:1')).toMatchObject({ due: null, command: 'crm announcements read 1' });
    // Every due is a UTC ISO string (or null).
    for (const i of items) expect(i.due === null || /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(i.due)).toBe(true);
  });

  it('approvals wait for the manager, not the sales user; --team gathers the team; --for is limited to the team', async () => {
    const carol = await h.as('carol');
    const mine = todoJson(await buildTodo(carol), 'en');
    expect(mine.filter((i) => i.kind === 'approval').map((i) => i.command)).toEqual(['crm orders approve SO-2']);
    expect(mine.filter((i) => i.kind === 'schedule').map((i) => i.ref)).toEqual(['schedule:1']); // a participant
    const team = await buildTodo(carol, { team: true });
    expect(team.users).toEqual(['bob', 'carol', 'dave']);
    expect(new Set(team.items.map((i) => i.user))).toEqual(new Set(['bob', 'carol', 'dave']));
    const forBob = await buildTodo(carol, { for: 'bob' });
    expect(forBob.items.every((i) => i.user === 'bob')).toBe(true);
    expect(await code(buildTodo(carol, { for: 'erin' }))).toBe('E5171');
    expect(await code(buildTodo(await h.as('bob'), { team: true }))).toBe('E5170');
    expect(await code(buildTodo(await h.as('bob'), { for: 'dave' }))).toBe('E5171');
    expect(await code(buildTodo(carol, { for: 'nobody' }))).toBe('E3112');
    expect(todoJson(await buildTodo(await h.as('bob')), 'en').some((i) => i.kind === 'approval')).toBe(false);
  });

  it('acting on an item removes it: a read announcement, a written log', async () => {
    const bob = await h.as('bob');
    await readAnnouncement(bob, 1);
    await addLog(bob, { kind: 'daily', content: '今天的日报' });
    const kinds = (await buildTodo(bob)).items.map((i) => i.kind);
    expect(kinds).not.toContain('announcement');
    expect(kinds).not.toContain('worklog');
  });

  it('a new source is one registration: its items join the list in their group', async () => {
    const unregister = registerTodoSource({
      kind: 'ticket',
      label: m('工单', 'Tickets'),
      async collect(_svc, q) {
        return q.users.map((u) => ({
          kind: 'ticket' as const,
          title: m('工单 T1', 'ticket T1'),
          due: '2026-11-23T03:00:00.000Z',
          ref: 'ticket:T1',
          command: 'crm tickets show T1',
          user: u.name,
          overdue: false,
        }));
      },
    });
    try {
      const list = await buildTodo(await h.as('erin'));
      expect(list.items.map((i) => i.kind)).toContain('ticket');
      expect(list.groups.map((g) => g.kind)).toEqual([...new Set(list.items.map((i) => i.kind))]);
    } finally {
      unregister();
    }
    expect((await buildTodo(await h.as('erin'))).items.map((i) => i.kind)).not.toContain('ticket');
  });

  it('the text shows business-local times whatever the machine zone, with the command under each item', async () => {
    const list = await buildTodo(await h.as('bob'));
    const text = renderTodoText(list, { lang: 'zh', timeZone: 'Asia/Shanghai', now: h.clock.now() });
    expect(text).toContain('bob 的待办（2026-11-23）');
    expect(text).toMatch(/17:00 {2}任务 1：准备续签材料\n {6}→ crm tasks done 1/);
    expect(text).toContain('[逾期]');
  });
});
