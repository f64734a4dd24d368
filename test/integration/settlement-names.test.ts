import fs from 'node:fs';
import iconv from 'iconv-lite';
import { beforeAll, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/services/context.js';
import {
  addVoucherRange,
  clearDay,
  cutoffDay,
  listUnitNames,
  openDay,
  postTransaction,
  setUnitName,
} from '../../src/services/settlement/index.js';
import { describeEachDb } from '../support/db.js';
import { testTempDir } from '../support/tmp.js';
import { addCustomer, txn } from './settlement-support.js';

/**
 * A unit name stored before names were checked on entry, with a character GBK cannot hold, is frozen on the
 * day's transactions: the clear names the unit and the command, and an audited override finishes the day.
 */
describeEachDb('settlement names: no day stuck on a name', (h) => {
  let ctx: ServiceContext;
  beforeAll(async () => {
    h.clock.set('2026-11-23T16:00:00+08:00');
    ctx = await h.as('admin');
    // Inserted directly: the customers service now refuses such a name (see unit-names.test.ts).
    const unit = await addCustomer(h.db(), '650000', '新疆维吾尔自治区财政厅😀');
    await addCustomer(h.db(), '650100', '乌鲁木齐市财政局', unit);
    await addVoucherRange(ctx, { kind: 'payment', from: '0001', to: '0009' });
    await openDay(ctx, { date: '2026-11-20' });
    await postTransaction(ctx, txn(unit, '2026-11-20 10:00', 12345, { ref: 'N-1' }));
    await cutoffDay(ctx, { date: '2026-11-20' });
    await openDay(ctx, { date: '2026-11-23' });
    await cutoffDay(ctx, { date: '2026-11-23' });
  });

  it('the clear stops before anything is written, naming the unit, the character and the command', async () => {
    const out = testTempDir('crm-names-');
    await expect(clearDay(ctx, { date: '2026-11-23', outDir: out })).rejects.toMatchObject({
      code: 'E7132',
      messages: { en: expect.stringContaining('first-level unit 650000: character 12 "😀" (U+1F600)') },
      hint: { en: expect.stringContaining('crm settlement names set 650000 --name') },
    });
    expect(fs.readdirSync(out)).toEqual([]);
    const used = await h.db()('vouchers').where({ status: 'used' }).count({ n: '*' }).first();
    expect(Number(used?.n)).toBe(0);
  });

  it('an override must be one the files can hold, on a first-level unit, with a reason', async () => {
    await expect(setUnitName(ctx, { unitCode: '650000', name: '新疆😀', reason: 'x' })).rejects.toMatchObject({
      code: 'E3166',
    });
    await expect(
      setUnitName(ctx, { unitCode: '650000', name: '新疆维吾尔自治区财政厅', reason: ' ' }),
    ).rejects.toMatchObject({
      code: 'E7160',
    });
    await expect(setUnitName(ctx, { unitCode: '650100', name: '乌市', reason: 'x' })).rejects.toMatchObject({
      code: 'E7163',
    });
    await expect(setUnitName(ctx, { unitCode: '999', name: 'x', reason: 'x' })).rejects.toMatchObject({
      code: 'E7162',
    });
  });

  it('with the override the day clears; the file carries the new name; set and list are audited and shown', async () => {
    const r = await setUnitName(ctx, { unitCode: '650000', name: '新疆维吾尔自治区财政厅', reason: '原名含表情符号' });
    expect(r).toMatchObject({ unitCode: '650000', name: '新疆维吾尔自治区财政厅', setBy: 'admin' });
    const out = testTempDir('crm-names-');
    const cleared = await clearDay(ctx, { date: '2026-11-23', outDir: out });
    expect(cleared.files.map((f) => [f.count, f.total])).toEqual([[1, '123.45']]);
    const text = iconv.decode(fs.readFileSync(cleared.files[0]!.path), 'gbk');
    expect(text).toContain('650000|新疆维吾尔自治区财政厅|');
    expect(await listUnitNames(ctx)).toMatchObject([{ unitCode: '650000', reason: '原名含表情符号' }]);
    const audits = await h.db()('audit_log').where({ action: 'settlement.names.set', entity_id: '650000' });
    expect(audits).toHaveLength(1);
  });
});
