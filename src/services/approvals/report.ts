/** The data behind `crm reports approvals` (the models are built in src/reports/approvals.ts). */
import { ApprovalErrors, approvalError } from '../../domain/approvals/flows.js';
import { addDays, businessDate, compareDates } from '../../domain/clock.js';
import { ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { parseFen } from '../../domain/money.js';
import { requireCapability } from '../../domain/roles.js';
import {
  APPROVAL_REPORT_VIEWS,
  type ApprovalReportView,
  type ApproverFigures,
  buildApprovalSpending,
  buildApprovalsByApprover,
  buildApprovalsByType,
  type SpendingFigures,
  type TypeFigures,
} from '../../reports/approvals.js';
import { resolvePeriod } from '../../reports/common.js';
import type { ReportModel } from '../../reports/model.js';
import { loadCalendar } from '../calendar.js';
import type { ServiceContext } from '../context.js';
import { today } from '../today.js';
import { scopeUserIds } from '../users.js';
import { People, type Row } from './engine.js';

export interface ApprovalReportOptions {
  from?: string;
  to?: string;
  period?: string;
  by?: string;
}

/**
 * Requests submitted in the period (business dates), within the actor's data scope (their own; a manager's team;
 * everything for roles that read everything). Working days count the PRC calendar: those after the day a step
 * opened up to the day it was decided.
 */
export async function approvalsReport(ctx: ServiceContext, opts: ApprovalReportOptions): Promise<ReportModel> {
  requireCapability(ctx.actor, 'crm.read', m('查看报表', 'read reports'));
  const by = (opts.by ?? 'type') as ApprovalReportView;
  if (!APPROVAL_REPORT_VIEWS.includes(by)) {
    throw approvalError(
      ApprovalErrors.badListFilter,
      m(`--by 的取值无效：${opts.by}`, `invalid --by ${opts.by}`),
      ExitCode.usage,
      m(`可选：${APPROVAL_REPORT_VIEWS.join(', ')}`, `one of ${APPROVAL_REPORT_VIEWS.join(', ')}`),
    );
  }
  const tz = await ctx.settings.get<string>('timezone');
  const period = resolvePeriod(opts, await today(ctx));
  const params = { from: period.from, to: period.to };
  const scope = await scopeUserIds(ctx);
  const people = await People.load(ctx.db);
  const calendar = await loadCalendar(ctx.db);
  const day = (iso: unknown) => businessDate(new Date(String(iso)), tz);
  const waited = (fromIso: unknown, toIso: unknown) => {
    const a = day(fromIso);
    const b = day(toIso);
    return compareDates(a, b) >= 0 ? 0 : calendar.workingDaysBetween(addDays(a, 1), b).length;
  };
  // Submitted in the period: compare business dates (a UTC range one day wider, then filtered exactly).
  const q = ctx
    .db('approval_requests')
    .where('submitted_at', '>=', `${addDays(period.from, -1)}T00:00:00.000Z`)
    .where('submitted_at', '<', `${addDays(period.to, 1)}T23:59:59.999Z`)
    .orderBy('id');
  if (scope) q.whereIn('requester_id', scope);
  const rows = ((await q) as Row[]).filter((r) => {
    const d = day(r.submitted_at);
    return compareDates(d, period.from) >= 0 && compareDates(d, period.to) <= 0;
  });

  if (by === 'type') {
    const map = new Map<string, TypeFigures>();
    for (const r of rows) {
      const type = String(r.type);
      const f = map.get(type) ?? {
        type,
        submitted: 0,
        pending: 0,
        approved: 0,
        rejected: 0,
        withdrawn: 0,
        amountFen: 0,
        decidedDays: 0,
        decided: 0,
      };
      f.submitted += 1;
      const status = String(r.status) as 'pending' | 'approved' | 'rejected' | 'withdrawn';
      f[status] += 1;
      f.amountFen += r.amount_fen == null ? 0 : parseFen(r.amount_fen);
      if ((status === 'approved' || status === 'rejected') && r.decided_at) {
        f.decided += 1;
        f.decidedDays += waited(r.submitted_at, r.decided_at);
      }
      map.set(type, f);
    }
    return buildApprovalsByType(
      params,
      [...map.values()].sort((a, b) => (a.type < b.type ? -1 : 1)),
    );
  }

  if (by === 'approver') {
    const ids = rows.map((r) => Number(r.id));
    const decisions: Row[] = ids.length ? await ctx.db('approval_decisions').whereIn('request_id', ids) : [];
    const map = new Map<string, ApproverFigures>();
    for (const d of decisions) {
      const approver = people.name(Number(d.user_id)) ?? '';
      const f = map.get(approver) ?? { approver, approved: 0, rejected: 0, onBehalf: 0, waitedDays: 0 };
      if (d.decision === 'approved') f.approved += 1;
      else f.rejected += 1;
      if (d.on_behalf_of != null) f.onBehalf += 1;
      f.waitedDays += waited(d.opened_at, d.at);
      map.set(approver, f);
    }
    return buildApprovalsByApprover(
      params,
      [...map.values()].sort((a, b) => (a.approver < b.approver ? -1 : 1)),
    );
  }

  const spending = rows.filter(
    (r) => r.status === 'approved' && (r.type === 'expense' || r.type === 'reception' || r.type === 'gift'),
  );
  const customerIds = spending.map((r) => r.customer_id).filter((x) => x != null);
  const codes = new Map<number, string>(
    (customerIds.length ? await ctx.db('customers').whereIn('id', customerIds).select('id', 'code') : []).map(
      (c: Row) => [Number(c.id), String(c.code)],
    ),
  );
  const map = new Map<string, SpendingFigures>();
  for (const r of spending) {
    const requester = people.name(Number(r.requester_id)) ?? '';
    const customer = r.customer_id == null ? '' : (codes.get(Number(r.customer_id)) ?? '');
    const key = `${requester}\u0000${customer}\u0000${r.type}`;
    const f = map.get(key) ?? {
      requester,
      customer,
      type: String(r.type),
      approved: 0,
      budgetFen: 0,
      settled: 0,
      settledBudgetFen: 0,
      actualFen: 0,
    };
    const amount = r.amount_fen == null ? 0 : parseFen(r.amount_fen);
    f.approved += 1;
    f.budgetFen += amount;
    if (r.actual_fen != null) {
      f.settled += 1;
      f.settledBudgetFen += amount;
      f.actualFen += parseFen(r.actual_fen);
    }
    map.set(key, f);
  }
  return buildApprovalSpending(
    params,
    [...map.values()].sort((a, b) =>
      a.requester !== b.requester
        ? a.requester < b.requester
          ? -1
          : 1
        : a.customer !== b.customer
          ? a.customer < b.customer
            ? -1
            : 1
          : a.type < b.type
            ? -1
            : 1,
    ),
  );
}
