import { m } from '../domain/i18n.js';
import type { ReportModel, ReportRow, ReportValue } from './model.js';
import { quantityString } from './ranking.js';

export interface ProductInput {
  code: string;
  name: string;
  category: string | null;
  orders: number;
  quantityMilli: number;
  amountFen: number;
}

/**
 * Sales per product (or per category) ranked by amount. `top` keeps the best N, `bottom` the worst N
 * (listed worst first); totals always cover every product sold in the period.
 */
export function buildProducts(
  params: Record<string, ReportValue>,
  by: 'product' | 'category',
  items: ProductInput[],
  opts: { top?: number; bottom?: number } = {},
): ReportModel {
  const ranked = [...items]
    .sort(
      (a, b) => b.amountFen - a.amountFen || (a.code + (a.category ?? '')).localeCompare(b.code + (b.category ?? '')),
    )
    .map((p, i) => ({ p, rank: i + 1 }));
  let shown = ranked;
  if (opts.bottom) shown = ranked.slice(-opts.bottom).reverse();
  else if (opts.top) shown = ranked.slice(0, opts.top);
  const rows = shown.map(
    ({ p, rank }): ReportRow =>
      by === 'product'
        ? {
            rank,
            code: p.code,
            name: p.name,
            category: p.category,
            orders: p.orders,
            quantity: quantityString(p.quantityMilli),
            amount: p.amountFen,
          }
        : {
            rank,
            category: p.category,
            orders: p.orders,
            quantity: quantityString(p.quantityMilli),
            amount: p.amountFen,
          },
  );
  const first = ranked[0]?.p;
  const last = ranked[ranked.length - 1]?.p;
  const label = (p: ProductInput | undefined) => (p ? (by === 'product' ? p.name : (p.category ?? '-')) : null);
  return {
    report: 'products',
    title: by === 'product' ? m('产品销售', 'Product sales') : m('产品类别销售', 'Sales per product category'),
    params: { ...params, by, top: opts.top ?? null, bottom: opts.bottom ?? null },
    columns: [
      { key: 'rank', label: m('名次', 'rank'), kind: 'int' },
      ...(by === 'product'
        ? [
            { key: 'code', label: m('编码', 'code'), kind: 'text' as const },
            { key: 'name', label: m('产品', 'product'), kind: 'text' as const },
          ]
        : []),
      { key: 'category', label: m('类别', 'category'), kind: 'text' },
      { key: 'orders', label: m('订单数', 'orders'), kind: 'int' },
      { key: 'quantity', label: m('数量', 'quantity'), kind: 'text' },
      { key: 'amount', label: m('金额', 'amount'), kind: 'money', sum: true },
    ],
    rows,
    totals: {
      products: items.length,
      quantity: quantityString(items.reduce((s, p) => s + p.quantityMilli, 0)),
      amount: items.reduce((s, p) => s + p.amountFen, 0),
      top: label(first),
      bottom: label(last),
    },
    totalKinds: { products: 'int', top: 'text', bottom: 'text' },
    chart: { type: 'hbar', labelKey: by === 'product' ? 'name' : 'category', valueKeys: ['amount'] },
  };
}
