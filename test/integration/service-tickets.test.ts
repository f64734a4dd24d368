import { beforeAll, expect, it } from 'vitest';
import { addContact } from '../../src/services/customers/contacts.js';
import { addCustomer } from '../../src/services/customers/customers.js';
import { escalateBreaches } from '../../src/services/service/escalation.js';
import { satisfactionReport, serviceReport } from '../../src/services/service/reports.js';
import { customerServiceSummary } from '../../src/services/service/summary.js';
import { addSurvey, respondSurvey, showSurvey } from '../../src/services/service/surveys.js';
import {
  addTicket,
  assignTicket,
  closeTicket,
  listTickets,
  noteTicket,
  reopenTicket,
  resolveTicket,
  respondTicket,
  revisitTicket,
  showTicket,
} from '../../src/services/service/tickets.js';
import { type DbHarness, describeEachDb } from '../support/db.js';

/** The code of the CrmError `p` rejects with. */
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  throw new Error('expected a refusal');
}

const counts = async (h: DbHarness) => {
  const n = async (table: string) => Number((await h.db()(table).count({ n: '*' }).first())?.n ?? 0);
  return {
    tickets: await n('tickets'),
    events: await n('ticket_events'),
    audit: await n('audit_log'),
    revisits: await n('ticket_revisits'),
  };
};

describeEachDb('customer service: tickets, service levels, escalation, return visits, surveys', (h) => {
  beforeAll(async () => {
    await h.addUser('carol', 'manager');
    await h.addUser('bob', 'sales', 'carol');
    await h.addUser('dave', 'sales', 'carol');
    await h.addUser('erin', 'sales');
    h.clock.set('2026-09-01T10:00:00+08:00');
    const admin = await h.as();
    await addCustomer(admin, { code: 'S1', name: '东城区财政局', owner: 'bob', grade: 'A' });
    await addCustomer(admin, { code: 'S2', name: '西城区财政局', owner: 'erin', grade: 'B' });
    await addCustomer(admin, { code: 'S3', name: '朝阳区财政局', owner: 'bob', grade: 'A' });
  });

  it('the worked example: high complaint Wednesday 2026-09-30 16:00 → respond by 10-08 11:00, resolve by 10-09 14:00', async () => {
    h.clock.set('2026-09-30T16:00:00+08:00');
    const t = await addTicket(await h.as(), {
      customer: 'S1',
      kind: 'complaint',
      priority: 'high',
      title: '划款延迟',
      content: '9 月 29 日的划款未到账',
      channel: 'phone',
    });
    expect(t).toMatchObject({
      number: 'CS20260930-0001',
      status: 'open',
      handler: 'bob',
      receivedAt: '2026-09-30T08:00:00.000Z',
      responseDue: '2026-10-08T03:00:00.000Z',
      resolveDue: '2026-10-09T06:00:00.000Z',
      responseMet: null,
      resolveMet: null,
      escalations: [],
    });
    expect(t.history.map((e) => e.step)).toEqual(['received']);
    const audit = await h.db()('audit_log').where({ action: 'tickets.add', entity_id: t.number });
    expect(audit).toHaveLength(1);
  });

  it('numbers run per day; Chinese kinds and priorities are accepted; --at counts from when it came in', async () => {
    h.clock.set('2026-11-23T10:00:00+08:00');
    const admin = await h.as();
    const a = await addTicket(admin, { customer: 'S1', kind: '故障', priority: '紧急', title: 'a', content: 'x' });
    const b = await addTicket(admin, {
      customer: 'S3',
      kind: '咨询',
      priority: 'low',
      title: 'b',
      content: 'y',
      at: '2026-11-23 08:00',
    });
    expect([a.number, b.number]).toEqual(['CS20261123-0001', 'CS20261123-0002']);
    expect(a).toMatchObject({ kind: 'fault', priority: 'urgent', responseDue: '2026-11-23T03:00:00.000Z' });
    // received before opening: 16 working hours from 08:30 Monday (9 on Monday, 7 on Tuesday) → Tuesday 15:30
    expect(b).toMatchObject({
      kind: 'enquiry',
      receivedAt: '2026-11-23T00:00:00.000Z',
      responseDue: '2026-11-24T07:30:00.000Z',
    });
  });

  it('a number pattern with underscores numbers on (the prefix is compared as text, not LIKE)', async () => {
    h.clock.set('2026-11-20T10:00:00+08:00');
    const admin = await h.as();
    await admin.settings.set('service.numberPattern', 'S_{YYYY}_{MM}{DD}_{SEQ3}', admin.actor, h.clock);
    const a = await addTicket(admin, { customer: 'S1', kind: 'enquiry', priority: 'low', title: 'a', content: 'x' });
    const b = await addTicket(admin, { customer: 'S1', kind: 'enquiry', priority: 'low', title: 'b', content: 'y' });
    expect([a.number, b.number]).toEqual(['S_2026_1120_001', 'S_2026_1120_002']);
    await admin.settings.set('service.numberPattern', 'CS{YYYYMMDD}-{SEQ4}', admin.actor, h.clock);
    // a pattern without the date would repeat numbers across days: refused
    expect(await codeOf(admin.settings.set('service.numberPattern', 'CS-{SEQ4}', admin.actor, h.clock))).toBe('E1211');
  });

  it('bad input is refused with its code, and nothing is half written', async () => {
    h.clock.set('2026-11-23T11:00:00+08:00');
    const admin = await h.as();
    const other = await addContact(admin, 'S2', { name: '李雷' });
    const before = await counts(h);
    const base = { customer: 'S1', kind: 'complaint', priority: 'high', title: 't', content: 'c' };
    expect(await codeOf(addTicket(admin, { ...base, customer: 'NOPE' }))).toBe('E4116');
    expect(await codeOf(addTicket(admin, { ...base, contact: other.id }))).toBe('E4104');
    expect(await codeOf(addTicket(admin, { ...base, order: 'NO-SUCH' }))).toBe('E4105');
    expect(await codeOf(addTicket(admin, { ...base, kind: 'praise' }))).toBe('E4101');
    expect(await codeOf(addTicket(admin, { ...base, priority: 'asap' }))).toBe('E4102');
    expect(await codeOf(addTicket(admin, { ...base, channel: 'fax' }))).toBe('E4103');
    expect(await codeOf(addTicket(admin, { ...base, title: ' ' }))).toBe('E4107');
    expect(await codeOf(addTicket(admin, { ...base, at: '2026-11-23 12:00' }))).toBe('E4106');
    expect(await codeOf(resolveTicket(admin, 'CS20261123-0001', { resolution: 'x' }))).toBe('E4108');
    expect(await codeOf(closeTicket(admin, 'CS20261123-0001'))).toBe('E4108');
    expect(await codeOf(revisitTicket(admin, 'CS20261123-0001', { satisfaction: 5 }))).toBe('E4108');
    expect(await codeOf(revisitTicket(admin, 'CS20261123-0001', { satisfaction: 6 }))).toBe('E4110');
    expect(await codeOf(reopenTicket(admin, 'CS20261123-0001', ' '))).toBe('E4111');
    expect(await codeOf(assignTicket(admin, 'CS20261123-0001', 'nobody'))).toBe('E4113');
    expect(await codeOf(showTicket(admin, 'CS00000000-0000'))).toBe('E4100');
    await respondTicket(admin, 'CS20261123-0001', '已联系');
    const mid = await counts(h);
    expect(await codeOf(resolveTicket(admin, 'CS20261123-0001', { resolution: '  ' }))).toBe('E4109');
    expect(await counts(h)).toEqual(mid);
    expect(mid.tickets).toBe(before.tickets);
    expect(mid.events).toBe(before.events + 1);
  });

  it('a ticket’s life: respond, note, resolve with measures, return visit after 3 working days, close; each step in the history and the audit log', async () => {
    h.clock.set('2026-11-26T09:00:00+08:00'); // Thursday
    const bob = await h.as('bob');
    const t = await addTicket(bob, {
      customer: 'S1',
      kind: 'complaint',
      priority: 'normal',
      title: '对账单错误',
      content: '金额不符',
    });
    h.clock.set('2026-11-26T10:00:00+08:00');
    expect((await respondTicket(bob, t.number, '已受理，核对中')).responseMet).toBe(true);
    await noteTicket(bob, t.number, '银行流水已取');
    h.clock.set('2026-11-27T15:00:00+08:00'); // Friday
    const resolved = await resolveTicket(bob, t.number, { resolution: '重出对账单', measures: '出单前复核' });
    // three working days after Friday: Monday, Tuesday, Wednesday
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolveMet: true,
      revisitDue: '2026-12-02',
      measures: '出单前复核',
    });
    h.clock.set('2026-12-01T10:00:00+08:00');
    expect((await listTickets(bob, { revisitDue: true })).map((r) => r.number)).not.toContain(t.number);
    h.clock.set('2026-12-02T10:00:00+08:00');
    expect((await listTickets(bob, { revisitDue: true })).map((r) => r.number)).toContain(t.number);
    const visited = await revisitTicket(bob, t.number, { satisfaction: 4, comment: '满意' });
    expect(visited).toMatchObject({ status: 'resolved', satisfaction: 4 });
    expect(await codeOf(revisitTicket(bob, t.number, { satisfaction: 5 }))).toBe('E4114');
    expect((await listTickets(bob, { revisitDue: true })).map((r) => r.number)).not.toContain(t.number);
    const closed = await closeTicket(bob, t.number);
    expect(closed.history.map((e) => e.step)).toEqual([
      'received',
      'responded',
      'noted',
      'resolved',
      'revisited',
      'closed',
    ]);
    expect(closed.history.every((e) => e.user === 'bob')).toBe(true);
    const actions = (await h.db()('audit_log').where({ entity: 'ticket', entity_id: t.number }).orderBy('id')).map(
      (r: { action: string }) => r.action,
    );
    expect(actions).toEqual([
      'tickets.add',
      'tickets.respond',
      'tickets.note',
      'tickets.resolve',
      'tickets.revisit',
      'tickets.close',
    ]);
  });

  it('a dissatisfied return visit reopens the ticket and the resolution clock starts again', async () => {
    h.clock.set('2026-12-03T09:00:00+08:00');
    const bob = await h.as('bob');
    const t = await addTicket(bob, {
      customer: 'S3',
      kind: 'fault',
      priority: 'urgent',
      title: '无法登录',
      content: '-',
    });
    await respondTicket(bob, t.number, '远程协助');
    await resolveTicket(bob, t.number, { resolution: '重置密码' });
    h.clock.set('2026-12-04T10:00:00+08:00');
    const r = await revisitTicket(bob, t.number, { satisfaction: 2, comment: '仍然无法登录' });
    expect(r).toMatchObject({ status: 'reopened', resolvedAt: null, satisfaction: 2, revisitDue: null });
    expect(r.resolveDue).toBe('2026-12-04T06:00:00.000Z'); // 4 working hours from 10:00
    expect(r.history.map((e) => e.step).slice(-2)).toEqual(['revisited', 'reopened']);
    const visits = await h
      .db()('ticket_revisits')
      .where({ ticket_id: (await h.db()('tickets').where({ number: t.number }).first()).id });
    expect(
      visits.map((v: { satisfaction: number; reopened: unknown }) => [
        Number(v.satisfaction),
        Boolean(Number(v.reopened)),
      ]),
    ).toEqual([[2, true]]);
    // resolved again, visited again: a new return visit is allowed for the new resolution
    await resolveTicket(bob, t.number, { resolution: '更换证书' });
    expect((await revisitTicket(bob, t.number, { satisfaction: 5 })).status).toBe('resolved');
  });

  it('data scope: the owner, their manager and the handler see a ticket; others are refused', async () => {
    h.clock.set('2026-12-07T09:00:00+08:00');
    const t = await addTicket(await h.as(), {
      customer: 'S1',
      kind: 'request',
      priority: 'low',
      title: '开通账户',
      content: '-',
    });
    expect(await codeOf(showTicket(await h.as('erin'), t.number))).toBe('E4112');
    expect(await codeOf(respondTicket(await h.as('erin'), t.number, 'x'))).toBe('E4112');
    expect((await showTicket(await h.as('carol'), t.number)).number).toBe(t.number);
    expect(await codeOf(showTicket(await h.as('dave'), t.number))).toBe('E4112');
    await assignTicket(await h.as('carol'), t.number, 'dave');
    const dave = await h.as('dave');
    expect((await respondTicket(dave, t.number, '已安排')).handler).toBe('dave');
    expect((await listTickets(dave)).map((r) => r.number)).toEqual([t.number]);
    expect((await listTickets(await h.as('erin'))).map((r) => r.number)).toEqual([]);
  });

  it('escalation: each breach once, to the handler’s manager, in the history and show --json; a reopened ticket can breach again', async () => {
    h.clock.set('2026-12-08T09:00:00+08:00'); // Tuesday
    const admin = await h.as();
    const t = await addTicket(admin, {
      customer: 'S1',
      kind: 'complaint',
      priority: 'urgent',
      title: '服务态度',
      content: '-',
    });
    // response due 10:00, resolve due 13:00
    h.clock.set('2026-12-08T10:30:00+08:00');
    const first = await escalateBreaches(admin, { asOf: h.clock.now() });
    expect(first.escalated.filter((e) => e.number === t.number)).toEqual([
      { number: t.number, kind: 'response', dueAt: '2026-12-08T02:00:00.000Z', to: 'carol' },
    ]);
    const again = await escalateBreaches(admin, { asOf: h.clock.now() });
    expect(again.escalated.filter((e) => e.number === t.number)).toEqual([]);
    h.clock.set('2026-12-08T13:30:00+08:00');
    await respondTicket(await h.as('bob'), t.number, '致歉');
    const third = await escalateBreaches(admin, { asOf: h.clock.now() });
    expect(third.escalated.filter((e) => e.number === t.number).map((e) => e.kind)).toEqual(['resolve']);
    const shown = await showTicket(admin, t.number);
    expect(shown.escalations).toEqual([
      { at: '2026-12-08T02:30:00.000Z', to: 'carol', kind: 'response', dueAt: '2026-12-08T02:00:00.000Z' },
      { at: '2026-12-08T05:30:00.000Z', to: 'carol', kind: 'resolve', dueAt: '2026-12-08T05:00:00.000Z' },
    ]);
    expect(shown).toMatchObject({ responseMet: false, resolveMet: false });
    expect(shown.history.filter((e) => e.step === 'escalated')).toHaveLength(2);
    expect(await h.db()('audit_log').where({ action: 'tickets.escalate', entity_id: t.number })).toHaveLength(2);
    await resolveTicket(await h.as('bob'), t.number, { resolution: '已道歉并回访' });
    h.clock.set('2026-12-09T09:00:00+08:00');
    await reopenTicket(admin, t.number, '客户再次投诉');
    h.clock.set('2026-12-09T13:00:00+08:00');
    expect(
      (await escalateBreaches(admin, { asOf: h.clock.now() })).escalated.filter((e) => e.number === t.number),
    ).toEqual([{ number: t.number, kind: 'resolve', dueAt: '2026-12-09T05:00:00.000Z', to: 'carol' }]);
    expect(await codeOf(escalateBreaches(admin, { asOf: new Date('2026-12-10T00:00:00Z') }))).toBe('E4115');
    expect(await codeOf(escalateBreaches(await h.as('bob'), { asOf: h.clock.now() }))).toBe('E4001');
    expect((await listTickets(admin, { breached: true })).map((r) => r.number)).toContain(t.number);
  });

  it('surveys: invite a segment, one answer per customer (or --replace, audited), rate, average, distribution, by grade', async () => {
    h.clock.set('2026-12-10T10:00:00+08:00');
    const admin = await h.as();
    const s = await addSurvey(admin, { name: '2026 年度满意度', grade: 'A' });
    expect(s).toMatchObject({ invited: 2, responded: 0, responseRate: '0.00', average: null });
    const all = await addSurvey(admin, { name: '全体' });
    expect(all.invited).toBe(3);
    expect(await codeOf(addSurvey(admin, { name: 'none', region: '火星' }))).toBe('E4123');
    await respondSurvey(admin, s.id, { customer: 'S1', score: 5 });
    expect(await codeOf(respondSurvey(admin, s.id, { customer: 'S1', score: 4 }))).toBe('E4121');
    expect(await codeOf(respondSurvey(admin, s.id, { customer: 'S2', score: 4 }))).toBe('E4122');
    expect(await codeOf(respondSurvey(admin, s.id, { customer: 'S3', score: 0 }))).toBe('E4110');
    expect(await codeOf(showSurvey(admin, 999))).toBe('E4120');
    expect(await codeOf(respondSurvey(await h.as('erin'), s.id, { customer: 'S1', score: 4 }))).toBe('E4112');
    await respondSurvey(admin, s.id, { customer: 'S1', score: 4, comment: '更正', replace: true });
    const replaced = await h.db()('audit_log').where({ action: 'surveys.replace' });
    expect(replaced.map((r: { before_json: string }) => JSON.parse(r.before_json).score)).toEqual([5]);
    await respondSurvey(admin, all.id, { customer: 'S1', score: 5 });
    await respondSurvey(admin, all.id, { customer: 'S2', score: 2 });
    expect(await showSurvey(admin, all.id)).toMatchObject({
      invited: 3,
      responded: 2,
      responseRate: '66.67',
      average: '3.50',
      distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 },
      byGrade: [
        { grade: 'A', invited: 2, responded: 1, average: '5.00' },
        { grade: 'B', invited: 1, responded: 1, average: '2.00' },
      ],
    });
  });

  it('a customer’s complaints and satisfaction, for customers show', async () => {
    const s1 = await h.db()('customers').where({ code: 'S1' }).first('id');
    const sum = await customerServiceSummary(await h.as(), Number(s1.id));
    expect(sum).toMatchObject({ complaints: 3, revisits: 1, satisfaction: '4.00', lastSurveyScore: 5 });
  });
  it('reports: service per kind and priority and per handler, within data scope; the satisfaction trend', async () => {
    h.clock.set('2026-12-10T12:00:00+08:00');
    const admin = await h.as();
    const dec = await serviceReport(admin, { from: '2026-12-01', to: '2026-12-31' });
    const row = (kind: string, priority: string) => dec.rows.find((r) => r.kind === kind && r.priority === priority);
    // 12-03 fault: resolved in December (after a reopen), visited 2 then 5; the November fault is still open
    expect(row('fault', 'urgent')).toMatchObject({ received: 1, resolved: 1, open: 1, satisfaction: '3.50' });
    // 12-08 complaint: reopened, late for both due times
    expect(row('complaint', 'urgent')).toMatchObject({
      received: 1,
      resolved: 0,
      open: 1,
      breached: 1,
      responseMet: '0.00',
    });
    // resolved in November, its return visit (4) in December
    expect(row('complaint', 'normal')).toMatchObject({ received: 0, resolved: 0, satisfaction: '4.00' });
    const byHandler = await serviceReport(admin, { from: '2026-12-01', to: '2026-12-31', by: 'handler' });
    expect(byHandler.rows.find((r) => r.handler === 'dave')).toMatchObject({ received: 1, open: 1 });
    expect((await serviceReport(await h.as('erin'), { from: '2026-12-01', to: '2026-12-31' })).rows).toEqual([]);
    expect(await codeOf(serviceReport(admin, { by: 'weather' }))).toBe('E4124');
    const trend = await satisfactionReport(admin, { months: 3 });
    expect(trend.rows).toEqual([
      { month: '2026-10', revisits: 0, revisitAverage: null, surveyResponses: 0, surveyAverage: null, complaints: 0 },
      { month: '2026-11', revisits: 0, revisitAverage: null, surveyResponses: 0, surveyAverage: null, complaints: 1 },
      {
        month: '2026-12',
        revisits: 3,
        revisitAverage: '3.67',
        surveyResponses: 3,
        surveyAverage: '3.67',
        complaints: 1,
      },
    ]);
  });
});
