import { beforeAll, describe, expect, it } from 'vitest';
import {
  addContact,
  deleteContact,
  editContact,
  listContacts,
  setPrimaryContact,
} from '../../src/services/customers/contacts.js';
import { addCustomer, editCustomer, showCustomer } from '../../src/services/customers/customers.js';
import { addFollowup, listFollowups } from '../../src/services/customers/followups.js';
import { gradeCustomers, paretoGrades } from '../../src/services/customers/grade.js';
import { addLead, convertLead, disqualifyLead, listLeads, showLead } from '../../src/services/customers/leads.js';
import { mergeCustomers } from '../../src/services/customers/merge.js';
import { applyPoolRules } from '../../src/services/customers/pool.js';
import { type DbHarness, describeEachDb } from '../support/db.js';

describe('paretoGrades', () => {
  const t = { A: 50, B: 80, C: 95, D: 99 };
  it('gives A to the customer that crosses the A line, E to customers without sales', () => {
    expect(paretoGrades([60, 20, 10, 5, 4, 1, 0], t)).toEqual(['A', 'B', 'C', 'C', 'D', 'E', 'E']);
    expect(paretoGrades([40, 40, 20], t)).toEqual(['A', 'A', 'C']);
    expect(paretoGrades([0, 0], t)).toEqual(['E', 'E']);
  });
});

async function addOrder(h: DbHarness, code: string, totalFen: number, status: string, signedAt: string) {
  const c = await h.db()('customers').where({ code }).first('id', 'owner_id');
  const admin = await h.db()('users').where({ name: 'admin' }).first('id');
  const n = await h.db()('orders').count({ n: '*' }).first();
  await h
    .db()('orders')
    .insert({
      number: `T-${Number(n?.n ?? 0) + 1}`,
      customer_id: c.id,
      owner_id: c.owner_id ?? admin.id,
      status,
      total_fen: totalFen,
      signed_at: signedAt,
      created_at: '2026-11-01T00:00:00.000Z',
      updated_at: '2026-11-01T00:00:00.000Z',
    });
}

const auditOf = (h: DbHarness, action: string) => h.db()('audit_log').where({ action }).orderBy('id');

describeEachDb('customers: contacts, leads, follow-ups, merge, grade', (h) => {
  beforeAll(async () => {
    await h.addUser('carol', 'manager');
    await h.addUser('bob', 'sales', 'carol');
    await h.addUser('dave', 'sales', 'carol');
    await h.addUser('erin', 'sales');
  });

  it('contacts: the first is primary, one primary per customer, delete promotes the oldest, scope enforced', async () => {
    h.clock.set('2026-11-23T10:00:00+08:00');
    const admin = await h.as();
    await addCustomer(admin, { code: 'K1', name: '东城区财政局', owner: 'bob' });
    const bob = await h.as('bob');
    const a = await addContact(bob, 'K1', { name: '王芳', mobile: '13800138000' });
    expect(a).toMatchObject({ customerCode: 'K1', name: '王芳', primary: true });
    const b = await addContact(bob, 'K1', { name: '李四', title: '科长', primary: true });
    const c = await addContact(bob, 'K1', { name: '赵六' });
    let list = await listContacts(bob, { customer: 'K1' });
    expect(list.map((k) => [k.name, k.primary])).toEqual([
      ['李四', true],
      ['王芳', false],
      ['赵六', false],
    ]);
    await setPrimaryContact(bob, c.id);
    list = await listContacts(bob, { customer: 'K1' });
    expect(list.filter((k) => k.primary).map((k) => k.name)).toEqual(['赵六']);
    const edited = await editContact(bob, b.id, { email: 'li@example.cn', title: '' });
    expect(edited).toMatchObject({ email: 'li@example.cn', title: null, primary: false });
    const del = await deleteContact(bob, c.id);
    expect(del.newPrimary?.id).toBe(a.id);
    await expect(addContact(bob, 'K1', { name: 'x', email: 'not-an-email' })).rejects.toMatchObject({
      code: 'E3151',
    });
    await expect(editContact(bob, 9999, { name: 'x' })).rejects.toMatchObject({ code: 'E3150' });
    const erin = await h.as('erin');
    await expect(addContact(erin, 'K1', { name: 'x' })).rejects.toMatchObject({ code: 'E3111' });
    await expect(deleteContact(erin, a.id)).rejects.toMatchObject({ code: 'E3111' });
    expect(await listContacts(erin, {})).toEqual([]);
    expect((await listContacts(await h.as('carol'), {})).map((k) => k.name).sort()).toEqual(['李四', '王芳']);
    expect((await auditOf(h, 'contacts.add')).length).toBe(3);
    expect((await auditOf(h, 'contacts.delete')).length).toBe(1);
  });

  it('follow-ups: customer or lead, method checked, last follow-up moves forward only, resets the pool clock', async () => {
    h.clock.set('2026-11-23T10:00:00+08:00');
    const admin = await h.as();
    await addCustomer(admin, { code: 'F1', name: '跟进测试单位', owner: 'dave' });
    const dave = await h.as('dave');
    const f = await addFollowup(dave, {
      customer: 'F1',
      method: '拜访',
      content: '上门演示',
      at: '2026-11-20 14:30',
      next: '2026-11-27',
    });
    expect(f).toMatchObject({
      customerCode: 'F1',
      method: 'visit',
      user: 'dave',
      at: '2026-11-20T06:30:00.000Z',
      nextAt: '2026-11-27T01:00:00.000Z',
    });
    let row = await h.db()('customers').where({ code: 'F1' }).first();
    expect(row.last_followup_at).toBe('2026-11-20T06:30:00.000Z');
    // An older follow-up entered later does not move it back.
    await addFollowup(dave, { customer: 'F1', method: 'phone', content: '电话', at: '2026-11-10 09:00' });
    row = await h.db()('customers').where({ code: 'F1' }).first();
    expect(row.last_followup_at).toBe('2026-11-20T06:30:00.000Z');
    await addFollowup(dave, { customer: 'F1', method: 'sms', content: '短信提醒' });
    row = await h.db()('customers').where({ code: 'F1' }).first();
    expect(row.last_followup_at).toBe('2026-11-23T02:00:00.000Z');

    await expect(addFollowup(dave, { customer: 'F1', method: 'fax', content: 'x' })).rejects.toMatchObject({
      code: 'E3157',
    });
    await expect(addFollowup(dave, { method: 'phone', content: 'x' })).rejects.toMatchObject({ code: 'E3158' });
    await expect(addFollowup(dave, { customer: 'F1', lead: 1, method: 'phone', content: 'x' })).rejects.toMatchObject({
      code: 'E3158',
    });
    await expect(addFollowup(dave, { customer: 'F1', method: 'phone', content: '  ' })).rejects.toMatchObject({
      code: 'E3158',
    });
    await expect(
      addFollowup(dave, { customer: 'F1', method: 'phone', content: 'x', at: '2026-11-30 10:00' }),
    ).rejects.toMatchObject({ code: 'E3159' });
    await expect(
      addFollowup(dave, { customer: 'F1', method: 'phone', content: 'x', at: '2026-11-20', next: '2026-11-19' }),
    ).rejects.toMatchObject({ code: 'E3159' });
    await expect(
      addFollowup(await h.as('bob'), { customer: 'F1', method: 'phone', content: 'x' }),
    ).rejects.toMatchObject({ code: 'E3111' });

    const mine = await listFollowups(dave, { customer: 'F1' });
    expect(mine.map((x) => x.method)).toEqual(['sms', 'visit', 'phone']);
    expect((await listFollowups(await h.as('erin'), {})).length).toBe(0);
    // Due: the visit asked for a follow-up on the 27th, but the sms came later, so nothing is due.
    h.clock.set('2026-11-28T10:00:00+08:00');
    expect(await listFollowups(dave, { due: true })).toEqual([]);

    // The pool rule counts from the last follow-up: 30 days after 2026-11-23 is 2026-12-23.
    h.clock.set('2026-12-22T10:00:00+08:00');
    expect((await applyPoolRules(admin, { dryRun: true })).returned.map((r) => r.code)).not.toContain('F1');
    h.clock.set('2026-12-23T10:00:00+08:00');
    expect((await applyPoolRules(admin, { dryRun: true })).returned.map((r) => r.code)).toContain('F1');
    expect((await auditOf(h, 'followups.add')).length).toBe(3);
  });

  it('leads: add, scope, follow-up marks working, disqualify, convert with duplicate check, contact and opportunity', async () => {
    h.clock.set('2026-11-23T10:00:00+08:00');
    const admin = await h.as();
    await addCustomer(admin, {
      code: 'D1',
      name: '朝阳区 教育委员会',
      phone: '010-8555 0001',
      email: 'Edu@chaoyang.gov.cn',
      owner: 'bob',
    });
    const bob = await h.as('bob');
    const l1 = await addLead(bob, { name: '朝阳区教育委员会', contactName: '李明', source: '展会' });
    expect(l1).toMatchObject({ status: 'new', owner: 'bob', source: '展会' });
    const l2 = await addLead(bob, { name: '通州区卫健委', phone: '+86 010 85550001' });
    const l3 = await addLead(bob, { name: '海淀区科委', email: 'EDU@chaoyang.gov.cn' });
    const l4 = await addLead(bob, { name: '丰台区文旅局', contactName: '周七', phone: '010-83330000' });
    const l5 = await addLead(bob, { name: '无效线索' });

    expect((await listLeads(await h.as('erin'), {})).length).toBe(0);
    await expect(showLead(await h.as('erin'), l1.id)).rejects.toMatchObject({ code: 'E3164' });
    expect((await listLeads(await h.as('carol'), { status: 'new' })).length).toBe(5);
    await expect(addLead(bob, { name: 'x', owner: 'erin' })).rejects.toMatchObject({ code: 'E3165' });
    await expect(listLeads(bob, { status: 'bogus' })).rejects.toMatchObject({ code: 'E3153' });

    await addFollowup(bob, { lead: l4.id, method: 'visit', content: '初次拜访', at: '2026-11-21 15:00' });
    expect((await showLead(bob, l4.id)).status).toBe('working');

    // Duplicates: same code, same normalised name, same phone digits, same email (case-insensitive).
    await expect(convertLead(bob, l4.id, { code: 'D1' })).rejects.toMatchObject({ code: 'E3155' });
    await expect(convertLead(bob, l1.id, { code: 'N1' })).rejects.toMatchObject({
      code: 'E3155',
      message: expect.stringContaining('D1'),
    });
    await expect(convertLead(bob, l2.id, { code: 'N2' })).rejects.toMatchObject({ code: 'E3155' });
    await expect(convertLead(bob, l3.id, { code: 'N3' })).rejects.toMatchObject({ code: 'E3155' });
    await expect(convertLead(bob, l3.id, {})).rejects.toMatchObject({ code: 'E3156' });
    await expect(convertLead(bob, l3.id, { code: 'N3', link: 'D1' })).rejects.toMatchObject({ code: 'E3156' });
    const none = await h.db()('customers').whereIn('code', ['N1', 'N2', 'N3']).count({ n: '*' }).first();
    expect(Number(none?.n)).toBe(0);

    // --link attaches to the existing customer, with a contact from the lead.
    const linked = await convertLead(bob, l1.id, { link: 'D1' });
    expect(linked).toMatchObject({ created: false, opportunityId: null });
    expect(linked.customer.code).toBe('D1');
    expect(linked.lead).toMatchObject({ status: 'converted', customerCode: 'D1' });
    await expect(convertLead(bob, l1.id, { link: 'D1' })).rejects.toMatchObject({ code: 'E3154' });

    // A new customer with a contact and a Prospecting opportunity; the lead's follow-up moves along.
    const r = await convertLead(bob, l4.id, {
      code: 'N4',
      opportunity: { name: '2027 年度服务', amountFen: 12_000_000, closeDate: '2027-03-31' },
    });
    expect(r).toMatchObject({ created: true, followupsMoved: 1 });
    expect(r.customer).toMatchObject({
      code: 'N4',
      name: '丰台区文旅局',
      owner: 'bob',
      phone: '010-83330000',
      lastFollowupAt: '2026-11-21T07:00:00.000Z',
    });
    const show = await showCustomer(bob, 'N4');
    expect(show.contacts).toEqual([expect.objectContaining({ name: '周七', phone: '010-83330000', primary: true })]);
    expect(show.followups.map((f) => f.content)).toEqual(['初次拜访']);
    const opp = await h.db()('opportunities').where({ id: r.opportunityId }).first();
    expect(opp).toMatchObject({ name: '2027 年度服务', stage: 'Prospecting', probability: 10, status: 'open' });
    expect(Number(opp.amount_fen)).toBe(12_000_000);
    expect(await h.db()('opportunity_stage_history').where({ opportunity_id: r.opportunityId })).toHaveLength(1);
    const hist = await h.db()('ownership_history').where({ customer_id: r.customer.id });
    expect(hist.map((x) => x.action)).toEqual(['create']);

    await expect(disqualifyLead(bob, l5.id, ' ')).rejects.toMatchObject({ code: 'E3153' });
    const dq = await disqualifyLead(bob, l5.id, '重复登记');
    expect(dq).toMatchObject({ status: 'disqualified', disqualifyReason: '重复登记' });
    await expect(convertLead(bob, l5.id, { code: 'N5' })).rejects.toMatchObject({ code: 'E3154' });
    expect((await auditOf(h, 'leads.convert')).map((a) => a.entity_id)).toEqual([String(l1.id), String(l4.id)]);
  });

  it('merge: moves contacts, follow-ups, leads, opportunities, orders, transactions and children; SRC deleted; both audited', async () => {
    h.clock.set('2026-11-23T10:00:00+08:00');
    const admin = await h.as();
    await addCustomer(admin, { code: 'M-DST', name: '合并目标', owner: 'bob' });
    await addCustomer(admin, {
      code: 'M-SRC',
      name: '合并来源',
      owner: 'bob',
      phone: '010-12345678',
      region: '东城',
    });
    await addCustomer(admin, { code: 'M-KID', name: '下级', parent: 'M-SRC', owner: 'bob' });
    const bob = await h.as('bob');
    await addContact(bob, 'M-DST', { name: '目标主联系人' });
    await addContact(bob, 'M-SRC', { name: '来源主联系人' });
    await addFollowup(bob, { customer: 'M-SRC', method: 'phone', content: 'x' });
    const lead = await addLead(bob, { name: '合并线索' });
    await convertLead(bob, lead.id, { link: 'M-SRC', contact: false });
    await addOrder(h, 'M-SRC', 50_000, 'approved', '2026-11-02');
    const src = await h.db()('customers').where({ code: 'M-SRC' }).first();
    await h.db()('settlement_transactions').insert({
      ref: 'MERGE-T1',
      kind: 'payment',
      amount_fen: 100,
      customer_id: src.id,
      unit_code: 'M-SRC',
      unit_name: '合并来源',
      account_class: '其他',
      occurred_at: '2026-11-23T01:00:00.000Z',
      business_date: '2026-11-23',
      source: 'feed',
      content_hash: 'x',
      created_at: '2026-11-23T01:00:00.000Z',
    });

    await expect(mergeCustomers(bob, 'M-SRC', 'M-DST')).rejects.toMatchObject({ code: 'E4001' });
    await expect(mergeCustomers(admin, 'M-SRC', 'M-SRC')).rejects.toMatchObject({ code: 'E3160' });
    await expect(mergeCustomers(admin, 'M-SRC', 'M-KID')).rejects.toMatchObject({ code: 'E3161' });
    await addCustomer(admin, { code: 'M-ERIN', name: '别组客户', owner: 'erin' });
    await expect(mergeCustomers(await h.as('carol'), 'M-ERIN', 'M-DST')).rejects.toMatchObject({ code: 'E3111' });

    const r = await mergeCustomers(await h.as('carol'), 'M-SRC', 'M-DST');
    expect(r.moved).toEqual({
      contacts: 1,
      followups: 1,
      leads: 1,
      opportunities: 0,
      orders: 1,
      transactions: 1,
      children: 1,
    });
    expect(r.filled.sort()).toEqual(['phone', 'region']);
    expect(r.customer).toMatchObject({ code: 'M-DST', phone: '010-12345678', region: '东城' });
    const dst = await showCustomer(admin, 'M-DST');
    expect(dst.contacts.map((k) => [k.name, k.primary])).toEqual([
      ['目标主联系人', true],
      ['来源主联系人', false],
    ]);
    expect(dst.orders.count).toBe(1);
    expect(dst.lastFollowupAt).toBe('2026-11-23T02:00:00.000Z');
    const kid = await showCustomer(admin, 'M-KID');
    expect(kid.parentCode).toBe('M-DST');
    const after = await h.db()('customers').where({ code: 'M-SRC' }).first();
    expect(after.status).toBe('deleted');
    await expect(showCustomer(admin, 'M-SRC')).rejects.toMatchObject({ code: 'E3110' });
    const audits = await auditOf(h, 'customers.merge');
    expect(audits.map((a) => a.entity_id)).toEqual(['M-SRC', 'M-DST']);
    expect(JSON.parse(audits[0].after_json)).toMatchObject({ mergedInto: 'M-DST', status: 'deleted' });
    const txn = await h.db()('settlement_transactions').where({ ref: 'MERGE-T1' }).first();
    expect(txn.unit_code).toBe('M-SRC'); // fixed at posting
    await expect(mergeCustomers(admin, 'M-SRC', 'M-DST')).rejects.toMatchObject({ code: 'E3110' });
  });

  it('grade: Pareto over counted orders in the period, manual grades kept, auto clears, dry run changes nothing', async () => {
    h.clock.set('2026-11-23T10:00:00+08:00');
    const admin = await h.as();
    // Fresh customers for this test; everything else has no counted sales in 2025 and ends up E.
    for (const [code, owner] of [
      ['G1', 'bob'],
      ['G2', 'bob'],
      ['G3', 'dave'],
      ['G4', 'dave'],
      ['G5', 'bob'],
    ] as const) {
      await addCustomer(admin, { code, name: `分级${code}`, owner });
    }
    await addOrder(h, 'G1', 600_000_00, 'approved', '2025-03-01');
    await addOrder(h, 'G2', 200_000_00, 'fulfilled', '2025-04-01');
    await addOrder(h, 'G3', 150_000_00, 'closed', '2025-05-01');
    await addOrder(h, 'G4', 20_000_00, 'approved', '2025-06-01');
    await addOrder(h, 'G4', 20_000_00, 'approved', '2025-06-02');
    await addOrder(h, 'G5', 10_000_00, 'approved', '2025-07-01');
    await addOrder(h, 'G5', 900_000_00, 'draft', '2025-07-01'); // not counted
    await addOrder(h, 'G5', 900_000_00, 'approved', '2026-01-01'); // outside the period
    await editCustomer(admin, 'G3', { grade: 'A' }); // manual

    await expect(gradeCustomers(await h.as('bob'), { dryRun: true })).rejects.toMatchObject({ code: 'E4001' });
    await expect(gradeCustomers(await h.as('carol'), {})).rejects.toMatchObject({ code: 'E4001' });
    await expect(gradeCustomers(admin, { from: '2025-12-31', to: '2025-01-01' })).rejects.toMatchObject({
      code: 'E3163',
    });

    const dry = await gradeCustomers(await h.as('carol'), { from: '2025-01-01', to: '2025-12-31', dryRun: true });
    expect(dry.totalSales).toBe('1000000.00');
    const g = (code: string) => dry.rows.find((r) => r.code === code)!;
    expect(dry.rows.slice(0, 5).map((r) => r.code)).toEqual(['G1', 'G2', 'G3', 'G4', 'G5']);
    expect(g('G1')).toMatchObject({ grade: 'A', sales: '600000.00', share: '60.00', cumulativeShare: '60.00' });
    expect(g('G2')).toMatchObject({ grade: 'B', cumulativeShare: '80.00' });
    expect(g('G3')).toMatchObject({ grade: 'A', manual: true, changed: false });
    expect(g('G4')).toMatchObject({ grade: 'D', sales: '40000.00', cumulativeShare: '99.00' });
    expect(g('G5')).toMatchObject({ grade: 'E', cumulativeShare: '100.00' });
    expect(g('K1')).toMatchObject({ grade: 'E', sales: '0.00' });
    expect((await h.db()('customers').where({ code: 'G1' }).first()).grade).toBeNull();

    const run = await gradeCustomers(admin, { from: '2025-01-01', to: '2025-12-31' });
    expect(run.changed).toBe(dry.changed);
    expect(run.batchId).toBeTruthy();
    const grades = await h.db()('customers').whereIn('code', ['G1', 'G2', 'G3', 'G4', 'G5']).orderBy('code');
    expect(grades.map((c) => c.grade)).toEqual(['A', 'B', 'A', 'D', 'E']);
    const audits = await h.db()('audit_log').where({ action: 'customers.grade', batch_id: run.batchId });
    expect(audits).toHaveLength(run.changed);
    // Again: nothing changes.
    expect((await gradeCustomers(admin, { from: '2025-01-01', to: '2025-12-31' })).changed).toBe(0);

    // auto hands G3 back to the grader: by sales it is C.
    const auto = await editCustomer(admin, 'G3', { grade: 'auto' });
    expect(auto).toMatchObject({ grade: 'A', gradeManual: false });
    const again = await gradeCustomers(admin, { from: '2025-01-01', to: '2025-12-31' });
    expect(again.rows.find((r) => r.code === 'G3')).toMatchObject({ oldGrade: 'A', grade: 'C', changed: true });
    expect((await h.db()('customers').where({ code: 'G3' }).first()).grade).toBe('C');
  });
});
