import { m } from '../domain/i18n.js';
import { pct } from './common.js';
import type { ReportModel, ReportValue } from './model.js';

export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;

export interface GroupInput {
  key: string | null;
  customers: number;
  orders: number;
  salesFen: number;
}

/** Rows per group with each group's share of the customers and of the sales (basis points). */
function groupRows(groups: GroupInput[], keyName: string) {
  const customers = groups.reduce((s, g) => s + g.customers, 0);
  const sales = groups.reduce((s, g) => s + g.salesFen, 0);
  return {
    rows: groups.map((g) => ({
      [keyName]: g.key,
      customers: g.customers,
      customerShare: pct(g.customers, customers),
      orders: g.orders,
      sales: g.salesFen,
      salesShare: pct(g.salesFen, sales),
    })),
    totals: {
      customers,
      customerShare: customers ? '100.00' : '0.00',
      orders: groups.reduce((s, g) => s + g.orders, 0),
      sales,
      salesShare: sales ? '100.00' : '0.00',
    },
  };
}

const groupColumns = (keyName: string, keyLabel: { zh: string; en: string }) => [
  { key: keyName, label: keyLabel, kind: 'text' as const },
  { key: 'customers', label: m('客户数', 'customers'), kind: 'int' as const, sum: true },
  { key: 'customerShare', label: m('客户占比%', 'customers %'), kind: 'percent' as const },
  { key: 'orders', label: m('订单数', 'orders'), kind: 'int' as const, sum: true },
  { key: 'sales', label: m('销售额', 'sales'), kind: 'money' as const, sum: true },
  { key: 'salesShare', label: m('销售占比%', 'sales %'), kind: 'percent' as const },
];

/** A–E distribution (then customers without a grade): count, share of customers, sales and share of sales. */
export function buildGrading(params: Record<string, ReportValue>, groups: GroupInput[]): ReportModel {
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const ordered: GroupInput[] = GRADES.map((g) => byKey.get(g) ?? { key: g, customers: 0, orders: 0, salesFen: 0 });
  for (const g of groups) if (!(GRADES as readonly (string | null)[]).includes(g.key)) ordered.push(g);
  const { rows, totals } = groupRows(ordered, 'grade');
  return {
    report: 'grading',
    title: m('客户分级分布', 'Customer grading'),
    params,
    columns: groupColumns('grade', m('等级', 'grade')),
    rows,
    totals,
    chart: { type: 'donut', labelKey: 'grade', valueKeys: ['customers'] },
  };
}

export interface GradeCustomerInput {
  code: string;
  name: string;
  owner: string | null;
  orders: number;
  salesFen: number;
}

/** The customers of one grade with their sales in the period. */
export function buildGradeCustomers(
  params: Record<string, ReportValue>,
  grade: string,
  customers: GradeCustomerInput[],
): ReportModel {
  const rows = customers.map((c) => ({
    code: c.code,
    name: c.name,
    owner: c.owner,
    orders: c.orders,
    sales: c.salesFen,
  }));
  return {
    report: 'grading',
    title: { zh: `${grade} 级客户`, en: `Grade ${grade} customers` },
    params: { ...params, grade },
    columns: [
      { key: 'code', label: m('编码', 'code'), kind: 'text' },
      { key: 'name', label: m('客户', 'customer'), kind: 'text' },
      { key: 'owner', label: m('客户经理', 'owner'), kind: 'text' },
      { key: 'orders', label: m('订单数', 'orders'), kind: 'int', sum: true },
      { key: 'sales', label: m('销售额', 'sales'), kind: 'money', sum: true },
    ],
    rows,
    totals: {
      customers: rows.length,
      orders: rows.reduce((s, r) => s + r.orders, 0),
      sales: rows.reduce((s, r) => s + r.sales, 0),
    },
    totalKinds: { customers: 'int' },
    chart: { type: 'hbar', labelKey: 'name', valueKeys: ['sales'] },
  };
}

export const PORTRAIT_LABELS = {
  industry: m('行业', 'industry'),
  region: m('地区', 'region'),
  source: m('来源', 'source'),
  grade: m('等级', 'grade'),
};

/** Customers and sales per industry, region, source or grade; biggest sales first, then most customers. */
export function buildPortrait(
  params: Record<string, ReportValue>,
  by: keyof typeof PORTRAIT_LABELS,
  groups: GroupInput[],
): ReportModel {
  const sorted = [...groups].sort(
    (a, b) => b.salesFen - a.salesFen || b.customers - a.customers || String(a.key).localeCompare(String(b.key)),
  );
  const { rows, totals } = groupRows(sorted, by);
  return {
    report: 'portrait',
    title: { zh: `客户画像：按${PORTRAIT_LABELS[by].zh}`, en: `Customer portrait by ${PORTRAIT_LABELS[by].en}` },
    params: { ...params, by },
    columns: groupColumns(by, PORTRAIT_LABELS[by]),
    rows,
    totals,
    chart: { type: 'bar', labelKey: by, valueKeys: ['sales'] },
  };
}
