import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrmError, ExitCode } from '../../src/domain/errors.js';
import {
  addFen,
  formatYuan,
  lineSubtotalFen,
  parseFen,
  parseYuan,
  sumFen,
  yuanString,
} from '../../src/domain/money.js';

/** Runs fn and returns the CrmError it throws (fails the test if it does not throw one). */
function crmErrorOf(fn: () => unknown): CrmError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CrmError) return e;
    throw e;
  }
  throw new Error('expected a CrmError');
}

describe('parseYuan', () => {
  it.each([
    ['0', 0],
    ['0.00', 0],
    ['1', 100],
    ['1234.5', 123450],
    ['1234.56', 123456],
    ['1,234.56', 123456],
    ['1,234,567.89', 123456789],
    ['¥1,234.56', 123456],
    ['￥1,234.56', 123456],
    ['RMB 12', 1200],
    ['rmb12.3', 1230],
    ['１２３４．５６', 123456],
    ['１，２３４．５', 123450],
    ['  12.05  ', 1205],
    ['\u300012\u3000', 1200],
    ['+7.01', 701],
    ['007.10', 710],
    ['0.01', 1],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
  ])('parses %j as %d fen', (input, fen) => {
    expect(parseYuan(input)).toBe(fen);
  });

  it('accepts negatives only with allowNegative, sign before or after the currency marker', () => {
    expect(parseYuan('-12.50', { allowNegative: true })).toBe(-1250);
    expect(parseYuan('-¥1,000', { allowNegative: true })).toBe(-100000);
    expect(parseYuan('¥-0.5', { allowNegative: true })).toBe(-50);
    expect(parseYuan('－１．５', { allowNegative: true })).toBe(-150);
    expect(parseYuan('-90071992547409.91', { allowNegative: true })).toBe(-Number.MAX_SAFE_INTEGER);
    const err = crmErrorOf(() => parseYuan('-12.50'));
    expect(err.code).toBe('E1001');
    expect(err.messages.en).toContain('"-12.50"');
    expect(err.messages.en).toContain('negative');
  });

  it('never returns negative zero', () => {
    expect(Object.is(parseYuan('-0.00', { allowNegative: true }), 0)).toBe(true);
    expect(Object.is(parseYuan('-0'), 0)).toBe(true);
  });

  it('rejects zero when allowZero is false', () => {
    const err = crmErrorOf(() => parseYuan('0.00', { allowZero: false }));
    expect(err.code).toBe('E1001');
    expect(err.messages.zh).toContain('不能为零');
    expect(parseYuan('0.01', { allowZero: false })).toBe(1);
  });

  it('reports more than two decimals with the documented wording', () => {
    const err = crmErrorOf(() => parseYuan('1.234'));
    expect(err).toMatchObject({ code: 'E1001', exitCode: ExitCode.usage });
    expect(err.messages.zh).toBe('金额格式不正确: "1.234"（最多两位小数）');
    expect(err.messages.en).toBe('invalid amount "1.234": at most two decimals');
    expect(err.hint?.en).toMatch(/two decimals/);
  });

  it('names the field when given', () => {
    const err = crmErrorOf(() => parseYuan('abc', { field: '--amount' }));
    expect(err.messages.en).toContain('--amount');
    expect(err.messages.en).toContain('"abc"');
    expect(err.messages.zh).toContain('--amount');
  });

  it.each([
    '',
    '   ',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e3',
    '1E-2',
    '1.234',
    '1,23.4',
    '12,34',
    ',123',
    '1,,234',
    '1234,567',
    '.5',
    '12.',
    '1.2.3',
    '12a',
    'abc',
    '¥',
    'RMB',
    '--5',
    '+-5',
    '0x10',
    '1 234',
    '12元',
    '90071992547409.92',
    '99999999999999999999',
  ])('rejects %j with E1001', (input) => {
    const err = crmErrorOf(() => parseYuan(input, { allowNegative: true }));
    expect(err.code).toBe('E1001');
    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.messages.en).toContain(`"${input}"`);
  });

  it('explains bad grouping and exponents specifically', () => {
    expect(crmErrorOf(() => parseYuan('1,23.4')).messages.en).toContain('three digits');
    expect(crmErrorOf(() => parseYuan('1e3')).messages.en).toContain('exponent');
    expect(crmErrorOf(() => parseYuan('')).messages.en).toContain('empty');
    expect(crmErrorOf(() => parseYuan('99999999999999999999')).messages.en).toContain('too large');
  });
});

describe('parseFen', () => {
  it.each<[unknown, number]>([
    [null, 0],
    [0, 0],
    [-0, 0],
    [123, 123],
    [-45, -45],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    [123n, 123],
    [-9007199254740991n, -Number.MAX_SAFE_INTEGER],
    ['123', 123],
    ['-123', -123],
    ['123.0000', 123],
    ['0.00', 0],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('accepts %s', (value, fen) => {
    expect(Object.is(parseFen(value), fen)).toBe(true);
  });

  it.each<[unknown]>([
    [undefined],
    [1.5],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [2 ** 53],
    [9007199254740992n],
    ['9007199254740992'],
    ['123.5'],
    ['123.0001'],
    ['1e3'],
    [''],
    ['abc'],
    [true],
    [{}],
    [[1]],
  ])('rejects %s', (value) => {
    const err = crmErrorOf(() => parseFen(value));
    expect(err.code).toBe('E1005');
    expect(err.exitCode).toBe(ExitCode.error);
  });
});

describe('addFen / sumFen', () => {
  it('adds integers', () => {
    expect(addFen()).toBe(0);
    expect(addFen(1, 2, 3)).toBe(6);
    expect(addFen(100, -250)).toBe(-150);
    expect(sumFen([10, 20, 30])).toBe(60);
    expect(sumFen(new Set([1, 2]))).toBe(3);
    expect(
      sumFen(
        (function* () {
          yield 5;
          yield 6;
        })(),
      ),
    ).toBe(11);
  });

  it('sums 0.1 + 0.2 yuan exactly (as fen)', () => {
    expect(addFen(parseYuan('0.1'), parseYuan('0.2'))).toBe(parseYuan('0.3'));
  });

  it('throws on overflow and on non-integer operands', () => {
    expect(crmErrorOf(() => addFen(Number.MAX_SAFE_INTEGER, 1)).code).toBe('E1006');
    expect(crmErrorOf(() => sumFen([-Number.MAX_SAFE_INTEGER, -1])).code).toBe('E1006');
    expect(crmErrorOf(() => addFen(1.5)).code).toBe('E1006');
    expect(crmErrorOf(() => addFen(Number.NaN)).code).toBe('E1006');
    expect(addFen(Number.MAX_SAFE_INTEGER, -1, 1)).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('lineSubtotalFen', () => {
  it.each<[string | number, number, string | number, number]>([
    ['1', 10000, '0', 10000],
    [2, 1999, 0, 3998],
    ['2.5', 1999, '0', 4998], // 4997.5 → half up
    ['2.5', 1999, '12.5', 4373], // 4372.8125
    ['0.001', 1, '0', 0], // 0.001 fen
    ['0.5', 1, '0', 1], // exactly half → up
    ['3', 333, '33.33', 666], // 999 × 0.6667 = 666.0333
    ['1', 100, '99.99', 0], // 0.01 fen
    ['1', 5000, '99.99', 1], // 0.5 fen → up
    [1.5, 100, 10, 135],
    ['1', -1999, '50', -1000], // -999.5 → away from zero
    ['1', 0, '0', 0],
  ])('qty %j × %d fen, %j%% off = %d', (qty, price, discount, expected) => {
    expect(lineSubtotalFen(qty, price, discount)).toBe(expected);
  });

  it('matches exact rational arithmetic on random inputs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 9999 }),
        (qtyMilli, price, discountCenti) => {
          const qty = `${Math.floor(qtyMilli / 1000)}.${String(qtyMilli % 1000).padStart(3, '0')}`;
          const disc = `${Math.floor(discountCenti / 100)}.${String(discountCenti % 100).padStart(2, '0')}`;
          const num = BigInt(qtyMilli) * BigInt(price) * BigInt(10000 - discountCenti);
          const den = 10_000_000n;
          const expected = Number((num * 2n + den) / (2n * den));
          expect(lineSubtotalFen(qty, price, disc)).toBe(expected);
        },
      ),
    );
  });

  it.each<[string | number]>([['0'], [0], ['-1'], ['1.2345'], ['abc'], [''], [Number.NaN], [0.1 + 0.2], ['1e2']])(
    'rejects quantity %j',
    (qty) => {
      const err = crmErrorOf(() => lineSubtotalFen(qty, 100, 0));
      expect(err).toMatchObject({ code: 'E1007', exitCode: ExitCode.usage });
      expect(err.messages.en).toContain('quantity');
    },
  );

  it.each<[string | number]>([['100'], [100], ['-1'], ['12.345'], ['x'], [150]])('rejects discount %j', (discount) => {
    const err = crmErrorOf(() => lineSubtotalFen(1, 100, discount));
    expect(err).toMatchObject({ code: 'E1007', exitCode: ExitCode.usage });
    expect(err.messages.en).toContain('discount');
  });

  it('rejects a non-integer unit price and an overflowing result', () => {
    expect(crmErrorOf(() => lineSubtotalFen(1, 1.5, 0)).code).toBe('E1007');
    expect(crmErrorOf(() => lineSubtotalFen(2, Number.MAX_SAFE_INTEGER, 0)).code).toBe('E1006');
  });
});

describe('formatYuan / yuanString', () => {
  it.each([
    [0, '0.00', '0.00'],
    [1, '0.01', '0.01'],
    [10, '0.10', '0.10'],
    [100, '1.00', '1.00'],
    [123456, '1,234.56', '1234.56'],
    [-123456, '-1,234.56', '-1234.56'],
    [-5, '-0.05', '-0.05'],
    [100000000, '1,000,000.00', '1000000.00'],
    [99999, '999.99', '999.99'],
    [Number.MAX_SAFE_INTEGER, '90,071,992,547,409.91', '90071992547409.91'],
  ])('%d fen → %s / %s', (fen, grouped, plain) => {
    expect(formatYuan(fen)).toBe(grouped);
    expect(formatYuan(fen, { grouping: true })).toBe(grouped);
    expect(formatYuan(fen, { grouping: false })).toBe(plain);
    expect(yuanString(fen)).toBe(plain);
  });

  it('rejects non-integer fen', () => {
    expect(crmErrorOf(() => formatYuan(1.5)).code).toBe('E1006');
    expect(crmErrorOf(() => yuanString(Number.NaN)).code).toBe('E1006');
    expect(crmErrorOf(() => yuanString(2 ** 53)).code).toBe('E1006');
  });
});

describe('round trips (property)', () => {
  const safeFen = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

  it('parseYuan(yuanString(n)) === n', () => {
    fc.assert(
      fc.property(safeFen, (n) => {
        expect(parseYuan(yuanString(n), { allowNegative: true })).toBe(n);
      }),
    );
  });

  it('parseYuan(formatYuan(n)) === n, including with a currency marker', () => {
    fc.assert(
      fc.property(safeFen, (n) => {
        expect(parseYuan(formatYuan(n), { allowNegative: true })).toBe(n);
        expect(parseYuan(`¥${formatYuan(n)}`, { allowNegative: true })).toBe(n);
      }),
    );
  });

  it('yuanString always has exactly two decimals and no grouping', () => {
    fc.assert(
      fc.property(safeFen, (n) => {
        expect(yuanString(n)).toMatch(/^-?(0|[1-9]\d*)\.\d{2}$/);
      }),
    );
  });

  it('parseFen accepts what the database would return for any safe fen', () => {
    fc.assert(
      fc.property(safeFen, (n) => {
        expect(parseFen(n)).toBe(n);
        expect(parseFen(String(n))).toBe(n);
        expect(parseFen(`${n}.0000`)).toBe(n);
        expect(parseFen(BigInt(n))).toBe(n);
      }),
    );
  });
});
