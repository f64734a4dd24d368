import { createRequire } from 'node:module';
import type { L10n } from '../domain/errors.js';
import { safeCell } from '../io/csv-safe.js';
import { type Column, cellText, displayWidth, formatTable } from '../io/text-layout.js';
import type { CliContext, OutputFormat } from './context.js';

export { type Column, displayWidth, formatTable, padDisplay, type TableStyle } from '../io/text-layout.js';

const require = createRequire(import.meta.url);

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
  columns = columns.map((c) =>
    c.time ? { ...c, value: (r: R) => ctx.localTime(c.value ? c.value(r) : (r as Record<string, unknown>)[c.key]) } : c,
  );
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
      ctx.out(formatTable(columns, rows, { lang: ctx.lang, color: ctx.color }));
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
