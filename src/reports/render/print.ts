/**
 * The printed form (逐页打印) of any ReportModel: title, parameters and subtitle lines, "page N/M",
 * fixed-width columns aligned for Chinese text, a subtotal of every `sum` column on each page, the grand
 * total on the last page, and the signature lines 经办 / 复核 / 主管 when `model.signatures`.
 *
 * Pure: returns the text. Pages are separated by a form feed line ("\f"); no page is longer than
 * `pageLines` lines (the grand total and signatures are reserved on every page so the last one fits too).
 */
import { type L10n, type Lang, tr as t } from '../../domain/i18n.js';
import { formatYuan, sumFen } from '../../domain/money.js';
import { displayWidth, padDisplay } from '../../io/text-layout.js';
import { paramEntries } from '../format.js';
import type { ReportColumn, ReportModel, ReportRow, ReportValue } from '../model.js';

export interface PrintOptions {
  lang: Lang;
  /** Lines per page, everything included (default 50, at least 12). */
  pageLines?: number;
  /** Printed under the parameters when given, e.g. "2026-11-23 16:05:00". */
  printedAt?: string;
}

export const DEFAULT_PAGE_LINES = 50;
export const MIN_PAGE_LINES = 12;
export const PAGE_SEPARATOR = '\f';

const L = {
  page: { zh: '第 {n} 页 / 共 {m} 页', en: 'page {n} of {m}' },
  subtotal: { zh: '本页小计', en: 'Page subtotal' },
  total: { zh: '合计', en: 'Grand total' },
  rows: { zh: '共 {n} 行', en: '{n} rows' },
  empty: { zh: '（无数据）', en: '(no rows)' },
  printedAt: { zh: '打印时间', en: 'printed' },
  handler: { zh: '经办', en: 'Prepared by' },
  checker: { zh: '复核', en: 'Checked by' },
  supervisor: { zh: '主管', en: 'Approved by' },
} satisfies Record<string, L10n>;

const isNumeric = (c: ReportColumn) => c.kind === 'int' || c.kind === 'money' || c.kind === 'percent';

/** A cell as printed: money with grouping and two decimals, percent with "%", booleans as 是/否. */
export function printCell(col: ReportColumn, v: ReportValue, lang: Lang): string {
  if (v === null || v === undefined || v === '') return '';
  const word = typeof v === 'string' ? col.words?.(v) : undefined;
  if (word) return lang === 'zh' ? word.zh : word.en;
  if (typeof v === 'boolean') return lang === 'zh' ? (v ? '是' : '否') : v ? 'yes' : 'no';
  if (col.kind === 'money' && typeof v === 'number') return formatYuan(v);
  if (col.kind === 'percent' && typeof v === 'number') return `${v}%`;
  return String(v).replace(/[\r\n\t\f]+/g, ' ');
}

function sumColumn(col: ReportColumn, rows: ReportRow[]): number {
  const values = rows.map((r) => r[col.key]).filter((v): v is number => typeof v === 'number');
  return col.kind === 'money' ? sumFen(values) : values.reduce((s, v) => s + v, 0);
}

export function renderPrint(model: ReportModel, opts: PrintOptions): string {
  const { lang } = opts;
  const pageLines = Math.max(MIN_PAGE_LINES, opts.pageLines ?? DEFAULT_PAGE_LINES);
  const cols = model.columns;
  const sumCols = cols.filter((c) => c.sum);
  // The label column for subtotal lines: the first column that is not summed.
  const labelCol = cols.find((c) => !c.sum) ?? null;

  const grand: ReportRow = {};
  for (const c of sumCols) {
    const given = model.totals[c.key];
    grand[c.key] = typeof given === 'number' ? given : sumColumn(c, model.rows);
  }

  // Column widths from the header, every cell and the total lines (so pages line up with each other).
  const labelTexts = [t(lang, L.subtotal), t(lang, L.total)];
  const widths = cols.map((c) => {
    let w = displayWidth(t(lang, c.label));
    for (const r of model.rows) w = Math.max(w, displayWidth(printCell(c, r[c.key] ?? null, lang)));
    if (c.sum) w = Math.max(w, displayWidth(printCell(c, grand[c.key] ?? null, lang)));
    if (c === labelCol) for (const l of labelTexts) w = Math.max(w, displayWidth(l));
    return w;
  });
  const gap = '  ';
  const line = (cells: string[]) =>
    cells
      .map((text, i) => padDisplay(text, widths[i] ?? 0, isNumeric(cols[i] as ReportColumn) ? 'right' : 'left'))
      .join(gap)
      .replace(/\s+$/, '');
  const tableWidth = Math.max(
    widths.reduce((s, w) => s + w, 0) + gap.length * Math.max(0, cols.length - 1),
    displayWidth(t(lang, model.title)),
  );
  const rule = '-'.repeat(tableWidth);
  const center = (text: string) => ' '.repeat(Math.max(0, Math.floor((tableWidth - displayWidth(text)) / 2))) + text;

  const params = (model.paramsInSubtitle ? [] : paramEntries(model, lang))
    .map(([k, v]) => `${k}${lang === 'zh' ? '：' : ': '}${v}`)
    .join('  ');
  const subtitle = (model.subtitle ?? []).map((s) => t(lang, s));
  if (opts.printedAt) subtitle.push(`${t(lang, L.printedAt)}${lang === 'zh' ? '：' : ': '}${opts.printedAt}`);

  const totalLine = (label: string, values: ReportRow) =>
    line(cols.map((c) => (c === labelCol ? label : c.sum ? printCell(c, values[c.key] ?? null, lang) : '')));

  // Lines around the rows: header (title, params, subtitle, page line, rule, column heads, rule) and
  // footer (rule, subtotal; on the last page also total, blank, signatures).
  const headerCount = 1 + (params ? 1 : 0) + subtitle.length + 1 + 3;
  const signatureLines = model.signatures ? 2 : 0;
  const footerCount = 1 + (sumCols.length ? 1 : 0) + 1 + signatureLines;
  const perPage = Math.max(1, pageLines - headerCount - footerCount);
  const pageCount = Math.max(1, Math.ceil(model.rows.length / perPage));

  const pages: string[] = [];
  for (let p = 0; p < pageCount; p++) {
    const rows = model.rows.slice(p * perPage, (p + 1) * perPage);
    const out: string[] = [center(t(lang, model.title))];
    if (params) out.push(params);
    out.push(...subtitle);
    const pageText = t(lang, L.page, { n: p + 1, m: pageCount });
    out.push(padDisplay(pageText, tableWidth, 'right'));
    out.push(rule, line(cols.map((c) => t(lang, c.label))), rule);
    if (rows.length === 0) out.push(t(lang, L.empty));
    for (const r of rows) out.push(line(cols.map((c) => printCell(c, r[c.key] ?? null, lang))));
    out.push(rule);
    if (sumCols.length) {
      const sub: ReportRow = {};
      for (const c of sumCols) sub[c.key] = sumColumn(c, rows);
      out.push(totalLine(t(lang, L.subtotal), sub));
    }
    if (p === pageCount - 1) {
      out.push(
        sumCols.length
          ? totalLine(t(lang, L.total), grand)
          : `${t(lang, L.total)}${lang === 'zh' ? '：' : ': '}${t(lang, L.rows, { n: model.rows.length })}`,
      );
      if (model.signatures) {
        const sign = (l: L10n) => `${t(lang, l)}${lang === 'zh' ? '：' : ': '}____________`;
        out.push('', [sign(L.handler), sign(L.checker), sign(L.supervisor)].join('    '));
      }
    }
    pages.push(out.join('\n'));
  }
  return `${pages.join(`\n${PAGE_SEPARATOR}\n`)}\n`;
}
