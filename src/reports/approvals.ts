/**
 * Approval reports (pure models): per request type (counts per status, amounts, mean working days to decide), per
 * approver (decisions and how long their steps waited), and spending (approved budgets against actual spending of
 * expenses, receptions and gifts, per requester and customer).
 */
import { APPROVAL_TYPE } from '../domain/approvals/vocabulary.js';
import { m } from '../domain/i18n.js';
import { percentBp, percentString } from './common.js';
import type { ReportColumn, ReportModel, ReportRow, ReportValue } from './model.js';

export const APPROVAL_REPORT_VIEWS = ['type', 'approver', 'spending'] as const;
export type ApprovalReportView = (typeof APPROVAL_REPORT_VIEWS)[number];

/** A mean of whole working days with two decimals ("1.50"); empty when nothing was decided. */
export function meanDays(totalDays: number, count: number): string {
  return count ? percentString(percentBp(totalDays, count * 100)) : '';
}

const typeWords = (code: string) => APPROVAL_TYPE[code];

export interface TypeFigures {
  type: string;
  submitted: number;
  pending: number;
  approved: number;
  rejected: number;
  withdrawn: number;
  amountFen: number;
  /** Working days from submission to the final decision, summed over decided requests. */
  decidedDays: number;
  decided: number;
}

const TYPE_COLUMNS: ReportColumn[] = [
  { key: 'type', label: m('类型', 'type'), kind: 'text', words: typeWords },
  { key: 'submitted', label: m('提交', 'submitted'), kind: 'int', sum: true },
  { key: 'pending', label: m('审批中', 'pending'), kind: 'int', sum: true },
  { key: 'approved', label: m('已通过', 'approved'), kind: 'int', sum: true },
  { key: 'rejected', label: m('已驳回', 'rejected'), kind: 'int', sum: true },
  { key: 'withdrawn', label: m('已撤回', 'withdrawn'), kind: 'int', sum: true },
  { key: 'amount', label: m('申请金额', 'amount'), kind: 'money', sum: true },
  { key: 'meanDays', label: m('平均审批工作日', 'mean working days to decide'), kind: 'text' },
];

function totalsOf(columns: ReportColumn[], rows: ReportRow[]): Record<string, ReportValue> {
  const totals: Record<string, ReportValue> = {};
  for (const c of columns) if (c.sum) totals[c.key] = rows.reduce((s, r) => s + Number(r[c.key] ?? 0), 0);
  return totals;
}

export function buildApprovalsByType(params: Record<string, ReportValue>, figures: TypeFigures[]): ReportModel {
  const rows = figures.map((f) => ({
    type: f.type,
    submitted: f.submitted,
    pending: f.pending,
    approved: f.approved,
    rejected: f.rejected,
    withdrawn: f.withdrawn,
    amount: f.amountFen,
    meanDays: meanDays(f.decidedDays, f.decided),
  }));
  const totals = totalsOf(TYPE_COLUMNS, rows);
  totals.meanDays = meanDays(
    figures.reduce((s, f) => s + f.decidedDays, 0),
    figures.reduce((s, f) => s + f.decided, 0),
  );
  return {
    report: 'approvals',
    title: m('审批统计（按类型）', 'Approvals by type'),
    params: { ...params, by: 'type' },
    columns: TYPE_COLUMNS,
    rows,
    totals,
    chart: { type: 'stacked', labelKey: 'type', valueKeys: ['pending', 'approved', 'rejected', 'withdrawn'] },
  };
}

export interface ApproverFigures {
  approver: string;
  approved: number;
  rejected: number;
  onBehalf: number;
  /** Working days each decided step waited, summed. */
  waitedDays: number;
}

const APPROVER_COLUMNS: ReportColumn[] = [
  { key: 'approver', label: m('审批人', 'approver'), kind: 'text' },
  { key: 'decisions', label: m('审批次数', 'decisions'), kind: 'int', sum: true },
  { key: 'approved', label: m('同意', 'approved'), kind: 'int', sum: true },
  { key: 'rejected', label: m('驳回', 'rejected'), kind: 'int', sum: true },
  { key: 'onBehalf', label: m('代理审批', 'as a delegate'), kind: 'int', sum: true },
  { key: 'meanDays', label: m('平均等待工作日', 'mean working days waited'), kind: 'text' },
];

export function buildApprovalsByApprover(params: Record<string, ReportValue>, figures: ApproverFigures[]): ReportModel {
  const rows = figures.map((f) => ({
    approver: f.approver,
    decisions: f.approved + f.rejected,
    approved: f.approved,
    rejected: f.rejected,
    onBehalf: f.onBehalf,
    meanDays: meanDays(f.waitedDays, f.approved + f.rejected),
  }));
  const totals = totalsOf(APPROVER_COLUMNS, rows);
  totals.meanDays = meanDays(
    figures.reduce((s, f) => s + f.waitedDays, 0),
    figures.reduce((s, f) => s + f.approved + f.rejected, 0),
  );
  return {
    report: 'approvals',
    title: m('审批统计（按审批人）', 'Approvals by approver'),
    params: { ...params, by: 'approver' },
    columns: APPROVER_COLUMNS,
    rows,
    totals,
    chart: { type: 'hbar', labelKey: 'approver', valueKeys: ['decisions'] },
  };
}

export interface SpendingFigures {
  requester: string;
  customer: string;
  type: string;
  approved: number;
  budgetFen: number;
  settled: number;
  /** Budget of the settled requests only, to compare with what they spent. */
  settledBudgetFen: number;
  actualFen: number;
}

const SPENDING_COLUMNS: ReportColumn[] = [
  { key: 'requester', label: m('申请人', 'requester'), kind: 'text' },
  { key: 'customer', label: m('客户', 'customer'), kind: 'text' },
  { key: 'type', label: m('类型', 'type'), kind: 'text', words: typeWords },
  { key: 'approved', label: m('已通过', 'approved'), kind: 'int', sum: true },
  { key: 'budget', label: m('批准金额', 'approved amount'), kind: 'money', sum: true },
  { key: 'settled', label: m('已报实际', 'settled'), kind: 'int', sum: true },
  { key: 'settledBudget', label: m('已报部分预算', 'budget of settled'), kind: 'money', sum: true },
  { key: 'actual', label: m('实际花费', 'actual'), kind: 'money', sum: true },
  { key: 'difference', label: m('节余（预算−实际）', 'under budget'), kind: 'money', sum: true },
];

export function buildApprovalSpending(params: Record<string, ReportValue>, figures: SpendingFigures[]): ReportModel {
  const rows = figures.map((f) => ({
    requester: f.requester,
    customer: f.customer,
    type: f.type,
    approved: f.approved,
    budget: f.budgetFen,
    settled: f.settled,
    settledBudget: f.settledBudgetFen,
    actual: f.actualFen,
    difference: f.settledBudgetFen - f.actualFen,
  }));
  return {
    report: 'approvals',
    title: m(
      '费用审批：预算与实际（按申请人和客户）',
      'Approved spending: budget and actual, per requester and customer',
    ),
    params: { ...params, by: 'spending' },
    columns: SPENDING_COLUMNS,
    rows,
    totals: totalsOf(SPENDING_COLUMNS, rows),
    chart: { type: 'bar', labelKey: 'requester', valueKeys: ['settledBudget', 'actual'] },
  };
}
