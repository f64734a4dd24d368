import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMysqlDatabase, openDatabase } from '../../src/db/connection.js';
import type { ServiceContext } from '../../src/services/context.js';
import { addCustomer } from '../../src/services/customers/customers.js';
import { createOrder, submitOrder } from '../../src/services/orders/orders.js';
import { receivePayment } from '../../src/services/orders/payments.js';
import { addProduct } from '../../src/services/orders/products.js';
import { SettingsService } from '../../src/services/settings.js';
import { addVoucherRange, cutoffDay, openDay, postTransactions } from '../../src/services/settlement/index.js';
import { initialise } from '../../src/services/system.js';
import { createUser, resolveActor, SYSTEM_ACTOR } from '../../src/services/users.js';
import { isolatedEnv, runCliAsync, startCli, TEST_BIN, until } from '../support/cli.js';
import { TestClock } from '../support/db.js';
import { galeraUrls, requireGalera } from '../support/env.js';
import { addCustomer as addUnit, txn } from './settlement-support.js';

/**
 * Money rules on a multi-primary Galera cluster, where row locks do not span nodes: the two sides of each race
 * run on two different nodes (CRM_TEST_GALERA_URLS, see scripts/galera.sh). Without the variable these are
 * skipped (globalSetup prints one line); CRM_TEST_REQUIRE_GALERA=1 makes them required (.ci/run).
 */
const ROUNDS = 50;
/** Clears are whole processes (about a second each): fewer rounds, each on a day of its own. */
const CLEAR_DAYS = [
  '2026-11-03',
  '2026-11-04',
  '2026-11-05',
  '2026-11-06',
  '2026-11-09',
  '2026-11-10',
  '2026-11-11',
  '2026-11-12',
  '2026-11-13',
  '2026-11-16',
];
const available = galeraUrls.length >= 2;

/** The same database name on two nodes. */
function onNode(base: string, dbName: string): string {
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  return u.toString();
}

describe.skipIf(!available && !requireGalera)('on a Galera cluster: two nodes, one order', () => {
  const clock = new TestClock('2026-11-23T10:00:00+08:00');
  const dbName = `crm_t_cluster_${process.pid}_${Date.now().toString(36)}`;
  let first: Knex;
  let second: Knex;
  const as = async (db: Knex, user: string): Promise<ServiceContext> => ({
    db,
    clock,
    actor: await resolveActor(db, user),
    settings: SettingsService.create(db),
  });

  /** The order's receipts as a node holds them (its connections read causally: see the first test). */
  async function receivedOn(db: Knex, number: string): Promise<number> {
    const row = await db('order_payments as p')
      .join('orders as o', 'o.id', 'p.order_id')
      .where('o.number', number)
      .sum({ fen: 'p.amount_fen' })
      .first();
    return Number(row?.fen ?? 0);
  }

  beforeAll(async () => {
    expect(galeraUrls.length, 'CRM_TEST_GALERA_URLS must list at least two nodes').toBeGreaterThanOrEqual(2);
    const [url1, url2] = [onNode(galeraUrls[0]!, dbName), onNode(galeraUrls[1]!, dbName)];
    await ensureMysqlDatabase(url1);
    first = await openDatabase(url1);
    await initialise(first, clock, 'admin', undefined, { mode: 'os', osAccount: os.userInfo().username });
    const system = { db: first, clock, actor: SYSTEM_ACTOR, settings: SettingsService.create(first) };
    await createUser(system, { name: 'bob', role: 'sales' });
    const admin = await as(first, 'admin');
    await addCustomer(admin, { code: 'C-1', name: '集群客户', owner: 'bob' });
    await addProduct(admin, { code: 'P-1', name: 'one', priceFen: 100 });
    second = await openDatabase(url2);
  }, 120_000);

  let home = '';
  afterAll(async () => {
    if (home) fs.rmSync(home, { recursive: true, force: true });
    await second?.destroy();
    await first?.raw('DROP DATABASE IF EXISTS ??', [dbName]).catch(() => {});
    await first?.destroy();
  });

  it('every connection to a node waits for causality before reads and updates (wsrep_sync_wait = 3)', async () => {
    const [rows] = await second.raw('SELECT @@wsrep_sync_wait AS w');
    expect(Number(rows[0].w)).toBe(3);
  });

  it(`two payments of 600.00 on a 1,000.00 order from two nodes at once, ${ROUNDS} times: never overpaid, the loser gets E6150`, async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const bobFirst = await as(first, 'bob');
      const order = await createOrder(bobFirst, { customer: 'C-1', items: ['P-1:1:1000'] });
      await submitOrder(bobFirst, order.number);
      const pay = async (db: Knex, side: string) =>
        receivePayment(await as(db, 'bob'), order.number, {
          amountFen: 60_000,
          at: clock.now(),
          ref: `R-${round}-${side}`,
        });
      const results = await Promise.allSettled([pay(first, 'a'), pay(second, 'b')]);
      const codes = results.map((r) =>
        r.status === 'fulfilled' ? 'ok' : String((r.reason as { code?: string }).code ?? (r.reason as Error).message),
      );
      outcomes.push(codes.sort().join('+'));
      // What the cluster holds: node 1 applies every write committed before it reads.
      expect(await receivedOn(first, order.number), `round ${round}: ${codes.join(', ')}`).toBe(60_000);
    }
    // Every round: one payment taken, the other refused with the overpayment error (never a raw deadlock).
    expect(new Set(outcomes)).toEqual(new Set(['E6150+ok']));
  }, 300_000);

  it(`two clears of one day from two nodes at once, ${CLEAR_DAYS.length} days: one clears, the other is refused`, async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-cluster-'));
    clock.set('2026-11-30T16:00:00+08:00');
    const admin = await as(first, 'admin');
    const unit = await addUnit(first, '330000', '浙江省财政厅');
    await addVoucherRange(admin, { kind: 'payment', from: '5001', to: '5099' });
    await addVoucherRange(admin, { kind: 'refund', from: '6001', to: '6099' });
    for (const d of ['2026-11-02', ...CLEAR_DAYS]) {
      await openDay(admin, { date: d });
      await postTransactions(admin, [
        txn(unit, `${d} 09:00`, 1_000, { ref: `C-${d}-1` }),
        txn(unit, `${d} 10:00`, 50, { ref: `C-${d}-2`, kind: 'refund' }),
      ]);
      await cutoffDay(admin, { date: d });
    }
    const url = (i: number) => onNode(galeraUrls[i]!, dbName);
    for (const [i, date] of CLEAR_DAYS.entries()) {
      const out = path.join(home, `out-${i}`);
      const env = (node: number) =>
        isolatedEnv(home, { CRM_DATABASE_URL: url(node), CRM_NOW: '2026-11-30T16:00:00+08:00' });
      const args = ['settlement', 'clear', '--date', date, '--out-dir', out, '--json'];
      const [a, b] = await Promise.all([runCliAsync(args, env(0)), runCliAsync(args, env(1))]);
      const both = a.stdout + a.stderr + b.stdout + b.stderr;
      expect([a.code, b.code].sort(), `${date}: ${both}`).toEqual([0, 5]);
      const loser = a.code === 5 ? a : b;
      expect(['E5002', 'E7114'], both).toContain(JSON.parse(loser.stdout).error.code);
      expect(both).not.toMatch(/\b1213\b|Deadlock|ER_LOCK|E0000/);
      // One run's files: the previous day's payment and refund, each in one file, each transaction cleared once.
      const files = await first('clearing_files').where({ voucher_date: date, status: 'active' });
      expect(files.map((f) => [String(f.kind), Number(f.txn_count)]).sort(), date).toEqual([
        ['qs', 1],
        ['tk', 1],
      ]);
      const cleared = await first('settlement_transactions').where({ clearing_date: date }).count({ n: '*' }).first();
      expect(Number(cleared?.n), date).toBe(2);
    }
  }, 300_000);

  it('two schedulers on two nodes, three days of catch-up: each job instance runs once', async () => {
    home ||= fs.mkdtempSync(path.join(os.tmpdir(), 'crm-cluster-'));
    /** `crm jobs start` (the test CLI with its two sleeping test jobs) on node `i`. */
    const scheduler = (i: number, now: string) =>
      startCli(
        ['jobs', 'start'],
        isolatedEnv(home, {
          CRM_DATABASE_URL: onNode(galeraUrls[i]!, dbName),
          CRM_NOW: now,
          CRM_TEST_JOBS: '200',
          CRM_JOBS_LEASE_MS: '5000',
        }),
        TEST_BIN,
      );
    const completed: string[] = [];
    for (const day of ['2026-11-23', '2026-11-24', '2026-11-25']) {
      const now = `${day}T10:00:00+08:00`;
      const both = [scheduler(0, now), scheduler(1, now)];
      for (const s of both) await until('catch-up to finish', () => s.out().includes('"catchup.finished"'));
      for (const s of both) s.child.kill('SIGTERM');
      for (const s of both) {
        const r = { code: await s.done, out: s.out() };
        expect(r.code, r.out).toBe(0);
        expect(r.out).not.toMatch(/\b1213\b|Deadlock|ER_LOCK|E0000/);
        for (const line of r.out.trim().split('\n')) {
          const ev = JSON.parse(line) as { event: string; job?: string; date?: string };
          if (ev.event === 'run.completed') completed.push(`${ev.job} ${ev.date}`);
        }
      }
    }
    // No instance completed twice, across both nodes and all three days.
    expect(completed.length).toBeGreaterThan(3);
    expect(new Set(completed).size).toBe(completed.length);
    const runs = await first('job_runs').whereIn('job', ['test-a', 'test-b']);
    expect(runs.map((r) => `${r.state} ${Number(r.attempts)}`)).toEqual(runs.map(() => 'completed 1'));
    expect(runs.map((r) => `${r.job} ${r.business_date}`).sort()).toEqual([...completed].sort());
    const executions = await first('job_executions').whereIn('job', ['test-a', 'test-b']).count({ n: '*' }).first();
    expect(Number(executions?.n)).toBe(runs.length);
  }, 300_000);
});
