/**
 * The qs/tk clearing file format (docs/clearing-files.md). Pure: build, serialise, encode, parse, check.
 *
 * A file is one header line and one detail line per (first-level unit, account class), CRLF after every
 * line, fields separated by "|", encoded GBK (default) or UTF-8 without BOM:
 *
 *   H|qs|<voucher>|<voucher date>|<pending date>|<bank code>|<sequence>|<rows>|<transactions>|<total>
 *   D|<row no>|<unit code>|<unit name>|<account class>|<count>|<amount>
 *
 * The parser accepts only the canonical form the writer produces, so a file that parses "ok" serialises
 * back to exactly the same bytes, and every count and total in it has been recomputed and checked.
 */
import iconv from 'iconv-lite';
import { isValidDate, toCompactMMDDYYYY } from '../clock.js';
import type { L10n } from '../errors.js';

export type ClearingFileKind = 'qs' | 'tk';
export type FileEncoding = 'gbk' | 'utf8';

export interface ClearingFileHeader {
  kind: ClearingFileKind;
  voucher: string;
  voucherDate: string;
  pendingDate: string;
  bankCode: string;
  sequence: number;
  rowCount: number;
  txnCount: number;
  totalFen: number;
}

export interface ClearingFileRow {
  unitCode: string;
  unitName: string;
  accountClass: string;
  count: number;
  amountFen: number;
}

export interface ClearingFileContent {
  header: ClearingFileHeader;
  rows: ClearingFileRow[];
}

export interface FileProblem {
  /** 1-based line number (0: the file as a whole). */
  line: number;
  field?: string;
  message: L10n;
}

export type ParseResult = { ok: true; content: ClearingFileContent } | { ok: false; problems: FileProblem[] };

export const kindOfTransaction = (kind: 'payment' | 'refund'): ClearingFileKind => (kind === 'payment' ? 'qs' : 'tk');
export const transactionKindOf = (kind: ClearingFileKind): 'payment' | 'refund' =>
  kind === 'qs' ? 'payment' : 'refund';

/** qs|tk + voucher date MMDDYYYY + bank code + 2-digit sequence + .txt, e.g. qs11232026123401.txt. */
export function clearingFileName(
  kind: ClearingFileKind,
  voucherDate: string,
  bankCode: string,
  sequence: number,
): string {
  return `${kind}${toCompactMMDDYYYY(voucherDate)}${bankCode}${String(sequence).padStart(2, '0')}.txt`;
}

const NAME_RE = /^(qs|tk)(\d{2})(\d{2})(\d{4})([0-9A-Za-z]{4})(\d{2})\.txt$/;

/** Splits a file name into its parts, or null when it is not a clearing file name. */
export function parseClearingFileName(
  name: string,
): { kind: ClearingFileKind; voucherDate: string; bankCode: string; sequence: number } | null {
  const m = NAME_RE.exec(name);
  if (!m) return null;
  const date = `${m[4]}-${m[2]}-${m[3]}`;
  if (!isValidDate(date)) return null;
  return { kind: m[1] as ClearingFileKind, voucherDate: date, bankCode: m[5] as string, sequence: Number(m[6]) };
}

/** Stable order of detail rows: unit code, then account class (code-point order). */
export function compareRows(a: ClearingFileRow, b: ClearingFileRow): number {
  if (a.unitCode !== b.unitCode) return a.unitCode < b.unitCode ? -1 : 1;
  if (a.accountClass !== b.accountClass) return a.accountClass < b.accountClass ? -1 : 1;
  return 0;
}

/** Splits sorted rows into files of at most maxRows rows (at least one chunk when rows is non-empty). */
export function splitRows<T>(rows: T[], maxRows: number): T[][] {
  const size = Math.max(1, Math.floor(maxRows));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------------------------

/** Escapes "\" "|" CR and LF so a text field never breaks the line or the field structure. */
export function escapeField(s: string): string {
  return s.replace(/[\\|\r\n]/g, (c) => (c === '\\' ? '\\\\' : c === '|' ? '\\|' : c === '\r' ? '\\r' : '\\n'));
}

/** Splits a line on unescaped "|" and unescapes; null when an escape is malformed. */
export function splitFields(line: string): string[] | null {
  const fields: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      const n = line[i + 1];
      if (n === '\\' || n === '|') cur += n;
      else if (n === 'r') cur += '\r';
      else if (n === 'n') cur += '\n';
      else return null;
      i++;
    } else if (c === '|') {
      fields.push(cur);
      cur = '';
    } else cur += c;
  }
  fields.push(cur);
  return fields;
}

/** "1234.56" from fen (no grouping, two decimals, never negative here). */
export function amountText(fen: number): string {
  const digits = String(fen).padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function parseAmount(s: string): number | null {
  if (!/^(0|[1-9]\d{0,13})\.\d{2}$/.test(s)) return null;
  const v = Number(s.replace('.', ''));
  return Number.isSafeInteger(v) ? v : null;
}

function parseCount(s: string): number | null {
  if (!/^(0|[1-9]\d{0,8})$/.test(s)) return null;
  return Number(s);
}

// ---------------------------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------------------------

export function buildClearingFile(
  base: Omit<ClearingFileHeader, 'rowCount' | 'txnCount' | 'totalFen'>,
  rows: ClearingFileRow[],
): ClearingFileContent {
  const sorted = [...rows].sort(compareRows);
  let txnCount = 0;
  let totalFen = 0;
  for (const r of sorted) {
    txnCount += r.count;
    totalFen += r.amountFen;
  }
  if (!Number.isSafeInteger(totalFen)) throw new Error('clearing file total overflows');
  return { header: { ...base, rowCount: sorted.length, txnCount, totalFen }, rows: sorted };
}

/** The text of the file (CRLF line endings, one after every line). */
export function serializeClearingFile(content: ClearingFileContent): string {
  const h = content.header;
  const lines = [
    [
      'H',
      h.kind,
      h.voucher,
      h.voucherDate,
      h.pendingDate,
      h.bankCode,
      String(h.sequence).padStart(2, '0'),
      String(h.rowCount),
      String(h.txnCount),
      amountText(h.totalFen),
    ].join('|'),
    ...content.rows.map((r, i) =>
      [
        'D',
        String(i + 1),
        escapeField(r.unitCode),
        escapeField(r.unitName),
        escapeField(r.accountClass),
        String(r.count),
        amountText(r.amountFen),
      ].join('|'),
    ),
  ];
  return lines.map((l) => `${l}\r\n`).join('');
}

/** Text to bytes. GBK cannot hold every character: an unencodable one is an error, never a silent "?". */
export function encodeClearingFile(text: string, encoding: FileEncoding): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  const buf = iconv.encode(text, 'gbk');
  if (iconv.decode(buf, 'gbk') !== text) {
    const bad = [...text].find((ch) => iconv.decode(iconv.encode(ch, 'gbk'), 'gbk') !== ch) ?? '?';
    throw new Error(
      `character "${bad}" (U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase()}) cannot be encoded in GBK`,
    );
  }
  return buf;
}

// ---------------------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------------------

const problem = (line: number, zh: string, en: string, field?: string): FileProblem => ({
  line,
  field,
  message: { zh, en },
});

function decode(buf: Buffer, encoding: FileEncoding): string | null {
  if (encoding === 'utf8') {
    const text = buf.toString('utf8');
    return Buffer.from(text, 'utf8').equals(buf) ? text : null;
  }
  const text = iconv.decode(buf, 'gbk');
  return iconv.encode(text, 'gbk').equals(buf) && !text.includes('\uFFFD') ? text : null;
}

/**
 * Parses and checks a file: structure, every field, row numbering and order, and the header's row count,
 * transaction count and total against the detail rows. Never throws; returns the problems with lines.
 */
export function parseClearingFile(buf: Buffer, encoding: FileEncoding): ParseResult {
  const problems: FileProblem[] = [];
  const fail = (p: FileProblem): ParseResult => ({ ok: false, problems: [...problems, p] });
  if (buf.length === 0) return fail(problem(0, '文件为空', 'the file is empty'));
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return fail(problem(1, '文件不应有 BOM', 'the file must not start with a byte-order mark'));
  const text = decode(buf, encoding);
  if (text === null) {
    return fail(
      problem(0, `文件不是有效的 ${encoding.toUpperCase()} 编码`, `the file is not valid ${encoding.toUpperCase()}`),
    );
  }
  if (!text.endsWith('\r\n'))
    return fail(problem(0, '文件须以 CRLF 结尾（可能被截断）', 'the file must end with CRLF (truncated?)'));
  const lines = text.slice(0, -2).split('\r\n');
  for (let i = 0; i < lines.length; i++) {
    if (/[\r\n]/.test(lines[i] ?? ''))
      return fail(problem(i + 1, '行尾须为 CRLF', 'lines must end with CRLF (found a bare CR or LF)'));
    if (/[\u0000-\u001f\u007f]/.test(lines[i] ?? ''))
      return fail(problem(i + 1, '含有控制字符', 'the line contains a control character'));
  }

  // Header
  const hf = splitFields(lines[0] ?? '');
  if (hf?.length !== 10 || hf[0] !== 'H') {
    return fail(problem(1, '首行须为 10 个字段的表头（H|…）', 'line 1 must be the header with 10 fields (H|…)'));
  }
  const [, kind, voucher, voucherDate, pendingDate, bankCode, seqText, rowText, txnText, totalText] = hf as string[];
  const bad = (field: string, zh: string, en: string) => problems.push(problem(1, zh, en, field));
  if (kind !== 'qs' && kind !== 'tk') bad('kind', `文件类型无效：${kind}`, `invalid file kind "${kind}"`);
  if (!/^\d{1,32}$/.test(voucher ?? ''))
    bad('voucher', `凭证编号无效：${voucher}`, `invalid voucher number "${voucher}"`);
  if (!isValidDate(voucherDate ?? ''))
    bad('voucherDate', `凭证日期无效：${voucherDate}`, `invalid voucher date "${voucherDate}"`);
  if (!isValidDate(pendingDate ?? ''))
    bad('pendingDate', `待清算日期无效：${pendingDate}`, `invalid pending date "${pendingDate}"`);
  if (!/^[0-9A-Za-z]{4}$/.test(bankCode ?? ''))
    bad('bankCode', `银行代码无效：${bankCode}`, `invalid bank code "${bankCode}"`);
  if (!/^(0[1-9]|[1-9]\d)$/.test(seqText ?? ''))
    bad('sequence', `序号无效：${seqText}`, `invalid sequence "${seqText}"`);
  const rowCount = parseCount(rowText ?? '');
  const txnCount = parseCount(txnText ?? '');
  const totalFen = parseAmount(totalText ?? '');
  if (rowCount === null) bad('rows', `明细行数无效：${rowText}`, `invalid row count "${rowText}"`);
  if (txnCount === null) bad('transactions', `交易笔数无效：${txnText}`, `invalid transaction count "${txnText}"`);
  if (totalFen === null) bad('total', `合计金额无效：${totalText}`, `invalid total "${totalText}"`);

  // Detail rows
  const rows: ClearingFileRow[] = [];
  let sumCount = 0;
  let sumFen = 0;
  for (let i = 1; i < lines.length; i++) {
    const no = i + 1;
    const f = splitFields(lines[i] ?? '');
    if (f?.length !== 7 || f[0] !== 'D') {
      problems.push(problem(no, '明细行须为 7 个字段（D|…）', 'a detail line must have 7 fields (D|…)'));
      continue;
    }
    const [, rowNo, unitCode, unitName, accountClass, countText, amountTextValue] = f as string[];
    if (rowNo !== String(i))
      problems.push(
        problem(no, `行号应为 ${i}，实为 ${rowNo}`, `row number should be ${i}, found "${rowNo}"`, 'rowNo'),
      );
    if (!unitCode || unitCode.length > 64 || unitCode.trim() !== unitCode)
      problems.push(problem(no, `单位编码无效：${unitCode}`, `invalid unit code "${unitCode}"`, 'unitCode'));
    if (!unitName || unitName.length > 200) problems.push(problem(no, '单位名称无效', 'invalid unit name', 'unitName'));
    if (!accountClass || accountClass.length > 32)
      problems.push(problem(no, '账户分类无效', 'invalid account class', 'accountClass'));
    const count = parseCount(countText ?? '');
    const amount = parseAmount(amountTextValue ?? '');
    if (count === null || count < 1)
      problems.push(problem(no, `笔数无效：${countText}`, `invalid count "${countText}"`, 'count'));
    if (amount === null || amount <= 0)
      problems.push(problem(no, `金额无效：${amountTextValue}`, `invalid amount "${amountTextValue}"`, 'amount'));
    const row: ClearingFileRow = {
      unitCode: unitCode ?? '',
      unitName: unitName ?? '',
      accountClass: accountClass ?? '',
      count: count ?? 0,
      amountFen: amount ?? 0,
    };
    const prev = rows.at(-1);
    if (prev && compareRows(prev, row) >= 0) {
      problems.push(
        problem(
          no,
          '明细行须按单位编码、账户分类升序排列且不重复',
          'detail lines must be sorted by unit code and account class, without duplicates',
          'order',
        ),
      );
    }
    rows.push(row);
    sumCount += row.count;
    sumFen += row.amountFen;
  }
  if (rows.length === 0) problems.push(problem(0, '文件没有明细行', 'the file has no detail lines'));
  if (rowCount !== null && rowCount !== rows.length)
    problems.push(
      problem(
        1,
        `表头行数 ${rowCount} 与明细行数 ${rows.length} 不符`,
        `header says ${rowCount} rows, the file has ${rows.length}`,
        'rows',
      ),
    );
  if (txnCount !== null && txnCount !== sumCount)
    problems.push(
      problem(
        1,
        `表头笔数 ${txnCount} 与明细合计 ${sumCount} 不符`,
        `header says ${txnCount} transactions, the rows add up to ${sumCount}`,
        'transactions',
      ),
    );
  if (totalFen !== null && totalFen !== sumFen)
    problems.push(
      problem(
        1,
        `表头金额 ${totalText} 与明细合计 ${amountText(sumFen)} 不符`,
        `header total ${totalText} differs from the rows' sum ${amountText(sumFen)}`,
        'total',
      ),
    );
  if (problems.length > 0) return { ok: false, problems };
  const content: ClearingFileContent = {
    header: {
      kind: kind as ClearingFileKind,
      voucher: voucher as string,
      voucherDate: voucherDate as string,
      pendingDate: pendingDate as string,
      bankCode: bankCode as string,
      sequence: Number(seqText),
      rowCount: rowCount as number,
      txnCount: txnCount as number,
      totalFen: totalFen as number,
    },
    rows,
  };
  // Only the canonical form is accepted (e.g. no needless escapes): re-serialising must give the same text.
  if (serializeClearingFile(content) !== text)
    return fail(
      problem(0, '文件不是规范格式（多余的转义等）', 'the file is not in canonical form (needless escapes?)'),
    );
  return { ok: true, content };
}
