import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderDetails } from '../../cli/output.js';
import { APPROVAL_STATUS, APPROVAL_TYPE, DECISION, STEP_STATUS } from '../../domain/approvals/vocabulary.js';
import { formatYuan, yuanString } from '../../domain/money.js';
import { wordFor } from '../../domain/vocabulary.js';
import type { RequestView } from '../../services/approvals/requests.js';

const yuan = (fen: number | null) => (fen === null ? null : yuanString(fen));

/** The `--json` contract of submit, show and every decision: amounts in yuan strings, times in UTC ISO. */
export function requestJson(v: RequestView) {
  return {
    id: v.id,
    type: v.type,
    title: v.title,
    status: v.status,
    requester: v.requester,
    amount: yuan(v.amountFen),
    from: v.from,
    to: v.to,
    customer: v.customer,
    order: v.order,
    items: v.items.map((i) => ({ name: i.name, quantity: i.quantity, budget: yuanString(i.budgetFen) })),
    attendees: v.attendees,
    note: v.note,
    cc: v.cc,
    round: v.round,
    step: v.step,
    steps: v.steps.map((s) => ({ step: s.step, approver: s.approver, above: yuan(s.aboveFen), status: s.status })),
    waitingFor: v.waitingFor,
    decisions: v.decisions.map((d) => ({
      round: d.round,
      step: d.step,
      by: d.by,
      onBehalfOf: d.onBehalfOf,
      decision: d.decision,
      comment: d.comment,
      at: d.at,
    })),
    submittedAt: v.submittedAt,
    waitingSince: v.waitingSince,
    decidedAt: v.decidedAt,
    rejectReason: v.rejectReason,
    actual: yuan(v.actualFen),
    actualNote: v.actualNote,
    settledAt: v.settledAt,
  };
}

export const requestColumns: Column<RequestView>[] = [
  { key: 'id', label: m('编号', 'id'), align: 'right' },
  { key: 'type', label: m('类型', 'type'), words: APPROVAL_TYPE },
  { key: 'title', label: m('标题', 'title') },
  { key: 'requester', label: m('申请人', 'requester') },
  { key: 'amount', label: m('金额', 'amount'), align: 'right', value: (v) => yuan(v.amountFen) ?? '' },
  { key: 'status', label: m('状态', 'status'), words: APPROVAL_STATUS },
  { key: 'step', label: m('步骤', 'step'), value: (v) => (v.step ? `${v.step}/${v.steps.length}` : '') },
  { key: 'waitingFor', label: m('待审批人', 'waiting for'), value: (v) => v.waitingFor.join(',') },
  { key: 'submittedAt', label: m('提交时间', 'submitted'), time: true },
];

function stepLine(ctx: CliContext, s: RequestView['steps'][number]): string {
  return `  ${s.step}. ${ctx.t(s.words)}  ${wordFor(ctx.lang, STEP_STATUS, s.status)}`;
}

export function printRequest(ctx: CliContext, v: RequestView): void {
  if (ctx.json) {
    printJson(ctx, requestJson(v));
    return;
  }
  renderDetails(
    ctx,
    [
      [m('编号', 'id'), v.id],
      [m('类型', 'type'), wordFor(ctx.lang, APPROVAL_TYPE, v.type)],
      [m('标题', 'title'), v.title],
      [m('申请人', 'requester'), v.requester],
      [m('状态', 'status'), wordFor(ctx.lang, APPROVAL_STATUS, v.status)],
      [m('金额', 'amount'), v.amountFen === null ? null : formatYuan(v.amountFen)],
      [m('日期', 'dates'), v.from ? (v.to && v.to !== v.from ? `${v.from} – ${v.to}` : v.from) : null],
      [m('客户', 'customer'), v.customer],
      [m('同席人员', 'attendees'), v.attendees],
      [m('知会', 'copied to'), v.cc.join(', ')],
      [m('备注', 'note'), v.note],
      [m('提交时间', 'submitted'), ctx.localTime(v.submittedAt)],
      [m('待审批人', 'waiting for'), v.waitingFor.join(', ')],
      [m('驳回原因', 'rejected because'), v.rejectReason],
      [m('实际花费', 'actual spending'), v.actualFen === null ? null : formatYuan(v.actualFen)],
    ],
    null,
  );
  if (v.items.length) {
    ctx.out(ctx.t(m('明细：', 'items:')));
    for (const i of v.items) ctx.out(`  ${i.name} × ${i.quantity}  ${formatYuan(i.budgetFen)}`);
  }
  if (v.steps.length) {
    ctx.out(ctx.t(m('审批步骤（第 {r} 轮）：', 'steps (round {r}):'), { r: v.round }));
    for (const s of v.steps) ctx.out(stepLine(ctx, s));
  }
  if (v.decisions.length) {
    ctx.out(ctx.t(m('审批记录：', 'decisions:')));
    for (const d of v.decisions) {
      const behalf = d.onBehalfOf ? ctx.t(m('（代 {who}）', ' (for {who})'), { who: d.onBehalfOf }) : '';
      ctx.out(
        `  ${ctx.localTime(d.at)}  ${ctx.t(m('第 {r} 轮第 {s} 步', 'round {r} step {s}'), { r: d.round, s: d.step })}  ${d.by}${behalf}  ${wordFor(ctx.lang, DECISION, d.decision)}${d.comment ? `  ${d.comment}` : ''}`,
      );
    }
  }
}

/** One line after a change: the request's id and where it stands. */
export function statusLine(ctx: CliContext, v: RequestView): void {
  if (ctx.json) {
    printJson(ctx, requestJson(v));
    return;
  }
  const status = wordFor(ctx.lang, APPROVAL_STATUS, v.status);
  ctx.out(
    v.status === 'pending'
      ? ctx.t(
          m(
            '申请 {id}：{status}，第 {step}/{n} 步，待 {who} 审批',
            'request {id}: {status}, step {step} of {n}, waiting for {who}',
          ),
          {
            id: v.id,
            status,
            step: v.step ?? '',
            n: v.steps.length,
            who: v.waitingFor.join(', ') || '-',
          },
        )
      : ctx.t(m('申请 {id}：{status}', 'request {id}: {status}'), { id: v.id, status }),
  );
}
