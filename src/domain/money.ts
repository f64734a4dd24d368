/**
 * Money is handled as integer fen (分, 1/100 yuan) stored in a JS `number` that is always a safe integer.
 * Nothing in this module does floating-point arithmetic on amounts: parsing works on the digit string,
 * products use BigInt, and formatting slices the digit string.
 */
import { CrmError, ExitCode, type L10n } from './errors.js';

const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_FEN = -MAX_FEN;

export type ParseYuanOptions = {
  /** Accept amounts below zero (default false). */
  allowNegative?: boolean;
  /** Accept exactly zero (default true). */
  allowZero?: boolean;
  /** Name of the field/option being parsed, used in error messages (e.g. "--amount"). */
  field?: string;
};

/** Full-width forms commonly typed with Chinese IMEs, mapped to their ASCII equivalents. */
function toHalfWidth(input: string): string {
  return input
    .replace(/[\uFF10-\uFF19]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/\uFF0C/g, ',') // ，
    .replace(/\uFF0E/g, '.') // ．
    .replace(/\uFF0B/g, '+') // ＋
    .replace(/[\uFF0D\u2212]/g, '-') // － and the typographic minus sign
    .replace(/\u3000/g, ' '); // ideographic space
}

function amountError(input: string, field: string | undefined, reason: L10n): CrmError {
  const zhField = field ? `${field} ` : '';
  const enField = field ? ` for ${field}` : '';
  return new CrmError(
    'E1001',
    {
      zh: `${zhField}金额格式不正确: "${input}"（${reason.zh}）`,
      en: `invalid amount${enField} "${input}": ${reason.en}`,
    },
    ExitCode.usage,
    {
      zh: '金额以元为单位，最多两位小数，例如 1234.56、1,234.56 或 ¥1,234.56',
      en: 'give the amount in yuan with at most two decimals, e.g. 1234.56, 1,234.56 or ¥1,234.56',
    },
  );
}

/**
 * Parses a yuan amount typed by a person (CLI argument, CSV cell) into fen.
 *
 * Accepted: `1234.5`, `1234.56`, `1,234.56`, `¥1,234.56`, `￥1,234.56`, `RMB 12`, full-width digits and
 * punctuation (`１２３４．５６`), surrounding spaces, a leading `+`, and a leading `-` when allowNegative.
 * The sign may come before or after the currency marker (`-¥12.50`, `¥-12.50`).
 * Rejected: empty input, NaN/Infinity, exponents, more than two decimals, bad thousands grouping (`1,23.4`),
 * a bare decimal point (`.5`, `12.`), any other character, and amounts beyond Number.MAX_SAFE_INTEGER fen.
 */
/** Digits with an optional dot and one or two decimals, at most 13 integer digits (so well below 2^53 fen). */
const PLAIN_AMOUNT = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/** The fen of a plain positive amount (`1234.56`), exact in integer arithmetic; else undefined (zero included). */
function plainPositiveFen(text: string): number | undefined {
  const m = PLAIN_AMOUNT.exec(text);
  if (!m) return undefined;
  const fraction = m[2] ?? '';
  const fen =
    Number(m[1]) * 100 + (fraction.length === 0 ? 0 : fraction.length === 1 ? Number(fraction) * 10 : Number(fraction));
  return fen > 0 ? fen : undefined;
}

export function parseYuan(input: string, opts: ParseYuanOptions = {}): number {
  // The common case first (imports call this once per row): a plain positive amount needs none of the checks below.
  const plain = plainPositiveFen(input);
  if (plain !== undefined) return plain;
  const { allowNegative = false, allowZero = true, field } = opts;
  const fail = (zh: string, en: string) => amountError(input, field, { zh, en });

  let s = toHalfWidth(String(input)).trim();
  if (s === '') throw fail('金额为空', 'amount is empty');

  let negative = false;
  const takeSign = () => {
    const sign = s[0];
    if (sign === '+' || sign === '-') {
      negative = sign === '-';
      s = s.slice(1).trimStart();
      return true;
    }
    return false;
  };
  const hadSign = takeSign();
  const currency = /^(?:¥|￥|RMB)\s*/i.exec(s);
  if (currency) {
    s = s.slice(currency[0].length);
    if (!hadSign) takeSign();
  }

  if (/^(?:nan|[+-]?infinity)$/i.test(s)) throw fail('不是有限数值', 'not a finite number');
  if (/^[\d.,]+e[+-]?\d+$/i.test(s)) throw fail('不接受科学计数法', 'exponent notation is not accepted');
  if (!/^[\d.,]+$/.test(s))
    throw fail('只能包含数字、千分位逗号和小数点', 'only digits, thousands commas and a decimal point are allowed');

  const match = /^([\d,]+)(?:\.(\d+))?$/.exec(s);
  if (!match) throw fail('小数点位置不正确', 'misplaced decimal point');
  const intGroup = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (intGroup.includes(',') && !/^\d{1,3}(?:,\d{3})+$/.test(intGroup)) {
    throw fail('千分位逗号位置不正确', 'thousands separators must group exactly three digits');
  }
  if (fraction.length > 2) throw fail('最多两位小数', 'at most two decimals');

  const intDigits = intGroup.replace(/,/g, '');
  const magnitude = BigInt(intDigits) * 100n + BigInt(fraction.padEnd(2, '0'));
  if (magnitude > MAX_FEN) throw fail('超出可处理的最大金额', 'amount is too large');

  if (magnitude === 0n) {
    if (!allowZero) throw fail('金额不能为零', 'amount must not be zero');
    return 0; // never -0
  }
  if (negative && !allowNegative) throw fail('金额不能为负数', 'amount must not be negative');
  return Number(negative ? -magnitude : magnitude);
}

function dbValueError(value: unknown): CrmError {
  let shown: string;
  try {
    shown = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
  } catch {
    shown = String(value);
  }
  return new CrmError(
    'E1005',
    {
      zh: `数据库返回的金额无效: ${shown}（应为整数分）`,
      en: `invalid amount from the database: ${shown} (expected an integer number of fen)`,
    },
    ExitCode.error,
  );
}

/**
 * Converts a fen value read from a database into a safe-integer number.
 *
 * Accepts a safe-integer number, a bigint within the safe range, or an integer string (mysql2 with
 * `bigNumberStrings` returns BIGINT as "123" and SUM() as DECIMAL like "123.0000", so a fraction of
 * only zeros is accepted). `null` (SUM over no rows) is 0. Anything else throws E1005.
 */
export function parseFen(value: unknown): number {
  if (value === null) return 0;
  let big: bigint;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw dbValueError(value);
    return value === 0 ? 0 : value; // normalise -0
  } else if (typeof value === 'bigint') {
    big = value;
  } else if (typeof value === 'string') {
    const m = /^\s*([+-]?\d+)(?:\.0*)?\s*$/.exec(value);
    if (!m?.[1]) throw dbValueError(value);
    big = BigInt(m[1]);
  } else {
    throw dbValueError(value);
  }
  if (big > MAX_FEN || big < MIN_FEN) throw dbValueError(value);
  return Number(big);
}

function overflowError(what: string): CrmError {
  return new CrmError(
    'E1006',
    {
      zh: `金额计算溢出: ${what} 超出安全整数范围`,
      en: `amount overflow: ${what} is outside the safe integer range`,
    },
    ExitCode.error,
  );
}

function assertFen(value: number, label: string): void {
  if (!Number.isSafeInteger(value)) throw overflowError(`${label} ${value}`);
}

/** Sums fen amounts; throws E1006 if an input or the running total is not a safe integer. */
export function sumFen(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) {
    assertFen(v, 'operand');
    total += v;
    // Safe integers have |v| < 2^53, so an unsafe sum is detected right after the step that caused it
    // (the float result is then >= 2^53 in magnitude, never silently rounded back into range).
    if (!Number.isSafeInteger(total)) throw overflowError('sum');
  }
  return total === 0 ? 0 : total;
}

/** Adds fen amounts with the same checks as sumFen. */
export function addFen(...values: number[]): number {
  return sumFen(values);
}

/**
 * Reads a non-negative decimal (number or string) as a scaled BigInt: value × 10^decimals.
 * Numbers are converted with String(), so 2.5 → "2.5"; a float artefact like 0.30000000000000004 is
 * rejected as having too many decimals rather than silently rounded.
 */
function scaledDecimal(value: string | number, decimals: number): bigint | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  const s = String(value).trim();
  const m = /^\+?(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m?.[1]) return undefined;
  const fraction = m[2] ?? '';
  if (fraction.length > decimals) return undefined;
  return BigInt(m[1]) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

function lineInputError(zh: string, en: string): CrmError {
  return new CrmError('E1007', { zh, en }, ExitCode.usage);
}

/**
 * Subtotal of an order line in fen: quantity × unitPrice × (1 − discount/100), rounded half away from
 * zero to the fen exactly once at the end. Everything is exact rational arithmetic in BigInt.
 *
 * @param quantity > 0, up to 3 decimals (e.g. "2.5")
 * @param unitPriceFen a safe integer (negative is allowed for credit lines; rounding is symmetric)
 * @param discountPercent 0 ≤ discount < 100, up to 2 decimals (e.g. "12.5")
 */
export function lineSubtotalFen(
  quantity: string | number,
  unitPriceFen: number,
  discountPercent: string | number,
): number {
  const qty = scaledDecimal(quantity, 3); // quantity × 1000
  if (qty === undefined || qty === 0n) {
    throw lineInputError(
      `数量无效: "${quantity}"（应大于 0，最多三位小数）`,
      `invalid quantity "${quantity}": must be greater than 0 with at most three decimals`,
    );
  }
  if (!Number.isSafeInteger(unitPriceFen)) {
    throw lineInputError(
      `单价无效: ${unitPriceFen}（应为整数分）`,
      `invalid unit price ${unitPriceFen}: expected integer fen`,
    );
  }
  const discount = scaledDecimal(discountPercent, 2); // percent × 100, so 100% = 10000
  if (discount === undefined || discount >= 10000n) {
    throw lineInputError(
      `折扣无效: "${discountPercent}"（应在 0 到 100 之间且小于 100，最多两位小数）`,
      `invalid discount "${discountPercent}": must be at least 0 and below 100, with at most two decimals`,
    );
  }

  // fen = qty/1000 × price × (10000 − discount)/10000
  const numerator = qty * BigInt(unitPriceFen) * (10000n - discount);
  const denominator = 1000n * 10000n;
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  // Half-up on the magnitude: floor((2·abs + den) / (2·den)).
  const rounded = (2n * abs + denominator) / (2n * denominator);
  const result = negative ? -rounded : rounded;
  if (result > MAX_FEN || result < MIN_FEN) throw overflowError('line subtotal');
  return result === 0n ? 0 : Number(result);
}

function splitFen(fen: number, fnName: string): { sign: string; yuan: string; cents: string } {
  if (!Number.isSafeInteger(fen)) {
    throw new CrmError('E1006', {
      zh: `${fnName}: 金额不是整数分: ${fen}`,
      en: `${fnName}: amount is not integer fen: ${fen}`,
    });
  }
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return {
    sign: fen < 0 ? '-' : '',
    yuan: digits.slice(0, -2),
    cents: digits.slice(-2),
  };
}

/** Formats fen for people: `1,234.56` (grouping on by default), `-1,234.56` for negatives. */
export function formatYuan(fen: number, opts: { grouping?: boolean } = {}): string {
  const { sign, yuan, cents } = splitFen(fen, 'formatYuan');
  const grouped = opts.grouping === false ? yuan : yuan.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${sign}${grouped}.${cents}`;
}

/** The JSON contract format: `"1234.56"` — no grouping, always two decimals, `-` for negatives. */
export function yuanString(fen: number): string {
  return formatYuan(fen, { grouping: false });
}
