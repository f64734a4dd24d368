import { expect, it } from 'vitest';
import { mapHeaders, nearestName } from '../../src/io/import/headers.js';
import { CUSTOMER_COLUMNS } from '../../src/services/customers/import.js';

it('takes the names offices use for the customer columns', () => {
  const map = mapHeaders(
    'units.csv',
    ['单位编码', '单位名称', '上级单位编码', '联系电话', '手机', '电子邮箱', '负责人'],
    CUSTOMER_COLUMNS,
  );
  expect(map.keys).toEqual(['code', 'name', 'parent_code', 'phone', 'contact_phone', 'email', 'owner']);
  expect(map.unknown).toEqual([]);
});

it('suggests the nearest accepted name for a header nobody knows, and nothing for a far one', () => {
  expect(nearestName('上级编号', CUSTOMER_COLUMNS)).toBe('上级编码');
  expect(nearestName('emal', CUSTOMER_COLUMNS)).toBe('email');
  expect(nearestName('预算科目', CUSTOMER_COLUMNS)).toBeNull();
});

it('a missing required column is named with the accepted names in both languages and a guess', () => {
  let err: { messages: { zh: string; en: string }; hint?: { zh: string } } | undefined;
  try {
    mapHeaders('units.csv', ['客户编号', '客户名称'], CUSTOMER_COLUMNS);
  } catch (e) {
    err = e as typeof err;
  }
  expect(err?.messages.en).toBe(
    'units.csv line 1 (header): missing required column(s): code/客户编码/编码/国标码/单位编码/单位代码/客户代码 did you mean "客户编号" as code?',
  );
  expect(err?.messages.zh).toContain('"客户编号" 是不是 客户编码？');
  expect(err?.hint?.zh).toContain('客户编码/code，客户名称/name');
});
