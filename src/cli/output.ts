import { createRequire } from 'node:module';
import type { L10n } from '../domain/errors.js';
import { safeCell } from '../io/csv-safe.js';
import type { CliContext, OutputFormat } from './context.js';

const require = createRequire(import.meta.url);

export interface Column<R> {
  /** Field name in JSON output and CSV header. */
  key: string;
  label: L10n;
  align?: 'left' | 'right';
  value?: (row: R) => string | number | boolean | null | undefined;
}

function cellText<R>(col: Column<R>, row: R): string {
  const v = col.value ? col.value(row) : (row as Record<string, unknown>)[col.key];
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

/** An aligned table (CJK-aware widths via cli-table3). */
export function formatTable<R>(ctx: CliContext, columns: Column<R>[], rows: R[]): string {
  const Table = require('cli-table3') as typeof import('cli-table3');
  const table = new Table({
    head: columns.map((c) => ctx.t(c.label)),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: { head: ctx.color ? ['cyan'] : [], border: ctx.color ? ['grey'] : [], compact: true },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows) table.push(columns.map((c) => cellText(c, row)));
  return table.toString();
}

const tsvSafe = (s: string) => s.replace(/[\t\r\n]+/g, ' ');

/**
 * Render rows in the chosen format. JSON prints `json` (default: the rows as given, camelCase fields);
 * table, TSV and CSV print the columns. TSV and CSV carry a header line with the column keys.
 */
export function renderRows<R>(
  ctx: CliContext,
  columns: Column<R>[],
  rows: R[],
  opts: { format?: OutputFormat; json?: unknown; empty?: L10n } = {},
): void {
  const format = opts.format ?? ctx.format();
  switch (format) {
    case 'json':
      printJson(ctx, opts.json ?? rows);
      return;
    case 'csv': {
      // Loaded when needed, like cli-table3: lists printed as JSON or TSV (most runs) never load it.
      const { stringify } = require('csv-stringify/sync') as typeof import('csv-stringify/sync');
      ctx.io.stdout.write(
        stringify([columns.map((c) => c.key), ...rows.map((r) => columns.map((c) => safeCell(cellText(c, r))))], {
          record_delimiter: 'unix',
        }),
      );
      return;
    }
    case 'tsv':
      ctx.out(columns.map((c) => c.key).join('\t'));
      for (const row of rows) ctx.out(columns.map((c) => tsvSafe(cellText(c, row))).join('\t'));
      return;
    default:
      if (rows.length === 0 && opts.empty) {
        ctx.note(opts.empty);
        return;
      }
      ctx.out(formatTable(ctx, columns, rows));
  }
}

/** Key/value details of one record (for `show` commands). */
export function renderDetails(ctx: CliContext, fields: [L10n, unknown][], json: unknown): void {
  if (ctx.json) {
    printJson(ctx, json);
    return;
  }
  const labels = fields.map(([l]) => ctx.t(l));
  const width = Math.max(...labels.map((l) => displayWidth(l)));
  fields.forEach(([, value], i) => {
    const label = labels[i] ?? '';
    ctx.out(
      `${label}${' '.repeat(width - displayWidth(label))}  ${value === null || value === undefined || value === '' ? '-' : String(value)}`,
    );
  });
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.out(JSON.stringify(value, null, ctx.io.stdout.isTTY ? 2 : undefined));
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
