import { expect, it } from 'vitest';
import { importReason, importReasonZh } from '../../src/domain/import-reasons.js';

/** Every reason the customers, products and feed imports give, as they give them (see the services). */
const REASONS = [
  'required',
  'required (customer code or unit code)',
  'longer than 200 characters',
  'invalid code "a b" (1-64 characters, no spaces or quotes)',
  'not an email address: x@',
  'not a phone number: not-a-phone',
  'grade must be A-E, not "Z"',
  'unknown user: nobody',
  'user is disabled: erin',
  'a customer cannot be its own parent',
  'duplicate code 110101: first at line 3',
  'parent 1101 was rejected (line 4)',
  'parent code 999999 is neither in the database nor in the file',
  'customer C1 was deleted; it cannot be imported again',
  'cycle: A is below B in the organisation tree',
  'possible duplicate of customer 110102 (same name)',
  'character 3 "😀" (U+1F600) cannot be written to the GBK clearing files',
  'unit 610000 "陕西😀": character 3 "😀" (U+1F600) cannot be written to the GBK clearing files; before the clear run crm settlement names set 610000 --name NAME --reason TEXT',
  'unknown customer "610200"',
  'unknown kind "转账" (payment: payment, 划款, 财政授权支付; refund: refund, 退款, 财政授权额度退回)',
  'unknown account class "现金" (known: 财政授权支付, 财政直接支付, 其他)',
  'invalid time "2026-13-20 09:00:00" (YYYY-MM-DD HH:mm[:ss] business time, or ISO 8601 with an offset)',
  'invalid amount for amount "10.001": at most two decimals',
  'expected yes or no, got "maybe"',
  '3 cells but the header has 5 columns',
  'unknown column, ignored (did you mean 上级编码?)',
  'unknown column, ignored',
];

it('reads every import reason into Chinese, leaving only the values themselves in other scripts', () => {
  for (const reason of REASONS) {
    const zh = importReasonZh(reason);
    expect(zh, reason).not.toBe(reason);
    // What remains in Latin letters is a quoted or named value (a code, an email, a user), never a sentence.
    const values = `${(reason.match(/"[^"]*"/g) ?? []).join(' ')} ${reason.includes(': ') ? reason.slice(reason.indexOf(': ')) : ''}`;
    const words = zh.replace(/"[^"]*"/g, '').match(/[A-Za-z]{4,}/g) ?? [];
    const sentenceWords = words.filter((w) => !values.includes(w) && !['payment', 'refund', 'YYYY'].includes(w));
    expect(sentenceWords, `${reason} → ${zh}`).toEqual([]);
  }
  expect(importReason('required', 'en')).toBe('required');
  expect(importReason('something new', 'zh')).toBe('something new');
});
