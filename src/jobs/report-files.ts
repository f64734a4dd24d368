import fs from 'node:fs';
import path from 'node:path';
import type { ReportModel } from '../reports/model.js';
import { renderCsv } from '../reports/render/csv.js';
import { renderPrint } from '../reports/render/print.js';
import type { ClassifyTable, SummaryList } from '../services/settlement/summary.js';

/** Write a file atomically (temp file, then rename), so a reader never sees half a report. */
function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

const STATUS = { pending: { zh: '待清算', en: 'pending' }, cleared: { zh: '已清算', en: 'cleared' } } as const;
const KIND = { payment: '划款', refund: '退款' } as const;

/** 财政拨付划款汇总清单 as a report model (rows by first-level unit and kind), for printing and CSV. */
export function summaryModel(list: SummaryList): ReportModel {
  return {
    report: 'settlement-summary',
    title: { zh: '财政拨付划款汇总清单', en: 'Summary list of fiscal payments' },
    params: { date: list.date, status: list.status },
    subtitle: [
      { zh: `清算类型：${STATUS[list.status].zh}`, en: `status: ${STATUS[list.status].en}` },
      { zh: `交易日期：${list.date}`, en: `trade date: ${list.date}` },
    ],
    columns: [
      { key: 'unitCode', label: { zh: '一级预算单位国标码', en: 'unit code' }, kind: 'text' },
      { key: 'unitName', label: { zh: '单位名称', en: 'unit name' }, kind: 'text' },
      { key: 'kind', label: { zh: '类型', en: 'kind' }, kind: 'text' },
      { key: 'count', label: { zh: '笔数', en: 'count' }, kind: 'int', sum: true },
      { key: 'total', label: { zh: '金额', en: 'amount' }, kind: 'money', sum: true },
    ],
    rows: list.rows.map((r) => ({
      unitCode: r.unitCode,
      unitName: r.unitName,
      kind: KIND[r.kind],
      count: r.count,
      total: r.totalFen,
    })),
    totals: { count: list.count, total: list.totalFen },
    signatures: true,
  };
}

/** 清算分类统计表 as a report model (rows by account class and kind). */
export function classificationModel(table: ClassifyTable): ReportModel {
  return {
    report: 'settlement-classification',
    title: { zh: '清算分类统计表', en: 'Clearing classification table' },
    params: { date: table.date, status: table.status },
    subtitle: [{ zh: `清算类型：${STATUS[table.status].zh}`, en: `status: ${STATUS[table.status].en}` }],
    columns: [
      { key: 'accountClass', label: { zh: '账户分类', en: 'account class' }, kind: 'text' },
      { key: 'kind', label: { zh: '类型', en: 'kind' }, kind: 'text' },
      { key: 'count', label: { zh: '笔数', en: 'count' }, kind: 'int', sum: true },
      { key: 'total', label: { zh: '金额', en: 'amount' }, kind: 'money', sum: true },
    ],
    rows: table.rows.map((r) => ({
      accountClass: r.accountClass,
      kind: KIND[r.kind],
      count: r.count,
      total: r.totalFen,
    })),
    totals: { count: table.count, total: table.totalFen },
    signatures: true,
  };
}

/**
 * A report as the files the operators print and file: `<dir>/<base>.txt` (the printed form, Chinese) and
 * `<dir>/<base>.csv`. Returns the paths written.
 */
export function writeReportFiles(
  dir: string,
  base: string,
  model: ReportModel,
  opts: { pageLines?: number; printedAt?: string } = {},
): string[] {
  const txt = path.join(dir, `${base}.txt`);
  const csv = path.join(dir, `${base}.csv`);
  writeAtomic(txt, renderPrint(model, { lang: 'zh', pageLines: opts.pageLines, printedAt: opts.printedAt }));
  writeAtomic(csv, renderCsv(model));
  return [txt, csv];
}
