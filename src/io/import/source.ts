import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { CrmError, ExitCode } from '../../domain/errors.js';

export type EncodingOption = 'auto' | 'utf8' | 'gbk';
export type DetectedEncoding = 'utf8' | 'gbk';

/** One CSV record with the 1-based physical line it starts on (the header is line 1). */
export interface SourceRecord {
  line: number;
  cells: string[];
}

export function unreadable(file: string, reason: string, hint?: { zh: string; en: string }): CrmError {
  return new CrmError(
    'E3102',
    { zh: `无法读取文件 ${file}：${reason}`, en: `cannot read ${file}: ${reason}` },
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
class DecodeStream extends Transform {
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
    super({ readableObjectMode: false, decodeStrings: true });
    this.encoding = option === 'auto' ? null : option;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
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
      const text = this.utf8 ? this.utf8.decode(buf, { stream: true }) : this.gbk!.write(buf);
      if (text) this.push(text);
      cb();
    } catch {
      cb(
        unreadable(this.file, `not valid UTF-8 near byte ${this.bytes - chunk.length}`, {
          zh: '若文件是 GBK 编码，请加 --encoding gbk',
          en: 'if the file is GBK-encoded, pass --encoding gbk',
        }),
      );
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      const rest = this.utf8 ? this.utf8.decode() : (this.gbk?.end() ?? '');
      if (rest) this.push(rest);
      cb();
    } catch {
      cb(unreadable(this.file, 'the file ends inside a UTF-8 character'));
    }
  }
}

export interface CsvSource {
  records: AsyncGenerator<SourceRecord>;
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
    const code = (err as NodeJS.ErrnoException).code;
    throw unreadable(file, code === 'ENOENT' ? 'no such file' : String(code ?? err));
  }
  if (stat.isDirectory()) throw unreadable(file, 'it is a directory');
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw unreadable(file, 'permission denied');
  }
  return stat.size;
}

/**
 * Stream a CSV file as records with their physical line numbers. Memory stays flat: records are pulled
 * one at a time (back-pressure through the stream pipeline).
 *
 * Line numbers are counted here rather than with csv-parse's `info` (which builds an object per record):
 * a record starts on the line after the previous record ended, and spans one line plus the line breaks
 * inside its quoted fields. Empty lines are yielded as records with no cells (callers skip them) so the
 * count stays right.
 */
export function openCsv(file: string, encoding: EncodingOption): CsvSource {
  const size = checkReadable(file);
  const input = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  const decoder = new DecodeStream(encoding, file);
  const parser = parse({
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: false,
  });
  input.on('error', (err) => decoder.destroy(unreadable(file, err.message)));
  decoder.on('error', (err) => parser.destroy(err));
  input.pipe(decoder).pipe(parser);
  let digest = '';

  async function* records(): AsyncGenerator<SourceRecord> {
    let next = 1;
    try {
      for await (const cells of parser as AsyncIterable<string[]>) {
        const line = next;
        let breaks = 0;
        for (const c of cells) {
          if (c.length > 0 && c.includes('\n')) {
            for (let i = c.indexOf('\n'); i !== -1; i = c.indexOf('\n', i + 1)) breaks++;
          }
        }
        next = line + breaks + 1;
        const empty = cells.length === 0 || (cells.length === 1 && cells[0] === '');
        yield { line, cells: empty ? [] : cells };
      }
    } catch (err) {
      if (err instanceof CrmError) throw err;
      const e = err as Error & { code?: string; lines?: number };
      throw unreadable(file, `${e.message}`, {
        zh: '检查引号是否成对（字段内的引号要写成两个 ""）',
        en: 'check that quotes are balanced (a quote inside a field is written "")',
      });
    }
    digest = decoder.hash.digest('hex');
  }

  return {
    records: records(),
    bytesRead: () => decoder.bytes,
    size,
    encoding: () => decoder.encoding,
    sha256: () => digest,
    close: () => {
      input.destroy();
      parser.destroy();
    },
  };
}
