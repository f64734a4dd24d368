/**
 * One self-contained HTML page for any report: inline CSS, an inline SVG chart suited to the report
 * (funnel, bars, horizontal bars, donut, stacked bars, lines), then the table with its totals.
 * No script and nothing fetched from the network.
 */
import type { Lang } from '../../domain/i18n.js';
import { formatYuan } from '../../domain/money.js';
import { chartNumber, displayValue, isNumericKind, paramEntries, peopleValue, totalKind } from '../format.js';
import { type ChartSpec, extraTotals, type ReportModel } from '../model.js';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const PALETTE = [
  '#2f6fb3',
  '#e08a2c',
  '#3a9d5d',
  '#c8453b',
  '#7c5cb5',
  '#8c6d46',
  '#d16fa8',
  '#6f7b86',
  '#b5a03a',
  '#3aa3b5',
];
const MAX_BARS = 20;
const FONT = '"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif';

interface Series {
  key: string;
  label: string;
  money: boolean;
  values: number[];
}

interface ChartData {
  labels: string[];
  series: Series[];
}

function chartData(model: ReportModel, spec: ChartSpec, lang: Lang): ChartData {
  const rows = model.rows.slice(0, MAX_BARS);
  return {
    labels: rows.map((r) => {
      const v = r[spec.labelKey];
      const col = model.columns.find((c) => c.key === spec.labelKey);
      if (v === null || v === undefined || v === '') return '—';
      return col ? peopleValue(col, v, lang) : String(v);
    }),
    series: spec.valueKeys.map((key) => {
      const col = model.columns.find((c) => c.key === key);
      const kind = col?.kind ?? 'int';
      return {
        key,
        label: col ? (lang === 'zh' ? col.label.zh : col.label.en) : key,
        money: kind === 'money',
        values: rows.map((r) => chartNumber(kind, r[key])),
      };
    }),
  };
}

/** A short axis/bar label: money in yuan with grouping (万 for large amounts in Chinese), counts as is. */
function short(v: number, money: boolean, lang: Lang): string {
  if (money) {
    if (lang === 'zh' && Math.abs(v) >= 10000) return `${(v / 10000).toFixed(1)}万`;
    return formatYuan(Math.round(v * 100));
  }
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

function truncate(s: string, max: number): string {
  return [...s].length > max ? `${[...s].slice(0, max - 1).join('')}…` : s;
}

function legend(series: Series[], x: number, y: number): string {
  if (series.length < 2) return '';
  return series
    .map(
      (s, i) =>
        `<rect x="${x + i * 160}" y="${y}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/><text x="${x + i * 160 + 18}" y="${y + 11}" class="small">${esc(s.label)}</text>`,
    )
    .join('');
}

function svg(width: number, height: number, body: string, title: string): string {
  return `<svg class="chart" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`;
}

/** Vertical grouped bars (one group per label, one bar per series). */
function barChart(d: ChartData, lang: Lang, title: string): string {
  const W = 960;
  const H = 360;
  const left = 80;
  const bottom = 70;
  const top = 36;
  const max = Math.max(1, ...d.series.flatMap((s) => s.values));
  const plotH = H - top - bottom;
  const groupW = (W - left - 20) / Math.max(1, d.labels.length);
  const barW = Math.min(48, (groupW * 0.8) / d.series.length);
  let body = legend(d.series, left, 8);
  for (let t = 0; t <= 4; t++) {
    const y = top + plotH - (plotH * t) / 4;
    body += `<line x1="${left}" x2="${W - 10}" y1="${y}" y2="${y}" class="grid"/><text x="${left - 6}" y="${y + 4}" class="small" text-anchor="end">${esc(short((max * t) / 4, d.series[0]?.money ?? false, lang))}</text>`;
  }
  d.labels.forEach((label, i) => {
    const gx = left + i * groupW + (groupW - barW * d.series.length) / 2;
    d.series.forEach((s, j) => {
      const v = Math.max(0, s.values[i] ?? 0);
      const h = (v / max) * plotH;
      const x = gx + j * barW;
      body += `<rect x="${x.toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${PALETTE[j % PALETTE.length]}"><title>${esc(`${label} ${s.label}: ${short(s.values[i] ?? 0, s.money, lang)}`)}</title></rect>`;
    });
    body += `<text x="${(left + i * groupW + groupW / 2).toFixed(1)}" y="${H - bottom + 18}" class="label" text-anchor="middle">${esc(truncate(label, 10))}</text>`;
  });
  return svg(W, H, body, title);
}

/** Horizontal bars, one per label (rankings, products), value at the end of each bar. */
function hbarChart(d: ChartData, lang: Lang, title: string, funnel = false): string {
  const s = d.series[0];
  if (!s) return '';
  const W = 960;
  const rowH = 34;
  const left = 180;
  const H = d.labels.length * rowH + 20;
  const max = Math.max(1, ...s.values);
  const span = W - left - 140;
  let body = '';
  d.labels.forEach((label, i) => {
    const v = Math.max(0, s.values[i] ?? 0);
    const w = Math.max(2, (v / max) * span);
    const x = funnel ? left + (span - w) / 2 : left;
    const y = 10 + i * rowH;
    body += `<text x="${left - 10}" y="${y + 20}" class="label" text-anchor="end">${esc(truncate(label, 16))}</text>`;
    body += `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 8}" rx="3" fill="${PALETTE[funnel ? i % PALETTE.length : 0]}"><title>${esc(`${label}: ${short(v, s.money, lang)}`)}</title></rect>`;
    body += `<text x="${(funnel ? left + span + 8 : x + w + 8).toFixed(1)}" y="${y + 20}" class="label">${esc(short(s.values[i] ?? 0, s.money, lang))}</text>`;
  });
  return svg(W, H, body, title);
}

/** A donut of the first series, with a legend giving each slice's value and share. */
function donutChart(d: ChartData, lang: Lang, title: string): string {
  const s = d.series[0];
  if (!s) return '';
  const total = s.values.reduce((a, b) => a + Math.max(0, b), 0);
  const W = 960;
  const H = Math.max(300, d.labels.length * 26 + 60);
  const cx = 170;
  const cy = 150;
  const r = 110;
  const circ = 2 * Math.PI * r;
  let offset = 0;
  let body = `<circle cx="${cx}" cy="${cy}" r="${r}" fill="none" stroke="#eee" stroke-width="48"/>`;
  d.labels.forEach((label, i) => {
    const v = Math.max(0, s.values[i] ?? 0);
    const len = total > 0 ? (v / total) * circ : 0;
    if (len > 0) {
      body += `<circle cx="${cx}" cy="${cy}" r="${r}" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="48" stroke-dasharray="${len.toFixed(2)} ${(circ - len).toFixed(2)}" stroke-dashoffset="${(-offset).toFixed(2)}" transform="rotate(-90 ${cx} ${cy})"><title>${esc(`${label}: ${short(v, s.money, lang)}`)}</title></circle>`;
    }
    offset += len;
    const share = total > 0 ? ((v / total) * 100).toFixed(1) : '0.0';
    body += `<rect x="360" y="${30 + i * 26}" width="14" height="14" fill="${PALETTE[i % PALETTE.length]}"/><text x="382" y="${42 + i * 26}" class="label">${esc(`${truncate(label, 20)}  ${short(v, s.money, lang)}  (${share}%)`)}</text>`;
  });
  body += `<text x="${cx}" y="${cy + 6}" class="big" text-anchor="middle">${esc(short(total, s.money, lang))}</text>`;
  return svg(W, H, body, title);
}

/** Horizontal stacked bars (ageing buckets per customer, pending/cleared per day). */
function stackedChart(d: ChartData, lang: Lang, title: string): string {
  const W = 960;
  const rowH = 30;
  const left = 180;
  const top = 34;
  const H = top + d.labels.length * rowH + 10;
  const totals = d.labels.map((_, i) => d.series.reduce((a, s) => a + Math.max(0, s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const span = W - left - 140;
  let body = legend(d.series, left, 6);
  d.labels.forEach((label, i) => {
    const y = top + i * rowH;
    let x = left;
    body += `<text x="${left - 10}" y="${y + 18}" class="label" text-anchor="end">${esc(truncate(label, 16))}</text>`;
    d.series.forEach((s, j) => {
      const v = Math.max(0, s.values[i] ?? 0);
      const w = (v / max) * span;
      if (w > 0) {
        body += `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${PALETTE[j % PALETTE.length]}"><title>${esc(`${label} ${s.label}: ${short(v, s.money, lang)}`)}</title></rect>`;
      }
      x += w;
    });
    body += `<text x="${(x + 8).toFixed(1)}" y="${y + 18}" class="label">${esc(short(totals[i] ?? 0, d.series[0]?.money ?? false, lang))}</text>`;
  });
  return svg(W, H, body, title);
}

/** Lines over the labels (months, days), one per series. */
function lineChart(d: ChartData, lang: Lang, title: string): string {
  const W = 960;
  const H = 340;
  const left = 70;
  const top = 36;
  const bottom = 50;
  const plotH = H - top - bottom;
  const max = Math.max(1, ...d.series.flatMap((s) => s.values));
  const step = d.labels.length > 1 ? (W - left - 30) / (d.labels.length - 1) : 0;
  const xAt = (i: number) => left + (d.labels.length > 1 ? i * step : (W - left) / 2);
  let body = legend(d.series, left, 8);
  for (let t = 0; t <= 4; t++) {
    const y = top + plotH - (plotH * t) / 4;
    body += `<line x1="${left}" x2="${W - 10}" y1="${y}" y2="${y}" class="grid"/><text x="${left - 6}" y="${y + 4}" class="small" text-anchor="end">${esc(short((max * t) / 4, d.series[0]?.money ?? false, lang))}</text>`;
  }
  d.series.forEach((s, j) => {
    const pts = s.values.map(
      (v, i) => `${xAt(i).toFixed(1)},${(top + plotH - (Math.max(0, v) / max) * plotH).toFixed(1)}`,
    );
    body += `<polyline fill="none" stroke="${PALETTE[j % PALETTE.length]}" stroke-width="2.5" points="${pts.join(' ')}"/>`;
    for (const p of pts) {
      const [x, y] = p.split(',');
      body += `<circle cx="${x}" cy="${y}" r="3.5" fill="${PALETTE[j % PALETTE.length]}"/>`;
    }
  });
  d.labels.forEach((label, i) => {
    body += `<text x="${xAt(i).toFixed(1)}" y="${H - bottom + 18}" class="label" text-anchor="middle">${esc(truncate(label, 10))}</text>`;
  });
  return svg(W, H, body, title);
}

export function renderChart(model: ReportModel, lang: Lang): string {
  const spec = model.chart;
  if (!spec || model.rows.length === 0) return '';
  const d = chartData(model, spec, lang);
  const title = lang === 'zh' ? model.title.zh : model.title.en;
  switch (spec.type) {
    case 'bar':
      return barChart(d, lang, title);
    case 'hbar':
      return hbarChart(d, lang, title);
    case 'funnel':
      return hbarChart(d, lang, title, true);
    case 'donut':
      return donutChart(d, lang, title);
    case 'stacked':
      return stackedChart(d, lang, title);
    case 'line':
      return lineChart(d, lang, title);
  }
}

const CSS = `
body{font-family:${FONT};margin:24px 32px;color:#1f2933;background:#fff}
h1{font-size:24px;margin:0 0 6px}
.params{color:#52606d;font-size:14px;margin:0 0 4px}
.params span{margin-right:18px}
.sub{color:#3e4c59;font-size:14px;margin:2px 0}
.chart{display:block;margin:16px 0;max-width:100%;height:auto}
.chart text{font-family:${FONT};fill:#323f4b}
.chart .label{font-size:13px}.chart .small{font-size:11px;fill:#7b8794}.chart .big{font-size:20px;font-weight:bold}
.chart .grid{stroke:#e4e7eb;stroke-width:1}
table{border-collapse:collapse;font-size:14px;margin-top:8px}
th,td{padding:5px 10px;border-bottom:1px solid #e4e7eb;white-space:nowrap}
th{background:#f5f7fa;text-align:left;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tfoot td{font-weight:bold;border-top:2px solid #9aa5b1}
.totals{margin-top:12px;font-size:14px}.totals span{margin-right:20px}
.empty{color:#7b8794;font-style:italic}
footer{margin-top:24px;color:#9aa5b1;font-size:12px}
`;

export function renderHtml(model: ReportModel, opts: { lang: Lang; generatedAt?: string }): string {
  const { lang } = opts;
  const t = (l: { zh: string; en: string }) => (lang === 'zh' ? l.zh : l.en);
  const title = t(model.title);
  const params = paramEntries(model, lang)
    .map(([k, v]) => `<span>${esc(k)}${lang === 'zh' ? '：' : ': '}<b>${esc(v)}</b></span>`)
    .join('');
  const head = model.columns
    .map((c) => `<th class="${isNumericKind(c.kind) ? 'num' : ''}">${esc(t(c.label))}</th>`)
    .join('');
  const body = model.rows
    .map(
      (r) =>
        `<tr>${model.columns.map((c) => `<td class="${isNumericKind(c.kind) ? 'num' : ''}">${esc(peopleValue(c, r[c.key], lang))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  const hasTotals = model.columns.some((c, i) => i > 0 && c.key in model.totals);
  const foot = hasTotals
    ? `<tfoot><tr>${model.columns
        .map((c, i) =>
          i === 0
            ? `<td>${esc(t({ zh: '合计', en: 'Total' }))}</td>`
            : `<td class="${isNumericKind(c.kind) ? 'num' : ''}" data-total="${esc(c.key)}">${c.key in model.totals ? esc(displayValue(c.kind, model.totals[c.key])) : ''}</td>`,
        )
        .join('')}</tr></tfoot>`
    : '';
  const extra = extraTotals(model, lang)
    .map(
      ({ key, label }) =>
        `<span data-total="${esc(key)}">${esc(label)}${lang === 'zh' ? '：' : ': '}<b>${esc(displayValue(totalKind(model, key), model.totals[key]))}</b></span>`,
    )
    .join('');
  const table = model.rows.length
    ? `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody>${foot}</table>`
    : `<p class="empty">${esc(t({ zh: '本期无数据', en: 'No data for these parameters' }))}</p>`;
  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="params">${params}</p>
${(model.subtitle ?? []).map((s) => `<p class="sub">${esc(t(s))}</p>`).join('\n')}
${renderChart(model, lang)}
${table}
${extra ? `<p class="totals">${extra}</p>` : ''}
<footer>crm · ${esc(model.report)}${opts.generatedAt ? ` · ${esc(opts.generatedAt)}` : ''}</footer>
</body>
</html>
`;
}
