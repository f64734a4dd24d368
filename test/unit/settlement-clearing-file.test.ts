import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildClearingFile,
  type ClearingFileRow,
  clearingFileName,
  encodeClearingFile,
  type FileEncoding,
  parseClearingFile,
  parseClearingFileName,
  serializeClearingFile,
  splitRows,
} from '../../src/domain/settlement/clearing-file.js';

const rows: ClearingFileRow[] = [
  { unitCode: '120000', unitName: '天津市财政局', accountClass: '财政授权支付', count: 1, amountFen: 4_500_000 },
  { unitCode: '110000', unitName: '北京市财政局', accountClass: '其他', count: 1, amountFen: 8_880 },
  { unitCode: '110000', unitName: 'A|B\\C 单位', accountClass: '财政授权支付', count: 3, amountFen: 1_722_050 },
];
const base = {
  kind: 'qs' as const,
  voucher: '00001001',
  voucherDate: '2026-11-23',
  pendingDate: '2026-11-20',
  bankCode: '1234',
  sequence: 1,
};
const good = (enc: FileEncoding = 'gbk') =>
  encodeClearingFile(serializeClearingFile(buildClearingFile(base, rows)), enc);

function problemsOf(buf: Buffer, enc: FileEncoding = 'gbk') {
  const r = parseClearingFile(buf, enc);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
}
const edit = (f: (text: string) => string, enc: FileEncoding = 'utf8') =>
  encodeClearingFile(f(serializeClearingFile(buildClearingFile(base, rows))), enc);

describe('clearing file format', () => {
  it('names files qs/tk + MMDDYYYY + bank code + sequence', () => {
    expect(clearingFileName('qs', '2026-11-23', '1234', 1)).toBe('qs11232026123401.txt');
    expect(clearingFileName('tk', '2007-09-22', 'AB12', 12)).toBe('tk09222007AB1212.txt');
    expect(parseClearingFileName('qs11232026123401.txt')).toEqual({
      kind: 'qs',
      voucherDate: '2026-11-23',
      bankCode: '1234',
      sequence: 1,
    });
    expect(parseClearingFileName('qs13232026123401.txt')).toBeNull();
  });

  it('writes the header, sorted detail rows, escapes, CRLF, and parses back (GBK and UTF-8)', () => {
    const text = serializeClearingFile(buildClearingFile(base, rows));
    expect(text).toBe(
      [
        'H|qs|00001001|2026-11-23|2026-11-20|1234|01|3|5|62309.30',
        'D|1|110000|北京市财政局|其他|1|88.80',
        'D|2|110000|A\\|B\\\\C 单位|财政授权支付|3|17220.50',
        'D|3|120000|天津市财政局|财政授权支付|1|45000.00',
        '',
      ].join('\r\n'),
    );
    for (const enc of ['gbk', 'utf8'] as const) {
      const r = parseClearingFile(good(enc), enc);
      expect(r.ok).toBe(true);
      expect(r.ok && r.content.rows[1]?.unitName).toBe('A|B\\C 单位');
    }
    // GBK bytes are not valid UTF-8 here, and the other way round the text differs.
    expect(parseClearingFile(good('gbk'), 'utf8').ok).toBe(false);
  });

  it('splits rows into files of at most maxRows', () => {
    expect(splitRows([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(splitRows([], 499)).toEqual([]);
  });

  it('refuses characters GBK cannot hold instead of writing "?"', () => {
    expect(() => encodeClearingFile('H|😀\r\n', 'gbk')).toThrow(/GBK/);
  });

  it('says which line is wrong for each kind of damage', () => {
    const at = (buf: Buffer) => problemsOf(buf, 'utf8').map((p) => [p.line, p.field ?? null]);
    expect(at(edit((t) => t.replace('|88.80', '|88.81')))).toEqual([[1, 'total']]);
    expect(at(edit((t) => t.replace('|5|62309.30', '|6|62309.30')))).toEqual([[1, 'transactions']]);
    expect(at(edit((t) => t.replace('|01|3|', '|01|4|')))).toEqual([[1, 'rows']]);
    expect(at(edit((t) => t.replace('D|2|', 'D|7|')))).toEqual([[3, 'rowNo']]);
    expect(at(edit((t) => t.replace('|1|45000.00', '|0|45000.00')))[0]).toEqual([4, 'count']);
    expect(at(edit((t) => t.replace('45000.00', '45000.0')))[0]).toEqual([4, 'amount']);
    expect(at(edit((t) => t.replace('2026-11-20', '2026-02-30')))).toEqual([[1, 'pendingDate']]);
    expect(at(edit((t) => t.replace('|qs|', '|xx|')))).toEqual([[1, 'kind']]);
    expect(at(edit((t) => t.replace('|北京市财政局|其他|', '|北京市财政局|其他|extra|')))[0]).toEqual([2, null]);
    // Swapped lines: order and numbering.
    const swapped = edit((t) => {
      const l = t.split('\r\n');
      return [l[0], l[2], l[1], l[3], ''].join('\r\n');
    });
    expect(at(swapped).map(([line]) => line)).toContain(3);
    // Truncated (no final CRLF), bare LF, empty, BOM, needless escape.
    expect(at(edit((t) => t.slice(0, -2)))).toEqual([[0, null]]);
    expect(at(edit((t) => t.replace('\r\nD|3', '\nD|3')))[0]?.[0]).toBe(3);
    expect(at(Buffer.alloc(0))).toEqual([[0, null]]);
    expect(at(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), good('utf8')]))).toEqual([[1, null]]);
    expect(problemsOf(edit((t) => t.replace('北京市财政局', '北京\\市财政局'))).length).toBeGreaterThan(0);
    // A header alone has no detail lines.
    expect(at(edit((t) => `${t.split('\r\n')[0]?.replace('|01|3|5|62309.30', '|01|0|0|0.00')}\r\n`))).toEqual([
      [0, null],
    ]);
  });

  it('fuzz: random bytes never crash and never give ok unless canonical', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom<FileEncoding>('gbk', 'utf8'), (bytes, enc) => {
        const buf = Buffer.from(bytes);
        const r = parseClearingFile(buf, enc);
        // ok means the bytes are exactly what we would write; not ok names at least one problem.
        expect(
          r.ok ? encodeClearingFile(serializeClearingFile(r.content), enc).equals(buf) : r.problems.length > 0,
        ).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('fuzz: mutated good files give an error, or an ok that is exactly consistent', () => {
    const original = good('gbk');
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
      fc.record({
        op: fc.constant('insert' as const),
        at: fc.nat(),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
      }),
      fc.record({ op: fc.constant('digit' as const), at: fc.nat(), digit: fc.integer({ min: 0, max: 9 }) }),
    );
    let consistent = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (muts) => {
        let buf = Buffer.from(original);
        for (const m of muts) {
          const at = buf.length ? m.at % buf.length : 0;
          if (m.op === 'set') buf[at] = m.byte;
          else if (m.op === 'delete') buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + m.len)]);
          else if (m.op === 'insert')
            buf = Buffer.concat([buf.subarray(0, at), Buffer.from(m.bytes), buf.subarray(at)]);
          else {
            // Change a digit somewhere (the most dangerous mutation: a plausible number).
            const digits = [...buf.keys()].filter((i) => buf[i]! >= 0x30 && buf[i]! <= 0x39);
            const i = digits[m.at % Math.max(1, digits.length)];
            if (i !== undefined) buf[i] = 0x30 + m.digit;
          }
        }
        const r = parseClearingFile(buf, 'gbk');
        if (!r.ok) {
          refused++;
          return;
        }
        consistent++;
        // An ok must be self-consistent and canonical: header = sum of rows, bytes = re-serialisation.
        const c = r.content;
        expect(c.header.rowCount).toBe(c.rows.length);
        expect(c.header.txnCount).toBe(c.rows.reduce((s, x) => s + x.count, 0));
        expect(c.header.totalFen).toBe(c.rows.reduce((s, x) => s + x.amountFen, 0));
        expect(encodeClearingFile(serializeClearingFile(c), 'gbk').equals(buf)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    // Both outcomes occur, so the checks of an ok above did run (a fuzzer whose every mutation is refused
    // would pass without checking anything).
    expect(refused).toBeGreaterThan(0);
    expect(consistent).toBeGreaterThan(0);
  });

  it('a changed amount or count is never ok (header checks)', () => {
    const text = serializeClearingFile(buildClearingFile(base, rows));
    const lines = text.split('\r\n');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 99_999 }), (line, delta) => {
        const fields = (lines[line] as string).split('|');
        const amount = Number((fields[6] as string).replace('.', '')) + delta;
        fields[6] = `${String(amount).slice(0, -2) || '0'}.${String(amount).padStart(3, '0').slice(-2)}`;
        const mutated = [...lines];
        mutated[line] = fields.join('|');
        expect(parseClearingFile(Buffer.from(mutated.join('\r\n'), 'utf8'), 'utf8').ok).toBe(false);
      }),
    );
  });
});
