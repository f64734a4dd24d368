import { type L10n, tr } from '../../domain/i18n.js';
import { type Column, displayWidth, formatTable, padDisplay } from '../../io/text-layout.js';
import {
  chartNumber,
  dataValue,
  displayValue,
  isNumericKind,
  paramEntries,
  peopleValue,
  totalKind,
} from '../format.js';
import { extraTotals, type ReportModel, type ReportRow } from '../model.js';
import type { RenderEnv } from './env.js';

const TOTAL_LABEL = { zh: '合计', en: 'total' };

/** Parameters as one line: "from 2026-11-01  to 2026-11-30  owner bob". */
export function paramsLine(model: ReportModel, lang: 'zh' | 'en' = 'en'): string {
  return paramEntries(model, lang)
    .map(([k, v]) => `${k} ${v}`)
    .join('  ');
}

/**
 * Horizontal bars drawn with block characters (eighths for the last cell), longest = `width` cells,
 * labels aligned for Chinese text, the value after each bar.
 */
export function blockBars(items: { label: string; value: number; text: string }[], width = 40): string[] {
  const max = Math.max(0, ...items.map((i) => i.value));
  const labelWidth = Math.max(0, ...items.map((i) => displayWidth(i.label)));
  const partial = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
  return items.map((i) => {
    const eighths = max > 0 ? Math.round((Math.max(0, i.value) / max) * width * 8) : 0;
    const bar = '█'.repeat(Math.floor(eighths / 8)) + partial[eighths % 8];
    return `${padDisplay(i.label, labelWidth)}  ${padDisplay(bar, width)}  ${i.text}`;
  });
}

export interface TableOptions {
  /** Colour the header and borders. */
  color?: boolean;
  /** Draw block bars under funnel and ranking tables (a terminal shows them; a pipe does not want them). */
  bars?: boolean;
}

/** The aligned table for a terminal: title, parameters, rows with a totals line, notes; bars for funnel and ranking. */
export function renderTable(model: ReportModel, env: RenderEnv, opts: TableOptions = {}): string {
  const t = (message: L10n) => tr(env.lang, message);
  const out: string[] = [t(model.title), paramsLine(model, env.lang)];
  for (const s of model.subtitle ?? []) out.push(t(s));
  if (model.rows.length === 0) {
    out.push(t({ zh: '（本期无数据）', en: '(no data for these parameters)' }));
  } else {
    const columns: Column<ReportRow>[] = model.columns.map((c) => ({
      key: c.key,
      label: c.label,
      align: isNumericKind(c.kind) ? 'right' : 'left',
      value: (r) => peopleValue(c, r[c.key], env.lang),
    }));
    const totalsRow: ReportRow = {};
    model.columns.forEach((c, i) => {
      totalsRow[c.key] = i === 0 ? t(TOTAL_LABEL) : c.key in model.totals ? (model.totals[c.key] ?? null) : null;
    });
    const hasTotals = model.columns.some((c, i) => i > 0 && c.key in model.totals);
    // One table, so the totals line lines up with the rows (the first cell of a kind shows as text).
    const table = formatTable(columns, hasTotals ? [...model.rows, totalsRow] : model.rows, {
      lang: env.lang,
      color: Boolean(opts.color),
    });
    out.push(table);
  }
  const extra = extraTotals(model, env.lang).filter(
    ({ key }) => model.totals[key] !== '' && model.totals[key] !== null,
  );
  if (extra.length) {
    const sep = env.lang === 'zh' ? '：' : ': ';
    out.push(
      extra
        .map(({ key, label }) => `${label}${sep}${displayValue(totalKind(model, key), model.totals[key])}`)
        .join('  '),
    );
  }
  const chart = model.chart;
  if (opts.bars && chart && (chart.type === 'funnel' || chart.type === 'hbar') && model.rows.length) {
    const key = chart.valueKeys[0] ?? '';
    const kind = model.columns.find((c) => c.key === key)?.kind ?? 'int';
    out.push('');
    out.push(
      ...blockBars(
        model.rows.map((r) => ({
          label: String(r[chart.labelKey] ?? '-'),
          value: chartNumber(kind, r[key]),
          text: displayValue(kind, r[key]),
        })),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

/** Tab-separated lines for pipes: a header of keys, then the rows (amounts as "1234.50"). */
export function renderTsv(model: ReportModel): string {
  const clean = (v: unknown) => (v === null || v === undefined ? '' : String(v).replace(/[\t\r\n]+/g, ' '));
  const lines = [model.columns.map((c) => c.key).join('\t')];
  for (const r of model.rows) lines.push(model.columns.map((c) => clean(dataValue(c.kind, r[c.key]))).join('\t'));
  return `${lines.join('\n')}\n`;
}
