import { m } from '../domain/i18n.js';
import type { ReportModel, ReportValue } from './model.js';

export interface PoolInput {
  month: string;
  returned: number;
  claimed: number;
  assigned: number;
  released: number;
}

/** Customers moving in and out of the public pool per month, and the pool's size now. */
export function buildPool(params: Record<string, ReportValue>, months: PoolInput[], poolSize: number): ReportModel {
  const rows = months.map((p) => ({ ...p }));
  const sum = (k: 'returned' | 'claimed' | 'assigned' | 'released') => rows.reduce((s, r) => s + r[k], 0);
  return {
    report: 'pool',
    title: m('公海统计', 'Public pool'),
    params,
    columns: [
      { key: 'month', label: m('月份', 'month'), kind: 'text' },
      { key: 'returned', label: m('退回公海', 'returned'), kind: 'int', sum: true },
      { key: 'released', label: m('主动释放', 'released'), kind: 'int', sum: true },
      { key: 'claimed', label: m('领取', 'claimed'), kind: 'int', sum: true },
      { key: 'assigned', label: m('分配', 'assigned'), kind: 'int', sum: true },
    ],
    rows,
    totals: {
      returned: sum('returned'),
      released: sum('released'),
      claimed: sum('claimed'),
      assigned: sum('assigned'),
      poolSize,
    },
    totalKinds: { poolSize: 'int' },
    subtitle: [{ zh: `当前公海客户数：${poolSize}`, en: `customers in the pool now: ${poolSize}` }],
    chart: { type: 'line', labelKey: 'month', valueKeys: ['returned', 'claimed', 'assigned'] },
  };
}
