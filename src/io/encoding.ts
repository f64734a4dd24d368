import { CrmError, ExitCode } from '../domain/errors.js';

/** The encodings a CSV may be written in (GBK is read and written as GB18030, its superset). */
export type FileEncoding = 'utf8' | 'gbk';
/** What `--encoding` of a reader accepts: a file encoding, or `auto` (detected from the first bytes). */
export type EncodingOption = 'auto' | FileEncoding;

const NAMES: Record<string, EncodingOption> = {
  auto: 'auto',
  utf8: 'utf8',
  'utf-8': 'utf8',
  gbk: 'gbk',
  gb18030: 'gbk',
  gb2312: 'gbk',
};

/**
 * The one parser of `--encoding` for readers: auto, utf8/utf-8, gbk/gb18030/gb2312 (any case; missing = auto).
 * Anything else is a usage error (E3105), never a silent fallback.
 */
export function parseEncoding(value: unknown): EncodingOption {
  const v = String(value ?? 'auto').toLowerCase();
  const known = lookup(v);
  if (known) return known;
  throw new CrmError(
    'E3105',
    { zh: `未知编码：${v}（可选 auto、utf8、gbk）`, en: `unknown encoding: ${v} (use auto, utf8 or gbk)` },
    ExitCode.usage,
  );
}

/** `--encoding` of a writer (or of a check that must know it): as parseEncoding, without `auto` (missing = utf8). */
export function parseFileEncoding(value: unknown): FileEncoding {
  const v = String(value ?? 'utf8').toLowerCase();
  const known = lookup(v);
  if (known && known !== 'auto') return known;
  throw new CrmError(
    'E3105',
    { zh: `未知编码：${v}（可选 utf8、gbk）`, en: `unknown encoding: ${v} (use utf8 or gbk)` },
    ExitCode.usage,
  );
}

function lookup(name: string): EncodingOption | undefined {
  return Object.hasOwn(NAMES, name) ? NAMES[name] : undefined;
}
