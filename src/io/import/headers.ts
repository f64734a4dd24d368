import { CrmError, ExitCode } from '../../domain/errors.js';

/** One column an import understands: its key (what validate() receives) and the header names that mean it. */
export interface ImportColumn {
  key: string;
  /** Other header names (Chinese or English). The key itself always matches. */
  aliases?: string[];
  required?: boolean;
}

/** Header text compared without case, spaces, underscores or hyphens, and with full-width forms folded. */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

export interface HeaderMap {
  /** For each file column index: the column key, or null for an unknown column. */
  keys: (string | null)[];
  /** Original header cells (for the reject report). */
  headers: string[];
  unknown: string[];
}

export function mapHeaders(file: string, headers: string[], columns: ImportColumn[]): HeaderMap {
  const byName = new Map<string, string>();
  for (const col of columns) {
    byName.set(normaliseHeader(col.key), col.key);
    for (const a of col.aliases ?? []) byName.set(normaliseHeader(a), col.key);
  }
  const seen = new Map<string, string>();
  const keys: (string | null)[] = [];
  const unknown: string[] = [];
  for (const h of headers) {
    const key = byName.get(normaliseHeader(h)) ?? null;
    if (key && seen.has(key)) {
      throw new CrmError(
        'E3104',
        {
          zh: `${file}：第 1 行列 "${seen.get(key)}" 与 "${h}" 是同一列（${key}）`,
          en: `${file} line 1: columns "${seen.get(key)}" and "${h}" both mean ${key}`,
        },
        ExitCode.unreadable,
        { zh: '删除或改名其中一列', en: 'remove or rename one of them' },
      );
    }
    if (key) seen.set(key, h);
    else if (h.trim()) unknown.push(h);
    keys.push(key);
  }
  const missing = columns.filter((c) => c.required && !seen.has(c.key));
  if (missing.length) {
    const names = missing.map((c) => [c.key, ...(c.aliases ?? [])].join('/')).join(', ');
    throw new CrmError(
      'E3101',
      {
        zh: `${file}：第 1 行（表头）缺少必需的列：${names}`,
        en: `${file} line 1 (header): missing required column(s): ${names}`,
      },
      ExitCode.unreadable,
      {
        zh: `表头可用的列：${columns.map((c) => c.key).join(', ')}（中英文皆可，不区分大小写与空格）`,
        en: `known columns: ${columns.map((c) => c.key).join(', ')} (Chinese or English names; case and spaces ignored)`,
      },
    );
  }
  return { keys, headers, unknown };
}
