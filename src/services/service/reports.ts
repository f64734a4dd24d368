/**
 * The data of the customer-service reports: tickets, return visits and survey answers within the actor's data
 * scope (narrowed by --owner / --team), handed to the pure builders in src/reports/service.ts.
 */
import { addDays, businessDate, zonedDateTime } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { requireCapability } from '../../domain/roles.js';
import { workingMinutesBetween } from '../../domain/service/sla.js';
import { monthEnd, resolvePeriod } from '../../reports/common.js';
import type { ReportModel } from '../../reports/model.js';
import { buildSatisfactionReport, buildServiceReport, type ServiceTicketFacts } from '../../reports/service.js';
import type { ServiceContext } from '../context.js';
import { type ReportOptions, reportOwners } from '../reports/index.js';
import { today } from '../today.js';
import { slaContext } from './common.js';

const OPEN = new Set(['open', 'responded', 'reopened']);

export async function serviceReport(svc: ServiceContext, opts: ReportOptions & { by?: string }): Promise<ReportModel> {
  requireCapability(svc.actor, 'crm.read', { zh: '查看报表', en: 'read reports' });
  const by = opts.by ?? 'kind';
  if (by !== 'kind' && by !== 'handler') {
    throw new CrmError('E4124', { zh: `--by 无效：${by}`, en: `invalid --by ${by}` }, ExitCode.usage, {
      zh: '可选：kind（按类型和优先级）、handler（按处理人）',
      en: 'one of kind (per kind and priority), handler',
    });
  }
  const sla = await slaContext(svc);
  const period = resolvePeriod(opts, await today(svc));
  const ids = await reportOwners(svc, opts);
  const start = zonedDateTime(period.from, '00:00', sla.tz).toISOString();
  const end = zonedDateTime(addDays(period.to, 1), '00:00', sla.tz).toISOString();
  const q = svc
    .db('tickets as t')
    .join('customers as c', 'c.id', 't.customer_id')
    .leftJoin('users as h', 'h.id', 't.handler_id')
    .where('t.received_at', '<', end)
    .select('t.*', 'h.name as handler_name');
  if (ids !== null) q.where((w) => w.whereIn('c.owner_id', ids).orWhereIn('t.handler_id', ids));
  const rows: Record<string, unknown>[] = await q;
  const visits: { ticket_id: number; satisfaction: number }[] = await svc
    .db('ticket_revisits')
    .where('at', '>=', start)
    .where('at', '<', end)
    .select('ticket_id', 'satisfaction');
  const scores = new Map<number, number[]>();
  for (const v of visits)
    scores.set(Number(v.ticket_id), [...(scores.get(Number(v.ticket_id)) ?? []), Number(v.satisfaction)]);
  const now = svc.clock.now().toISOString();
  const facts: ServiceTicketFacts[] = rows.map((r) => {
    const received = String(r.received_at) >= start;
    const resolvedAt = r.resolved_at ? String(r.resolved_at) : null;
    const resolved = resolvedAt !== null && resolvedAt >= start && resolvedAt < end;
    const respondedAt = r.responded_at ? String(r.responded_at) : null;
    const responseMet = respondedAt
      ? respondedAt <= String(r.response_due)
      : now > String(r.response_due)
        ? false
        : null;
    const lateResolve = resolvedAt
      ? resolvedAt > String(r.resolve_due)
      : OPEN.has(String(r.status)) && now > String(r.resolve_due);
    return {
      kind: String(r.kind),
      priority: String(r.priority),
      handler: r.handler_name ? String(r.handler_name) : null,
      received,
      resolved,
      open: OPEN.has(String(r.status)),
      responseMet,
      resolveMet: resolved ? resolvedAt! <= String(r.resolve_due) : null,
      breached: received && (responseMet === false || lateResolve),
      minutesToResolve: resolved
        ? workingMinutesBetween(new Date(String(r.received_at)), new Date(resolvedAt!), sla.calendar, sla.hours, sla.tz)
        : null,
      scores: scores.get(Number(r.id)) ?? [],
    };
  });
  // Only tickets that count somewhere: received or resolved in the period, or open now.
  const counted = facts.filter((f) => f.received || f.resolved || f.open || f.scores.length);
  return buildServiceReport(
    { from: period.from, to: period.to, owner: opts.owner ?? null, team: opts.team ?? null, by },
    counted,
    by,
  );
}

export async function satisfactionReport(
  svc: ServiceContext,
  opts: ReportOptions & { months?: number },
): Promise<ReportModel> {
  requireCapability(svc.actor, 'crm.read', { zh: '查看报表', en: 'read reports' });
  const n = opts.months ?? 12;
  if (!Number.isInteger(n) || n < 1 || n > 120) {
    throw new CrmError('E4124', { zh: `--months 须为 1–120：${n}`, en: `--months is 1–120: ${n}` }, ExitCode.usage);
  }
  const tz = await svc.settings.get<string>('timezone');
  const ids = await reportOwners(svc, opts);
  const months: string[] = [];
  let cursor = `${(await today(svc)).slice(0, 7)}-01`;
  for (let i = 0; i < n; i++) {
    months.unshift(cursor.slice(0, 7));
    cursor = `${addDays(cursor, -1).slice(0, 7)}-01`;
  }
  const from = `${months[0]}-01`;
  const to = monthEnd(months[months.length - 1]!);
  const start = zonedDateTime(from, '00:00', tz).toISOString();
  const end = zonedDateTime(addDays(to, 1), '00:00', tz).toISOString();
  /** The business-local month of a UTC instant. */
  const monthOf = (iso: string) => businessDate(new Date(iso), tz).slice(0, 7);
  const visitsQ = svc
    .db('ticket_revisits as r')
    .join('tickets as t', 't.id', 'r.ticket_id')
    .join('customers as c', 'c.id', 't.customer_id')
    .where('r.at', '>=', start)
    .where('r.at', '<', end)
    .select('r.at', 'r.satisfaction');
  if (ids !== null) visitsQ.where((w) => w.whereIn('c.owner_id', ids).orWhereIn('t.handler_id', ids));
  const surveysQ = svc
    .db('survey_responses as s')
    .join('customers as c', 'c.id', 's.customer_id')
    .where('s.at', '>=', start)
    .where('s.at', '<', end)
    .select('s.at', 's.score');
  if (ids !== null) surveysQ.whereIn('c.owner_id', ids);
  const complaintsQ = svc
    .db('tickets as t')
    .join('customers as c', 'c.id', 't.customer_id')
    .where('t.kind', 'complaint')
    .where('t.received_at', '>=', start)
    .where('t.received_at', '<', end)
    .select('t.received_at');
  if (ids !== null) complaintsQ.where((w) => w.whereIn('c.owner_id', ids).orWhereIn('t.handler_id', ids));
  const byMonth = new Map(
    months.map((mo) => [mo, { month: mo, revisitScores: [] as number[], surveyScores: [] as number[], complaints: 0 }]),
  );
  for (const v of await visitsQ) byMonth.get(monthOf(String(v.at)))?.revisitScores.push(Number(v.satisfaction));
  for (const s of await surveysQ) byMonth.get(monthOf(String(s.at)))?.surveyScores.push(Number(s.score));
  for (const c of await complaintsQ) {
    const m = byMonth.get(monthOf(String(c.received_at)));
    if (m) m.complaints += 1;
  }
  return buildSatisfactionReport({ from, to, months: n, owner: opts.owner ?? null, team: opts.team ?? null }, [
    ...byMonth.values(),
  ]);
}
