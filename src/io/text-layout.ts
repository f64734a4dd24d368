/** Plain-text layout shared by the terminal and the report renderers: display widths of CJK text, aligned tables. */
import { createRequire } from 'node:module';
import { type L10n, type Lang, tr } from '../domain/i18n.js';
import { type Vocabulary, YES_NO } from '../domain/vocabulary.js';

const require = createRequire(import.meta.url);

export interface Column<R> {
  /** Field name in JSON output and CSV header. */
  key: string;
  label: L10n;
  align?: 'left' | 'right';
  value?: (row: R) => string | number | boolean | null | undefined;
  /** A UTC instant: shown to people as local time in the business time zone (JSON keeps the ISO string). */
  time?: boolean;
  /** The words for a coded value (a status, a kind) in the people's table; TSV, CSV and JSON keep the code. */
  words?: Vocabulary | ((code: string) => L10n | undefined);
}

export function cellText<R>(col: Column<R>, row: R): string {
  const v = col.value ? col.value(row) : (row as Record<string, unknown>)[col.key];
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

/** A cell as people read it in the table: coded values and yes/no in the user's language. */
function tableCellText<R>(col: Column<R>, row: R, lang: Lang): string {
  const v = col.value ? col.value(row) : (row as Record<string, unknown>)[col.key];
  if (typeof v === 'boolean') return tr(lang, YES_NO[String(v)]!);
  const text = cellText(col, row);
  const word = typeof col.words === 'function' ? col.words(text) : col.words?.[text];
  return word ? tr(lang, word) : text;
}

/** How a table is drawn: the headers' language, and colour (only on a terminal that wants it). */
export interface TableStyle {
  lang: Lang;
  color: boolean;
}

/** An aligned table (CJK-aware widths via cli-table3). */
export function formatTable<R>(columns: Column<R>[], rows: R[], style: TableStyle): string {
  const Table = require('cli-table3') as typeof import('cli-table3');
  const table = new Table({
    head: columns.map((c) => tr(style.lang, c.label)),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: { head: style.color ? ['cyan'] : [], border: style.color ? ['grey'] : [], compact: true },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows) table.push(columns.map((c) => tableCellText(c, row, style.lang)));
  return table.toString();
}

/** Terminal columns a string takes: CJK and full-width characters count two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 32 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x300 && cp <= 0x36f) || cp === 0x200b) continue;
    width += isWide(cp) ? 2 : 1;
  }
  return width;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Pad to a display width (for fixed-width printed forms with Chinese text). */
export function padDisplay(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const gap = Math.max(0, width - displayWidth(text));
  return align === 'right' ? ' '.repeat(gap) + text : text + ' '.repeat(gap);
}
