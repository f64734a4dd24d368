import { describe, expect, it } from 'vitest';
import { CrmError, ExitCode } from '../../src/domain/errors.js';
import { parseSettlementKind, settlementKindOf } from '../../src/domain/settlement/kind.js';

describe('settlement kinds', () => {
  it('accepts the English word in any case, the Chinese word and the feed name', () => {
    for (const w of ['payment', 'Payment', 'PAYMENT', '划款', '财政授权支付'])
      expect(parseSettlementKind(w)).toBe('payment');
    for (const w of ['refund', 'Refund', '退款', '财政授权额度退回']) expect(parseSettlementKind(w)).toBe('refund');
  });

  it('refuses anything else with a bilingual usage error listing the accepted words', () => {
    for (const value of ['', 'pay', ' payment', '付款', undefined, null, 3]) {
      let err: unknown;
      try {
        parseSettlementKind(value);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CrmError);
      const e = err as CrmError;
      expect(e.code).toBe('E7102');
      expect(e.exitCode).toBe(ExitCode.usage);
      expect(e.messages.en).toContain('payment: payment, 划款, 财政授权支付; refund: refund, 退款, 财政授权额度退回');
      expect(e.messages.zh).toContain('划款: payment, 划款, 财政授权支付; 退款: refund, 退款, 财政授权额度退回');
    }
  });

  it('settlementKindOf answers null instead of throwing', () => {
    expect(settlementKindOf('退款')).toBe('refund');
    expect(settlementKindOf('bogus')).toBeNull();
    expect(settlementKindOf(undefined)).toBeNull();
  });
});
