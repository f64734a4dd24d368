import { CrmError, ExitCode } from '../../domain/errors.js';

/** One column an import understands: its key (what validate() receives) and the header names that mean it. */
export interface ImportColumn {
  key: string;
  /** Other header names (Chinese or English). The key itself always matches. */
  aliases?: string[];
  required?: boolean;
}

/**
 * The header row an export writes: the keys in English; in Chinese each column's first Chinese alias, which the
 * import reads back as the same column (an export re-imports unchanged in either language).
 */
export function exportHeaders(columns: readonly ImportColumn[], keys: readonly string[], lang: 'zh' | 'en'): string[] {
  if (lang === 'en') return [...keys];
  return keys.map((key) => columns.find((c) => c.key === key)?.aliases?.find((a) => /[^\x00-\x7f]/.test(a)) ?? key);
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
    const guesses = missing
      .map((c) => {
        const guess = unknown.find((u) => nearestName(u, [c]) !== null);
        return guess
          ? { zh: `"${guess}" 是不是 ${c.aliases?.[0] ?? c.key}？`, en: `did you mean "${guess}" as ${c.key}?` }
          : null;
      })
      .filter((g) => g !== null);
    const guessText = (lang: 'zh' | 'en') => (guesses.length ? ` ${guesses.map((g) => g[lang]).join(' ')}` : '');
    throw new CrmError(
      'E3101',
      {
        zh: `${file}：第 1 行（表头）缺少必需的列：${names}${guessText('zh')}`,
        en: `${file} line 1 (header): missing required column(s): ${names}${guessText('en')}`,
      },
      ExitCode.unreadable,
      {
        zh: `表头可用的列：${columns.map((c) => [c.aliases?.find((a) => /[^\x00-\x7f]/.test(a)), c.key].filter(Boolean).join('/')).join('，')}（不区分大小写与空格）`,
        en: `known columns: ${columns.map((c) => c.key).join(', ')} (Chinese or English names; case and spaces ignored)`,
      },
    );
  }
  return { keys, headers, unknown };
}

/**
 * The accepted name closest to a header nobody knows (one edit in a short name, a third of a long one), for
 * "did you mean …": offices type 上级单位代码 or 客户编号 as often as the names we list.
 */
export function nearestName(header: string, columns: ImportColumn[]): string | null {
  const h = normaliseHeader(header);
  let best: { name: string; distance: number } | null = null;
  for (const col of columns) {
    for (const name of [col.key, ...(col.aliases ?? [])]) {
      const distance = editDistance(h, normaliseHeader(name));
      if (!best || distance < best.distance) best = { name, distance };
    }
  }
  if (!best) return null;
  const limit = Math.max(1, Math.floor(Math.max(h.length, normaliseHeader(best.name).length) / 3));
  return best.distance <= limit ? best.name : null;
}

function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[y.length] ?? 0;
}
