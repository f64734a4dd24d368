import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { firstUnencodable } from '../../src/domain/settlement/file-encoding.js';
import { addCustomer, editCustomer, getCustomer } from '../../src/services/customers/customers.js';
import { importCustomers } from '../../src/services/customers/import.js';
import { describeEachDb } from '../support/db.js';
import { testTempDir } from '../support/tmp.js';

it('finds the first character GBK cannot hold, counting an emoji as one character', () => {
  expect(firstUnencodable('北京市财政局', 'gbk')).toBeNull();
  expect(firstUnencodable('北京😀财政局', 'gbk')).toEqual({ char: '😀', position: 3, codePoint: 'U+1F600' });
  // U+20000 (CJK Extension B) is in GB18030 but not in GBK.
  expect(firstUnencodable('😀𠀀', 'gbk')).toMatchObject({ char: '😀', position: 1 });
  expect(firstUnencodable('市𠀀局', 'gbk')).toEqual({ char: '𠀀', position: 2, codePoint: 'U+20000' });
  expect(firstUnencodable('北京😀财政局', 'utf8')).toBeNull();
});

/** A unit name the GBK clearing files cannot hold would stop every clear of the day: it is refused on entry. */
describeEachDb('unit names the clearing files can hold', (h) => {
  it('customers add and edit refuse a name with a character outside GBK, naming it and its position', async () => {
    const admin = await h.as('admin');
    await expect(addCustomer(admin, { code: 'U-EMOJI', name: '阳光😀财政所' })).rejects.toMatchObject({
      code: 'E3166',
      exitCode: 2,
      messages: {
        en: expect.stringContaining('character 3 "😀" (U+1F600) cannot be written to the GBK clearing files'),
      },
    });
    await addCustomer(admin, { code: 'U-OK', name: '阳光财政所' });
    await expect(editCustomer(admin, 'U-OK', { name: '阳光𠀀财政所' })).rejects.toMatchObject({ code: 'E3166' });
    expect((await getCustomer(admin, 'U-OK')).name).toBe('阳光财政所');
  });

  it('customers import rejects such a name at its line, and imports the rest', async () => {
    const admin = await h.as('admin');
    const file = path.join(testTempDir('crm-names-import-'), 'units.csv');
    fs.writeFileSync(file, ['code,name', 'U-I1,正常单位', 'U-I2,表情😀单位', 'U-I3,市𠀀局'].join('\n'));
    const r = await importCustomers(admin, { file });
    expect([r.inserted, r.rejected]).toEqual([1, 2]);
    expect(r.errors.map((e) => [e.line, e.column, e.reason])).toEqual([
      [3, 'name', 'character 3 "😀" (U+1F600) cannot be written to the GBK clearing files'],
      [4, 'name', 'character 2 "𠀀" (U+20000) cannot be written to the GBK clearing files'],
    ]);
  });

  it('with UTF-8 clearing files the same name is accepted', async () => {
    const admin = await h.as('admin');
    await admin.settings.set('settlement.fileEncoding', 'utf8', admin.actor, admin.clock);
    await addCustomer(admin, { code: 'U-UTF8', name: '阳光😀财政所' });
    expect((await getCustomer(admin, 'U-UTF8')).name).toBe('阳光😀财政所');
    await admin.settings.set('settlement.fileEncoding', 'gbk', admin.actor, admin.clock);
  });
});
