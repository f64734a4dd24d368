import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listProducts } from '../../src/services/orders/products.js';
import { exportProducts, importProducts } from '../../src/services/orders/products-io.js';
import { describeEachDb } from '../support/db.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-products-io-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describeEachDb('products import and export (the shared CSV engine)', (h) => {
  describe('round trip', () => {
    it('imports Chinese headers, rejects bad rows with their line, re-imports an export unchanged', async () => {
      const admin = await h.as();
      const file = path.join(tmp, `in-${h.name}.csv`);
      fs.writeFileSync(
        file,
        '\ufeff产品编码,产品名称,单价,单位,分类,在售\n' +
          'A-1,服务器,"45,000.00",台,硬件/服务器,是\n' +
          'A:2,坏编码,1,,,\n' +
          'A-3,价格坏,12.345,,,\n' +
          'A-4,=cmd(),0.5,个,服务,否\n',
      );
      const errors = path.join(tmp, `rej-${h.name}.csv`);
      const s = await importProducts(admin, { file, errorsOut: errors });
      expect([s.read, s.inserted, s.rejected]).toEqual([4, 2, 2]);
      expect(s.errors.map((e) => [e.line, e.column])).toEqual([
        [3, 'code'],
        [4, 'price'],
      ]);
      expect(fs.readFileSync(errors, 'utf8')).toContain('A:2');
      const products = await listProducts(admin);
      expect(products.map((p) => [p.code, p.priceFen, p.category, p.onSale])).toEqual([
        ['A-1', 4_500_000, '硬件/服务器', true],
        ['A-4', 50, '服务', false],
      ]);
      const out = path.join(tmp, `out-${h.name}.csv`);
      expect(await exportProducts(admin, { out, bom: true })).toBe(2);
      const text = fs.readFileSync(out, 'utf8');
      expect(text).toContain("'=cmd()"); // formula-safe
      const again = await importProducts(admin, { file: out });
      expect([again.inserted, again.updated, again.unchanged, again.rejected]).toEqual([0, 0, 2, 0]);
      expect((await listProducts(admin)).find((p) => p.code === 'A-4')?.name).toBe('=cmd()');
      // In Chinese the header row is Chinese, and the file re-imports unchanged all the same.
      const zh = path.join(tmp, `out-zh-${h.name}.csv`);
      expect(await exportProducts(admin, { out: zh, headerLang: 'zh' })).toBe(2);
      expect(fs.readFileSync(zh, 'utf8').split(/\r?\n/)[0]).toBe('产品编码,产品名称,单价,单位,分类,在售');
      const zhAgain = await importProducts(admin, { file: zh });
      expect([zhAgain.inserted, zhAgain.updated, zhAgain.unchanged, zhAgain.rejected]).toEqual([0, 0, 2, 0]);
      // a changed price updates
      fs.writeFileSync(file, 'code,name,price\nA-1,服务器,44000\n');
      const upd = await importProducts(admin, { file });
      expect([upd.updated, upd.inserted]).toEqual([1, 0]);
    });

    it('a sales user may not import the catalogue', async () => {
      await h.addUser('sam', 'sales');
      const file = path.join(tmp, `sales-${h.name}.csv`);
      fs.writeFileSync(file, 'code,name,price\nZ-1,z,1\n');
      await expect(importProducts(await h.as('sam'), { file })).rejects.toMatchObject({
        code: 'E4001',
      });
    });
  });
});
