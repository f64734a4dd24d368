/**
 * A customer's service at a glance, for `customers show`: tickets and complaints (open ones apart), the average
 * return-visit satisfaction, the last survey score. Its own small module: `customers show` loads it alone.
 */
import type { ServiceContext } from '../context.js';

/** Complaints and satisfaction of one customer, for `customers show`. */
export interface CustomerServiceSummary {
  tickets: number;
  open: number;
  complaints: number;
  openComplaints: number;
  /** Average return-visit satisfaction (two decimals as a string), or null without visits. */
  satisfaction: string | null;
  revisits: number;
  lastSurveyScore: number | null;
}

export async function customerServiceSummary(svc: ServiceContext, customerId: number): Promise<CustomerServiceSummary> {
  const rows: { kind: string; status: string }[] = await svc
    .db('tickets')
    .where({ customer_id: customerId })
    .select('kind', 'status');
  const openStatuses = new Set(['open', 'responded', 'reopened']);
  const visits: { satisfaction: number }[] = await svc
    .db('ticket_revisits as r')
    .join('tickets as t', 't.id', 'r.ticket_id')
    .where('t.customer_id', customerId)
    .select('r.satisfaction');
  const sum = visits.reduce((s, v) => s + Number(v.satisfaction), 0);
  const survey = await svc
    .db('survey_responses')
    .where({ customer_id: customerId })
    .orderBy([
      { column: 'at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .first('score');
  return {
    tickets: rows.length,
    open: rows.filter((r) => openStatuses.has(r.status)).length,
    complaints: rows.filter((r) => r.kind === 'complaint').length,
    openComplaints: rows.filter((r) => r.kind === 'complaint' && openStatuses.has(r.status)).length,
    satisfaction: visits.length ? (Math.round((sum * 100) / visits.length) / 100).toFixed(2) : null,
    revisits: visits.length,
    lastSurveyScore: survey ? Number(survey.score) : null,
  };
}
