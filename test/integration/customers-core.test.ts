import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  addCustomer,
  customerTree,
  deleteCustomer,
  editCustomer,
  listCustomers,
  showCustomer,
} from '../../src/services/customers/customers.js';
import { exportCustomers } from '../../src/services/customers/export.js';
import { importCustomers } from '../../src/services/customers/import.js';
import { applyPoolRules, claimCustomer, releaseCustomer } from '../../src/services/customers/pool.js';
import { describeEachDb } from '../support/db.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-cust-core-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeEachDb('customers', (h) => {
  beforeAll(async () => {
    await h.addUser('carol', 'manager');
    await h.addUser('bob', 'sales', 'carol');
    await h.addUser('dave', 'sales', 'carol');
  });

  it('adds, shows, lists within scope, builds the tree and first-level codes', async () => {
    const admin = await h.as();
    await addCustomer(admin, { code: 'T1', name: '市财政局', owner: 'carol' });
    await addCustomer(admin, { code: 'T1-1', name: '一处', parent: 'T1', owner: 'bob', phone: '010-1111111' });
    await addCustomer(admin, { code: 'T1-1-1', name: '一科', parent: 'T1-1', owner: 'dave', email: '=cmd@x.cn' });
    const show = await showCustomer(await h.as('bob'), 'T1-1');
    expect(show).toMatchObject({
      code: 'T1-1',
      parentCode: 'T1',
      firstLevelCode: 'T1',
      owner: 'bob',
      status: 'active',
    });
    const bobs = await listCustomers(await h.as('bob'), {});
    expect(bobs.map((c) => c.code)).toEqual(['T1-1']);
    const carols = await listCustomers(await h.as('carol'), {});
    expect(carols.map((c) => c.code)).toEqual(['T1', 'T1-1', 'T1-1-1']);
    expect(carols[2]!.firstLevelCode).toBe('T1');
    await expect(showCustomer(await h.as('bob'), 'T1-1-1')).rejects.toMatchObject({ code: 'E3111' });
    const tree = await customerTree(admin, 'T1-1-1');
    expect(tree.map((n) => `${n.depth}:${n.code}`)).toEqual(['0:T1', '1:T1-1', '2:T1-1-1']);
    await expect(editCustomer(admin, 'T1', { parent: 'T1-1-1' })).rejects.toMatchObject({ code: 'E3116' });
    await expect(deleteCustomer(admin, 'T1')).rejects.toMatchObject({ code: 'E3123' });
  });

  it('exports formula-safe CSV that re-imports unchanged', async () => {
    const out = path.join(dir, `export-${h.name}.csv`);
    const n = await exportCustomers(await h.as(), {}, { out, bom: true });
    expect(n).toBe(3);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain("'=cmd@x.cn");
    await expect(exportCustomers(await h.as(), {}, { out })).rejects.toMatchObject({ code: 'E3103' });
    const s = await importCustomers(await h.as(), { file: out });
    expect(s).toMatchObject({ read: 3, inserted: 0, updated: 0, unchanged: 3, rejected: 0 });
    // In Chinese the headers are Chinese, and the file still re-imports unchanged.
    const zh = path.join(dir, `export-zh-${h.name}.csv`);
    await exportCustomers(await h.as(), {}, { out: zh, headerLang: 'zh' });
    expect(fs.readFileSync(zh, 'utf8').split('\r\n')[0]).toBe(
      '客户编码,客户名称,上级编码,行业,地区,地址,电话,邮箱,来源,负责人,等级,联系人,联系人电话,联系人邮箱,备注',
    );
    const again = await importCustomers(await h.as(), { file: zh });
    expect(again).toMatchObject({ read: 3, unchanged: 3, rejected: 0, warnings: 0 });
  });

  it('applies pool rules: warns, returns, records ownership history; claim and release', async () => {
    const admin = await h.as();
    h.clock.set('2026-11-23T10:00:00+08:00');
    await addCustomer(admin, { code: 'P1', name: '旧客户', owner: 'bob' });
    h.clock.set('2026-12-21T10:00:00+08:00'); // 28 days later: due in 2 days (30-day rule), warn window 3
    const early = await applyPoolRules(admin, {});
    expect(early.warned.map((w) => [w.code, w.owner, w.dueDate])).toContainEqual(['P1', 'bob', '2026-12-23']);
    h.clock.set('2026-12-24T10:00:00+08:00');
    const dry = await applyPoolRules(admin, { dryRun: true });
    expect(dry.returned.map((r) => r.code)).toContain('P1');
    const r = await applyPoolRules(admin, {});
    expect(r.returned.find((x) => x.code === 'P1')).toMatchObject({ owner: 'bob' });
    expect((await applyPoolRules(admin, {})).returned.find((x) => x.code === 'P1')).toBeUndefined();
    const p1 = await h.db()('customers').where({ code: 'P1' }).first();
    expect(p1.owner_id).toBeNull();
    const hist = await h.db()('ownership_history').where({ customer_id: p1.id }).orderBy('id');
    expect(hist.map((x) => x.action)).toEqual(['create', 'return']);
    // The former owner may not reclaim during the cool-down; another user may.
    await expect(claimCustomer(await h.as('bob'), 'P1')).rejects.toMatchObject({ code: 'E3133' });
    await claimCustomer(await h.as('dave'), 'P1');
    await releaseCustomer(await h.as('dave'), 'P1', 'not interested');
    const actions = (await h.db()('ownership_history').where({ customer_id: p1.id }).orderBy('id')).map(
      (x) => x.action,
    );
    expect(actions).toEqual(['create', 'return', 'claim', 'release']);
  });
});
