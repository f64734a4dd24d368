import type { Lang } from '../domain/i18n.js';
import { KIND_LABEL, STATUS_LABEL } from '../services/settlement/common.js';
import type { ClassifyTable, SummaryList } from '../services/settlement/summary.js';
import type { ReportModel } from './model.js';

// The settlement day's printed lists as report models: the `settlement summary|classify` commands and the
// pending-summary / clearing-files jobs render these same models (print, CSV, table).

/** 财政拨付划款汇总清单: rows by first-level unit and kind (kind kept as `payment`/`refund`; see `withKindLabels`). */
export function summaryModel(list: SummaryList, kind?: string): ReportModel {
  const kindText = kind ? KIND_LABEL[kind as 'payment' | 'refund'] : undefined;
  return {
    report: 'settlement-summary',
    title: { zh: '财政拨付划款汇总清单', en: 'Fiscal payment summary list' },
    params: { date: list.date, status: list.status },
    paramsInSubtitle: true,
    subtitle: [
      {
        zh: `日期：${list.date}  清算类型：${STATUS_LABEL[list.status].zh}${kind ? `  类型：${kindText?.zh ?? kind}` : ''}`,
        en: `date: ${list.date}  status: ${STATUS_LABEL[list.status].en}${kind ? `  kind: ${kind}` : ''}`,
      },
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
      kind: r.kind,
      count: r.count,
      total: r.totalFen,
    })),
    totals: { count: list.count, total: list.totalFen },
    signatures: true,
  };
}

/** 清算分类统计表: rows by account class and kind. */
export function classificationModel(table: ClassifyTable): ReportModel {
  return {
    report: 'settlement-classification',
    title: { zh: '清算分类统计表', en: 'Clearing classification table' },
    params: { date: table.date, status: table.status },
    paramsInSubtitle: true,
    subtitle: [
      {
        zh: `日期：${table.date}  清算类型：${STATUS_LABEL[table.status].zh}`,
        en: `date: ${table.date}  status: ${STATUS_LABEL[table.status].en}`,
      },
    ],
    columns: [
      { key: 'accountClass', label: { zh: '账户分类', en: 'account class' }, kind: 'text' },
      { key: 'kind', label: { zh: '类型', en: 'kind' }, kind: 'text' },
      { key: 'count', label: { zh: '笔数', en: 'count' }, kind: 'int', sum: true },
      { key: 'total', label: { zh: '金额', en: 'amount' }, kind: 'money', sum: true },
    ],
    rows: table.rows.map((r) => ({ accountClass: r.accountClass, kind: r.kind, count: r.count, total: r.totalFen })),
    totals: { count: table.count, total: table.totalFen },
    signatures: true,
  };
}

/** The same model with each row's kind in words (划款/退款 or payment/refund), for people and their files. */
export function withKindLabels(model: ReportModel, lang: Lang): ReportModel {
  return {
    ...model,
    rows: model.rows.map((r) => {
      const label = KIND_LABEL[r.kind as 'payment' | 'refund'];
      return { ...r, kind: label ? label[lang] : (r.kind ?? null) };
    }),
  };
}
