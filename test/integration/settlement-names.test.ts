import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { beforeAll, expect, it } from 'vitest';
import { importReason } from '../../src/domain/import-reasons.js';
import type { ServiceContext } from '../../src/services/context.js';
import {
  addVoucherRange,
  clearDay,
  cutoffDay,
  importFeed,
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
  /** A feed of 1.00 payments after the cutoff (late: they belong to the next day); the first row names a sub-unit. */
  const feed = (refs: string[]) => {
    const file = path.join(testTempDir('crm-names-feed-'), 'feed.csv');
    const rows = refs.map((ref, i) => `${ref},2026-11-23 17:0${i},${i === 0 ? '650100' : '650000'},划款,1.00`);
    fs.writeFileSync(file, ['流水号,交易时间,客户编码,交易类型,金额', ...rows].join('\n'));
    return file;
  };
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

  it('a feed naming such a unit warns at its first row (the money is posted), until an override is set', async () => {
    const r = await importFeed(ctx, { file: feed(['NF-1', 'NF-2', 'NF-3']) });
    expect([r.inserted, r.rejected, r.warnings]).toEqual([3, 0, 1]);
    // At line 2: the sub-unit 650100's row is the first of first-level unit 650000.
    expect(r.warningDetails).toMatchObject([
      {
        line: 2,
        column: 'customer',
        reason: expect.stringContaining('unit 650000 "新疆维吾尔自治区财政厅😀": character 12 "😀" (U+1F600)'),
      },
    ]);
    const reason = r.warningDetails[0]?.reason ?? '';
    expect(reason).toContain('crm settlement names set 650000 --name');
    expect(importReason(reason, 'zh')).toContain('单位 650000"新疆维吾尔自治区财政厅😀"的第 12 个字符 "😀"（U+1F600）');
  });

  it('with the override the day clears; the file carries the new name; set and list are audited and shown', async () => {
    const r = await setUnitName(ctx, { unitCode: '650000', name: '新疆维吾尔自治区财政厅', reason: '原名含表情符号' });
    const later = await importFeed(ctx, { file: feed(['NF-4']) });
    expect([later.inserted, later.warnings]).toEqual([1, 0]);
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
