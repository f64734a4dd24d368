import fs from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { beforeAll, expect, it } from 'vitest';
import { CrmError } from '../../src/domain/errors.js';
import { listAudit } from '../../src/services/audit.js';
import {
  addSchedule,
  calendarText,
  cancelSchedule,
  editSchedule,
  exportCalendar,
  listSchedule,
  showSchedule,
} from '../../src/services/office/schedules.js';
import {
  addTask,
  completeTask,
  deleteTask,
  editTask,
  listTasks,
  reopenTask,
  showTask,
} from '../../src/services/office/tasks.js';
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
      created_at: '2026-10-01T00:00:00.000Z',
      updated_at: '2026-10-01T00:00:00.000Z',
    });
}

/** The events of an .ics text as parsed by ical.js: summary, start and end as UTC ISO (dates for all-day). */
function parseIcs(text: string) {
  const comp = new ICAL.Component(ICAL.parse(text));
  return comp.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    const iso = (t: ICAL.Time) => (t.isDate ? t.toString() : t.toJSDate().toISOString());
    const alarm = v.getFirstSubcomponent('valarm');
    return {
      uid: e.uid,
      summary: e.summary,
      location: e.location,
      start: iso(e.startDate),
      end: iso(e.endDate),
      allDay: e.startDate.isDate,
      trigger: alarm ? String(alarm.getFirstPropertyValue('trigger')) : null,
    };
  });
}

describeEachDb('office: tasks and schedules', (h) => {
  beforeAll(async () => {
    await h.addUser('carol', 'manager');
    await h.addUser('bob', 'sales', 'carol');
    await h.addUser('dave', 'sales', 'carol');
    await h.addUser('erin', 'sales');
    await customer(h, 'C-BOB', 'bob');
    await customer(h, 'C-ERIN', 'erin');
  });

  it('tasks: defaults to me, due in the business zone, cc, audited; refusals name the reason', async () => {
    const bob = await h.as('bob');
    const t = await addTask(bob, { title: '准备续签材料', due: '2026-11-24 17:30', customer: 'C-BOB', cc: ['carol'] });
    expect(t).toMatchObject({
      assignee: 'bob',
      creator: 'bob',
      due: '2026-11-24T09:30:00.000Z',
      priority: 'normal',
      cc: ['carol'],
    });
    expect((await addTask(bob, { title: 'x', due: '2026-11-24' })).due).toBe('2026-11-24T10:00:00.000Z'); // 18:00
    expect(await code(addTask(bob, { title: 'x', assignee: 'dave' }))).toBe('E5103');
    expect(await code(addTask(bob, { title: 'x', customer: 'C-ERIN' }))).toBe('E5104');
    expect(await code(addTask(bob, { title: 'x', customer: 'NOPE' }))).toBe('E5105');
    expect(await code(addTask(bob, { title: 'x', due: '明天' }))).toBe('E5101');
    expect(await code(addTask(bob, { title: 'x', priority: 'urgent' }))).toBe('E5112');
    expect(await code(addTask(bob, { title: '  ' }))).toBe('E5114');
    expect(await code(addTask(bob, { title: 'x', assignee: 'ghost' }))).toBe('E3112');
    const carol = await h.as('carol');
    const forDave = await addTask(carol, { title: '给李处长打电话', assignee: 'dave', priority: 'high' });
    expect(forDave).toMatchObject({ assignee: 'dave', creator: 'carol', priority: 'high' });
    expect(await code(addTask(carol, { title: 'x', assignee: 'erin' }))).toBe('E5103');
    const rows = await listAudit(await h.as(), { entity: 'task', entityId: String(t.id) });
    expect(rows.map((r) => r.action)).toEqual(['tasks.add']);
  });

  it('tasks: list filters, visibility, done/reopen/edit/delete by the right people', async () => {
    const bob = await h.as('bob');
    const carol = await h.as('carol');
    const dave = await h.as('dave');
    const erin = await h.as('erin');
    expect((await listTasks(bob, { mine: true })).map((t) => t.title)).toEqual(['准备续签材料', 'x']);
    expect((await listTasks(carol, { cc: true })).map((t) => t.title)).toEqual(['准备续签材料']);
    expect((await listTasks(carol, { created: true })).map((t) => t.assignee)).toEqual(['dave']);
    expect((await listTasks(carol)).length).toBe(3); // the team's
    expect(await listTasks(erin)).toEqual([]);
    expect(await code(showTask(erin, 1))).toBe('E5111');
    expect(await code(showTask(bob, 999))).toBe('E5110');
    expect((await showTask(carol, 1)).title).toBe('准备续签材料'); // cc'd and the manager
    expect(await code(completeTask(dave, 1))).toBe('E5111');
    h.clock.set('2026-11-25T10:00:00+08:00');
    expect((await listTasks(bob, { overdue: true })).map((t) => t.id)).toEqual([1, 2]);
    const done = await completeTask(bob, 1);
    expect(done).toMatchObject({ status: 'done', doneAt: '2026-11-25T02:00:00.000Z' });
    expect(await code(completeTask(bob, 1))).toBe('E5113');
    expect((await listTasks(bob, { mine: true })).map((t) => t.id)).toEqual([2]);
    expect((await listTasks(bob, { mine: true, all: true })).map((t) => t.id)).toEqual([1, 2]);
    expect((await reopenTask(carol, 1)).status).toBe('open');
    const edited = await editTask(bob, 1, { due: '2026-11-26 09:00', addCc: ['dave'] });
    expect(edited).toMatchObject({ due: '2026-11-26T01:00:00.000Z', cc: ['carol', 'dave'] });
    expect(await code(editTask(bob, 1, { assignee: 'erin' }))).toBe('E5103');
    expect(await code(editTask(bob, 1, { order: 'NO-SUCH' }))).toBe('E5105');
    expect(await code(editTask(bob, 1, { opportunity: 999 }))).toBe('E5105');
    expect((await deleteTask(bob, 2)).id).toBe(2);
    expect(await code(showTask(bob, 2))).toBe('E5110');
    const actions = (await listAudit(await h.as(), { entity: 'task', entityId: '1' })).map((r) => r.action);
    expect(actions.sort()).toEqual(['tasks.add', 'tasks.done', 'tasks.edit', 'tasks.reopen'].sort());
    h.clock.set('2026-11-23T10:00:00+08:00');
  });

  it('schedules: business-zone times, end after start, participants see shared entries, day and week views', async () => {
    const bob = await h.as('bob');
    const s = await addSchedule(bob, {
      title: '拜访东城区财政局',
      start: '2026-11-24 14:30',
      end: '2026-11-24 16:00',
      place: '东城区',
      customer: 'C-BOB',
      participants: ['carol'],
      remind: '15',
    });
    expect(s).toMatchObject({
      start: '2026-11-24T06:30:00.000Z',
      end: '2026-11-24T08:00:00.000Z',
      participants: ['carol'],
      remindMinutes: 15,
    });
    const allDay = await addSchedule(bob, { title: '年终总结', start: '2026-11-26', end: '2026-11-27', allDay: true });
    expect(allDay).toMatchObject({ start: '2026-11-25T16:00:00.000Z', end: '2026-11-27T16:00:00.000Z', allDay: true });
    expect(await code(addSchedule(bob, { title: 'x', start: '2026-11-24 14:00', end: '2026-11-24 13:00' }))).toBe(
      'E5102',
    );
    expect(await code(addSchedule(bob, { title: 'x', start: '2026-11-24 25:00' }))).toBe('E5101');
    expect(await code(addSchedule(bob, { title: 'x', start: '2026-11-24 09:00', remind: 'soon' }))).toBe('E5123');
    expect(await code(addSchedule(bob, { title: 'x', start: '2026-11-24 09:00', customer: 'C-ERIN' }))).toBe('E5104');
    const carolDay = await listSchedule(await h.as('carol'), { day: '2026-11-24' });
    expect(carolDay.entries.map((e) => e.title)).toEqual(['拜访东城区财政局']);
    const week = await listSchedule(bob, { week: '2026-11-25' });
    expect([week.from, week.to]).toEqual(['2026-11-23', '2026-11-29']);
    expect(week.entries.map((e) => e.id)).toEqual([s.id, allDay.id]);
    expect(await code(showSchedule(await h.as('erin'), s.id))).toBe('E5120');
    expect(await code(editSchedule(await h.as('carol'), s.id, { place: 'x' }))).toBe('no error'); // bob's manager
    expect(await code(editSchedule(await h.as('dave'), s.id, { place: 'x' }))).toBe('E5120');
    const moved = await editSchedule(bob, s.id, {
      start: '2026-11-24 15:00',
      end: '2026-11-24 16:30',
      place: '东城区财政局',
    });
    expect(moved).toMatchObject({ start: '2026-11-24T07:00:00.000Z', end: '2026-11-24T08:30:00.000Z' });
    const cancelled = await addSchedule(bob, { title: '取消的会', start: '2026-11-24 09:00' });
    expect((await cancelSchedule(bob, cancelled.id)).status).toBe('cancelled');
    expect(await code(cancelSchedule(bob, cancelled.id))).toBe('E5122');
    expect((await listSchedule(bob, { day: '2026-11-24' })).entries.map((e) => e.title)).toEqual(['拜访东城区财政局']);
  });

  it('iCalendar: parsed back, timed entries in UTC, all-day as dates, alarm, stable UID', async () => {
    const bob = await h.as('bob');
    const { text, count } = await exportCalendar(bob, { from: '2026-11-23', to: '2026-11-30' });
    expect(count).toBe(2);
    const events = parseIcs(text);
    expect(events).toEqual([
      {
        uid: expect.stringMatching(/^schedule-\d+@crm$/),
        summary: '拜访东城区财政局',
        location: '东城区财政局',
        start: '2026-11-24T07:00:00.000Z',
        end: '2026-11-24T08:30:00.000Z',
        allDay: false,
        trigger: '-PT15M',
      },
      {
        uid: expect.stringMatching(/^schedule-\d+@crm$/),
        summary: '年终总结',
        location: null,
        start: '2026-11-26',
        end: '2026-11-28',
        allDay: true,
        trigger: null,
      },
    ]);
    expect(text).toContain('DTSTART:20261124T070000Z');
    expect(text).toContain('DTSTART;VALUE=DATE:20261126');
  });

  it('iCalendar: the same file whatever TZ the machine has (CLI in New York, Shanghai and UTC)', () => {
    const home = testTempDir('crm-ics-');
    const outs = ['America/New_York', 'Asia/Shanghai', 'UTC'].map((tz) => {
      const file = path.join(home, `${tz.replace('/', '-')}.ics`);
      const r = runCli(
        ['--user', 'bob', 'schedule', 'export', '--from', '2026-11-23', '--to', '2026-11-30', '--out', file],
        isolatedEnv(home, { CRM_DATABASE_URL: h.url(), TZ: tz }),
      );
      expect(r.code, r.stderr).toBe(0);
      return fs.readFileSync(file, 'utf8');
    });
    expect(outs[1]).toBe(outs[0]);
    expect(outs[2]).toBe(outs[0]);
    expect(parseIcs(outs[0]!).map((e) => e.start)).toEqual(['2026-11-24T07:00:00.000Z', '2026-11-26']);
  });

  it('calendarText escapes what iCalendar needs escaped', () => {
    const text = calendarText(
      [
        {
          id: 9,
          title: '会议; 议题, 其他',
          start: '2026-11-24T01:00:00.000Z',
          end: '2026-11-24T02:00:00.000Z',
          allDay: false,
          place: null,
          customerCode: null,
          remindMinutes: null,
          owner: 'bob',
          participants: [],
          status: 'active',
          note: '第一行\n第二行',
          createdAt: '',
          updatedAt: '',
        },
      ],
      { name: 'x', tz: 'Asia/Shanghai', now: new Date('2026-11-23T00:00:00Z') },
    );
    expect(parseIcs(text)[0]?.summary).toBe('会议; 议题, 其他');
  });
});
