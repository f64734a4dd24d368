import { createHash } from 'node:crypto';
import fs from 'node:fs';
import iconv from 'iconv-lite';
import { CrmError, ExitCode, type L10n } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import type { EncodingOption, FileEncoding } from '../encoding.js';
import { fileProblem } from '../file-problem.js';

export type { EncodingOption } from '../encoding.js';
export { parseEncoding } from '../encoding.js';
export type DetectedEncoding = FileEncoding;

/** One CSV record with the 1-based physical line it starts on (the header is line 1). */
export interface SourceRecord {
  line: number;
  cells: string[];
}

export function unreadable(file: string, reason: L10n | string, hint?: L10n): CrmError {
  const why = typeof reason === 'string' ? { zh: reason, en: reason } : reason;
  return new CrmError(
    'E3102',
    { zh: `无法读取文件 ${file}：${why.zh}`, en: `cannot read ${file}: ${why.en}` },
    ExitCode.unreadable,
    hint,
  );
}

/**
 * Decide the encoding from the first bytes: a UTF-8 BOM wins; else the sample must be valid UTF-8
 * (an incomplete sequence cut at the end of the sample is allowed); else GBK (decoded as GB18030, its superset).
 */
export function detectEncoding(sample: Buffer): DetectedEncoding {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf8';
  } catch {
    return 'gbk';
  }
}

/**
 * Bytes in, text out: hashes the raw bytes (SHA-256 of the file as stored), counts them for progress,
 * detects the encoding on the first chunk, strips a BOM, and decodes incrementally (a multi-byte
 * character split across chunks is handled by the streaming decoders).
 */
class Decoder {
  readonly hash = createHash('sha256');
  bytes = 0;
  encoding: DetectedEncoding | null;
  private utf8: TextDecoder | null = null;
  private gbk: ReturnType<typeof iconv.getDecoder> | null = null;
  private first = true;

  constructor(
    option: EncodingOption,
    private readonly file: string,
  ) {
    this.encoding = option === 'auto' ? null : option;
  }

  write(chunk: Buffer): string {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    let buf = chunk;
    if (this.first) {
      this.first = false;
      this.encoding ??= detectEncoding(buf);
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      if (this.encoding === 'utf8') this.utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
      else this.gbk = iconv.getDecoder('gb18030');
    }
    try {
      return this.utf8 ? this.utf8.decode(buf, { stream: true }) : this.gbk!.write(buf);
    } catch {
      throw unreadable(
        this.file,
        m(
          `第 ${this.bytes - chunk.length} 字节附近不是有效的 UTF-8`,
          `not valid UTF-8 near byte ${this.bytes - chunk.length}`,
        ),
        {
          zh: '若文件是 GBK 编码，请加 --encoding gbk',
          en: 'if the file is GBK-encoded, pass --encoding gbk',
        },
      );
    }
  }

  end(): string {
    if (this.first) return '';
    try {
      return this.utf8 ? this.utf8.decode() : (this.gbk?.end() ?? '');
    } catch {
      throw unreadable(this.file, m('文件在一个 UTF-8 字符的中间结束', 'the file ends inside a UTF-8 character'));
    }
  }
}

class CsvSyntaxError extends Error {}

const QUOTE = 34; // "
const COMMA = 44; // ,
const CR = 13;
const LF = 10;

/**
 * An incremental CSV splitter with csv-parse's semantics for the options this engine used
 * (`relax_column_count`, `relax_quotes`, no trimming, records kept when empty): the record delimiter is
 * discovered at the first line break outside quotes (CRLF, LF or CR) and only that one ends records from then
 * on; `""` inside a quoted field is a quote; a quote inside an unquoted field is an ordinary character; a
 * closing quote followed by anything but a delimiter keeps the field as written (quotes included); a quote
 * still open at the end of the file is an error. Written for speed: a line without any quote is one split().
 *
 * Physical lines: a record starts on the line after the previous one ended and spans one line plus the line
 * feeds inside its quoted fields (as the engine always counted).
 */
export class CsvSplitter {
  private rest = '';
  private delim: string | null = null;
  private nextLine = 1;

  /** Split the complete records of `text` (after what was left over) into `out`; `final` at the end of input. */
  push(text: string, out: SourceRecord[], final = false): void {
    const s = this.rest.length ? this.rest + text : text;
    const len = s.length;
    let pos = 0;
    let quoteAt = -2; // next quote at or after pos (-1: none in s), recomputed lazily
    while (pos < len) {
      if (this.delim !== null && this.delim !== '\r') {
        // Fast path: a whole line without a quote.
        const nl = s.indexOf('\n', pos);
        if (nl === -1 && !final) break;
        const end = nl === -1 ? len : nl;
        if (quoteAt !== -1 && quoteAt < pos) quoteAt = s.indexOf('"', pos);
        if (quoteAt === -1 || quoteAt > end) {
          let lineEnd = end;
          if (this.delim === '\r\n') {
            if (nl !== -1 && s.charCodeAt(nl - 1) !== CR) {
              // A bare LF in a CRLF file is part of the field: take the slow path.
              const r = this.slow(s, pos, final, out);
              if (r === -1) break;
              pos = r;
              continue;
            }
            if (nl !== -1) lineEnd = nl - 1;
          }
          const cells = s.slice(pos, lineEnd).split(',');
          this.emit(out, cells, this.delim === '\n' ? 0 : countLf(cells));
          pos = nl === -1 ? len : nl + 1;
          continue;
        }
      }
      const r = this.slow(s, pos, final, out);
      if (r === -1) break;
      pos = r;
    }
    this.rest = pos < len ? s.slice(pos) : '';
    if (final && this.rest) {
      // Only an unterminated quoted field can be left over at the end.
      this.rest = '';
      throw new CsvSyntaxError(
        `Quote Not Closed: the parsing is finished with an opening quote at line ${this.nextLine}`,
      );
    }
  }

  private emit(out: SourceRecord[], cells: string[], breaks: number): void {
    const line = this.nextLine;
    this.nextLine = line + breaks + 1;
    out.push({ line, cells: cells.length === 1 && cells[0] === '' ? [] : cells });
  }

  /**
   * Length of the record delimiter at p (0: none); -1 when more input is needed to tell. Discovers the
   * delimiter at the first line break.
   */
  private delimAt(s: string, p: number, final: boolean): number {
    const c = s.charCodeAt(p);
    if (c !== CR && c !== LF) return 0;
    if (this.delim === null) {
      if (c === LF) this.delim = '\n';
      else if (p + 1 < s.length) this.delim = s.charCodeAt(p + 1) === LF ? '\r\n' : '\r';
      else if (final) this.delim = '\r';
      else return -1;
      return this.delim.length;
    }
    if (this.delim === '\n') return c === LF ? 1 : 0;
    if (this.delim === '\r') return c === CR ? 1 : 0;
    if (c !== CR) return 0;
    if (p + 1 >= s.length) return final ? 0 : -1;
    return s.charCodeAt(p + 1) === LF ? 2 : 0;
  }

  /** Parse one record from `start` character by character; the position after it, or -1 (need more input). */
  private slow(s: string, start: number, final: boolean, out: SourceRecord[]): number {
    const len = s.length;
    const cells: string[] = [];
    let breaks = 0;
    let i = start;
    const done = (field: string, next: number) => {
      for (let x = field.indexOf('\n'); x !== -1; x = field.indexOf('\n', x + 1)) breaks++;
      cells.push(field);
      this.emit(out, cells, breaks);
      return next;
    };
    for (;;) {
      // One field from i.
      let field = '';
      if (s.charCodeAt(i) === QUOTE) {
        let j = i + 1;
        for (;;) {
          const k = s.indexOf('"', j);
          if (k === -1) {
            if (!final) return -1;
            throw new CsvSyntaxError(
              `Quote Not Closed: the parsing is finished with an opening quote at line ${this.nextLine}`,
            );
          }
          field += s.slice(j, k);
          if (k + 1 >= len && !final) return -1;
          if (s.charCodeAt(k + 1) === QUOTE) {
            field += '"';
            j = k + 2;
            continue;
          }
          i = k + 1;
          break;
        }
        if (i >= len) return done(field, len);
        const c = s.charCodeAt(i);
        if (c === COMMA) {
          for (let x = field.indexOf('\n'); x !== -1; x = field.indexOf('\n', x + 1)) breaks++;
          cells.push(field);
          i++;
          continue;
        }
        const d = this.delimAt(s, i, final);
        if (d === -1) return -1;
        if (d > 0) return done(field, i + d);
        // Relaxed: a quote closed too early; the field continues unquoted, quotes kept.
        field = `"${field}"`;
      }
      // Unquoted (rest of the) field.
      for (;;) {
        if (i >= len) {
          if (!final) return -1;
          return done(field, len);
        }
        const c = s.charCodeAt(i);
        if (c === COMMA) {
          for (let x = field.indexOf('\n'); x !== -1; x = field.indexOf('\n', x + 1)) breaks++;
          cells.push(field);
          i++;
          break;
        }
        if (c === CR || c === LF) {
          const d = this.delimAt(s, i, final);
          if (d === -1) return -1;
          if (d > 0) return done(field, i + d);
        }
        field += s[i];
        i++;
      }
    }
  }
}

function countLf(cells: string[]): number {
  let n = 0;
  for (const c of cells) {
    if (c.length > 0 && c.includes('\n')) for (let i = c.indexOf('\n'); i !== -1; i = c.indexOf('\n', i + 1)) n++;
  }
  return n;
}

export interface CsvSource {
  records: AsyncGenerator<SourceRecord>;
  /** The same records in batches (one per chunk of the file): cheaper to iterate. Use one of the two. */
  batches: AsyncGenerator<SourceRecord[]>;
  /** Bytes read so far, the file size, the detected encoding and (after the end) the SHA-256. */
  bytesRead(): number;
  readonly size: number;
  encoding(): DetectedEncoding | null;
  sha256(): string;
  close(): void;
}

/** Check that a file can be opened for reading; an unreadable file is exit 7 before anything happens. */
export function checkReadable(file: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    throw unreadable(file, fileProblem(err));
  }
  if (stat.isDirectory()) throw unreadable(file, fileProblem({ code: 'EISDIR' }));
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw unreadable(file, fileProblem({ code: 'EACCES' }));
  }
  return stat.size;
}

const READ_SIZE = 256 * 1024;

/**
 * Stream a CSV file as records with their physical line numbers. Memory stays flat: the file is read in
 * 256 KiB chunks, each split into records only when the consumer asks for more (no buffering ahead).
 */
export function openCsv(file: string, encoding: EncodingOption): CsvSource {
  const size = checkReadable(file);
  let fd: number | null;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw unreadable(file, fileProblem(err));
  }
  const decoder = new Decoder(encoding, file);
  const splitter = new CsvSplitter();
  let digest = '';
  const close = () => {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {}
      fd = null;
    }
  };

  async function* batches(): AsyncGenerator<SourceRecord[]> {
    const buf = Buffer.allocUnsafe(READ_SIZE);
    try {
      for (;;) {
        if (fd === null) return;
        let n: number;
        try {
          n = await new Promise<number>((resolve, reject) =>
            fs.read(fd!, buf, 0, READ_SIZE, null, (err, bytes) => (err ? reject(err) : resolve(bytes))),
          );
        } catch (err) {
          throw unreadable(file, fileProblem(err));
        }
        const out: SourceRecord[] = [];
        if (n === 0) {
          splitter.push(decoder.end(), out, true);
          if (out.length) yield out;
          break;
        }
        splitter.push(decoder.write(buf.subarray(0, n)), out, false);
        if (out.length) yield out;
      }
    } catch (err) {
      if (err instanceof CrmError) throw err;
      throw unreadable(file, (err as Error).message, {
        zh: '检查引号是否成对（字段内的引号要写成两个 ""）',
        en: 'check that quotes are balanced (a quote inside a field is written "")',
      });
    } finally {
      close();
    }
    digest = decoder.hash.digest('hex');
  }

  const batchIt = batches();
  async function* records(): AsyncGenerator<SourceRecord> {
    for await (const batch of batchIt) yield* batch;
  }

  return {
    records: records(),
    batches: batchIt,
    bytesRead: () => decoder.bytes,
    size,
    encoding: () => decoder.encoding,
    sha256: () => digest,
    close,
  };
}
