import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUILTIN_JOBS } from '../../src/jobs/definitions.js';
import type { ServiceContext } from '../../src/services/context.js';
import { catchUp } from '../../src/services/jobs/catchup.js';
import { findJob, runJob } from '../../src/services/jobs/instances.js';
import { addVoucherRange, postTransaction } from '../../src/services/settlement/index.js';
import { describeEachDb } from '../support/db.js';
import { addCustomer, txn } from './settlement-support.js';

/**
 * The real jobs over the real settlement day: a Friday run by the scheduler, an outage over the weekend,
 * Monday's catch-up (which clears Friday's transactions and prints the lists), and a clearing-files run that
 * fails for want of vouchers, then resumes once they are registered.
 */
let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-jobs-settle-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describeEachDb('jobs over the settlement day', (h) => {
  let admin: ServiceContext;
  let reports = '';
  const base = () => ({ reportsDir: reports, leaseMs: 60_000 });
  beforeAll(async () => {
    admin = await h.as('admin');
    reports = path.join(tmp, h.name, 'reports');
    const clearing = path.join(tmp, h.name, 'clearing');
    await admin.settings.set('settlement.outDir', clearing, admin.actor, h.clock);
    const unit = await addCustomer(h.db(), '110000', '北京市财政局');
    await addCustomer(h.db(), '110101', '东城区教育局', unit);
    h.clock.set('2026-11-20T08:31:00+08:00');
    await runJob(admin, findJob(BUILTIN_JOBS, 'start-of-service'), '2026-11-20', { ...base(), trigger: 'scheduler' });
    await postTransaction(admin, txn(unit, '2026-11-20 10:00', 123_450));
    await postTransaction(admin, txn(unit, '2026-11-20 11:00', 1_000, { kind: 'refund' }));
  });

  it('Friday: the rest of the day by catch-up; Monday after the weekend outage: the missed days in order', async () => {
    h.clock.set('2026-11-20T16:00:00+08:00');
    const friday = await catchUp(admin, BUILTIN_JOBS, base());
    expect(friday.map((i) => `${i.businessDate} ${i.job} ${i.outcome}`)).toEqual([
      '2026-11-20 pool-return completed',
      '2026-11-20 receivables-overdue completed',
      '2026-11-20 care-plans completed',
      '2026-11-20 approvals-reminders completed',
      '2026-11-20 daily-digest completed',
      '2026-11-20 pending-summary completed',
      '2026-11-20 cutoff completed',
      '2026-11-20 clearing-files completed',
      // the hourly escalation: today's latest due hour only
      '2026-11-20 service-escalation completed',
    ]);
    expect((await h.db()('business_days').where({ date: '2026-11-20' }).first()).state).toBe('cleared');

    // Down from Friday evening to Monday 16:00. No vouchers registered yet: clearing 11-20 must fail.
    h.clock.set('2026-11-23T16:00:00+08:00');
    const monday = await catchUp(admin, BUILTIN_JOBS, base());
    expect(monday.map((i) => `${i.businessDate} ${i.job} ${i.outcome}`)).toEqual([
      '2026-11-21 pool-return completed',
      '2026-11-21 receivables-overdue completed',
      '2026-11-21 care-plans completed',
      '2026-11-22 pool-return completed',
      '2026-11-22 receivables-overdue completed',
      '2026-11-22 care-plans completed',
      '2026-11-23 pool-return completed',
      '2026-11-23 receivables-overdue completed',
      '2026-11-23 care-plans completed',
      '2026-11-23 approvals-reminders completed',
      '2026-11-23 daily-digest completed',
      '2026-11-23 start-of-service completed',
      '2026-11-23 pending-summary completed',
      '2026-11-23 cutoff completed',
      '2026-11-23 clearing-files failed',
      '2026-11-23 service-escalation completed',
    ]);

    // The morning lists for Friday, pending, as printable and CSV files.
    const dir = path.join(reports, '2026-11-23');
    const csv = fs.readFileSync(path.join(dir, 'summary-pending-2026-11-20.csv'), 'utf8');
    expect(csv).toContain('110000,北京市财政局,划款,1,1234.50');
    expect(csv).toContain('110000,北京市财政局,退款,1,10.00');
    const printed = fs.readFileSync(path.join(dir, 'summary-pending-2026-11-20.txt'), 'utf8');
    expect(printed).toContain('财政拨付划款汇总清单');
    expect(printed).toContain('1,244.50');
    expect(printed).toContain('主管');
    expect(fs.existsSync(path.join(dir, 'classification-pending-2026-11-20.csv'))).toBe(true);

    // Register the vouchers and run it again: it resumes and clears Friday's transactions with voucher date Monday.
    await addVoucherRange(admin, { kind: 'payment', from: '0001', to: '0009' });
    await addVoucherRange(admin, { kind: 'refund', from: '0001', to: '0009' });
    const again = await runJob(admin, findJob(BUILTIN_JOBS, 'clearing-files'), '2026-11-23', {
      ...base(),
      trigger: 'manual',
    });
    expect(again).toMatchObject({ state: 'completed', attempt: 2 });
    const cleared = await h
      .db()('settlement_transactions')
      .where({ clearing_status: 'cleared', clearing_date: '2026-11-23' });
    expect(cleared).toHaveLength(2);
    const clearedCsv = fs.readFileSync(path.join(dir, 'summary-cleared-2026-11-23.csv'), 'utf8');
    expect(clearedCsv).toContain('110000,北京市财政局,划款,1,1234.50');
    // Nothing left to catch up.
    expect(await catchUp(admin, BUILTIN_JOBS, base())).toEqual([]);
  });
});
