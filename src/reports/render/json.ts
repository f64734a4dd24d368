import { dataValue, totalKind } from '../format.js';
import type { ReportModel, ReportValue } from '../model.js';

/** The JSON contract: {"report", "params", "rows", "totals"}; amounts are yuan strings with two decimals. */
export function toJson(model: ReportModel): {
  report: string;
  params: Record<string, ReportValue>;
  rows: Record<string, ReportValue>[];
  totals: Record<string, ReportValue>;
} {
  const rows = model.rows.map((r) => {
    const out: Record<string, ReportValue> = {};
    for (const c of model.columns) out[c.key] = dataValue(c.kind, r[c.key]);
    return out;
  });
  const totals: Record<string, ReportValue> = {};
  for (const [k, v] of Object.entries(model.totals)) totals[k] = dataValue(totalKind(model, k), v);
  return { report: model.report, params: model.params, rows, totals };
}

export function renderJson(model: ReportModel, pretty = false): string {
  return `${JSON.stringify(toJson(model), null, pretty ? 2 : undefined)}\n`;
}
