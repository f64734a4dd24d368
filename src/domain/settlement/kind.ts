import { CrmError, ExitCode, type L10n } from '../errors.js';

/** What a settlement transaction does: a payment to a unit (划款) or a refund from one (退款). */
export type SettlementKind = 'payment' | 'refund';

/**
 * Every word accepted for a kind, wherever a kind is given (an option, a feed column): the English word, the
 * short Chinese one, and the bank feed's full name. English words match in any case.
 */
export const SETTLEMENT_KIND_WORDS: Readonly<Record<SettlementKind, readonly string[]>> = {
  payment: ['payment', '划款', '财政授权支付'],
  refund: ['refund', '退款', '财政授权额度退回'],
};

const BY_WORD = new Map<string, SettlementKind>(
  (Object.entries(SETTLEMENT_KIND_WORDS) as [SettlementKind, readonly string[]][]).flatMap(([kind, words]) =>
    words.map((w) => [w, kind] as const),
  ),
);

export const KIND_LABEL: Record<SettlementKind, L10n> = {
  payment: { zh: '划款', en: 'payment' },
  refund: { zh: '退款', en: 'refund' },
};

/** The kind a word names, or null when it names none (for callers that collect errors instead of throwing). */
export function settlementKindOf(value: string | null | undefined): SettlementKind | null {
  const word = value ?? '';
  return BY_WORD.get(word) ?? BY_WORD.get(word.toLowerCase()) ?? null;
}

/** The accepted words, for a message: `payment: payment, 划款, 财政授权支付; refund: …`. */
export function settlementKindWords(lang: keyof L10n): string {
  return (Object.entries(SETTLEMENT_KIND_WORDS) as [SettlementKind, readonly string[]][])
    .map(([kind, words]) => `${KIND_LABEL[kind][lang]}: ${words.join(', ')}`)
    .join('; ');
}

/** Why a value is not a kind, listing the accepted words. */
export function invalidKindMessage(value: unknown): L10n {
  return {
    zh: `交易类型无效："${String(value ?? '')}"（${settlementKindWords('zh')}）`,
    en: `invalid kind "${String(value ?? '')}" (${settlementKindWords('en')})`,
  };
}

/** A kind given by a person (`--kind`, a service option): any accepted word; else a usage error (E7102). */
export function parseSettlementKind(value: unknown): SettlementKind {
  const kind = typeof value === 'string' ? settlementKindOf(value) : null;
  if (kind) return kind;
  throw new CrmError('E7102', invalidKindMessage(value), ExitCode.usage);
}
