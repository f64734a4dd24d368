import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/services/context.js';
import {
  addVoucherRange,
  clearDay,
  cutoffDay,
  dayState,
  openDay,
  postTransaction,
} from '../../src/services/settlement/index.js';
import { describeEachDb } from '../support/db.js';
import { testTempDir } from '../support/tmp.js';
import { addCustomer, txn } from './settlement-support.js';

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The procedure saves the files in more than one place: the archive folder and the transfer medium. */
describeEachDb('clearing files copied to more than one place', (h) => {
  let ctx: ServiceContext;
  beforeAll(async () => {
    h.clock.set('2026-11-23T16:00:00+08:00');
    ctx = await h.as('admin');
    const unit = await addCustomer(h.db(), '370000', '山东省财政厅');
    await addVoucherRange(ctx, { kind: 'payment', from: '0001', to: '0009' });
    await openDay(ctx, { date: '2026-11-20' });
    await postTransaction(ctx, txn(unit, '2026-11-20 10:00', 50000, { ref: 'CP-1' }));
    await cutoffDay(ctx, { date: '2026-11-20' });
    await openDay(ctx, { date: '2026-11-23' });
    await cutoffDay(ctx, { date: '2026-11-23' });
  });

  it('an unusable copy directory stops the clear before anything is written or recorded', async () => {
    const root = testTempDir('crm-copies-');
    const notADir = path.join(root, 'medium');
    fs.writeFileSync(notADir, '');
    const out = path.join(root, 'out');
    await expect(clearDay(ctx, { date: '2026-11-23', outDir: out, copyTo: [notADir] })).rejects.toMatchObject({
      code: 'E7133',
      exitCode: 7,
    });
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
    expect(await dayState(h.db(), '2026-11-23')).toBe('cut_off');
  });

  it('each copy (setting and --copy-to) is written and verified by SHA-256', async () => {
    const root = testTempDir('crm-copies-');
    const [out, archive, medium] = ['out', 'archive', 'medium'].map((d) => path.join(root, d)) as [
      string,
      string,
      string,
    ];
    await ctx.settings.set('settlement.copyTo', archive, ctx.actor, ctx.clock);
    const r = await clearDay(ctx, { date: '2026-11-23', outDir: out, copyTo: [medium] });
    await ctx.settings.set('settlement.copyTo', '', ctx.actor, ctx.clock);
    expect(r.files).toHaveLength(1);
    const f = r.files[0]!;
    expect(f.copies).toEqual([path.join(archive, f.name), path.join(medium, f.name)]);
    for (const copy of f.copies ?? []) expect(sha(copy)).toBe(f.sha256);
    expect(sha(f.path)).toBe(f.sha256);
  });
});
