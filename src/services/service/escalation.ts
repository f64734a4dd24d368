/**
 * Escalation (超时升级): a ticket whose response or resolution due time has passed is escalated to its
 * handler's manager (the customer owner's manager when it has no handler), once per breach. The breach is the
 * pair (kind, due time), unique per ticket in `ticket_escalations`: two schedulers, a rerun or a manual run
 * never escalate the same breach twice. Each escalation is a history row and an audit entry.
 */
import { CrmError, ExitCode } from '../../domain/errors.js';
import { can, requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, type ServiceContext } from '../context.js';
import { isUniqueViolation } from '../orders/common.js';
import { addEvent } from './common.js';

export interface EscalationResult {
  /** The instant breaches were judged at (UTC ISO). */
  asOf: string;
  checked: number;
  escalated: { number: string; kind: 'response' | 'resolve'; dueAt: string; to: string | null }[];
  /** Breaches escalated before (by an earlier hour or another process). */
  already: number;
}

export async function escalateBreaches(
  svc: ServiceContext,
  opts: { asOf: Date; instance?: string },
): Promise<EscalationResult> {
  if (!can(svc.actor, 'jobs.run') && !can(svc.actor, 'crm.approve'))
    requireCapability(svc.actor, 'jobs.run', { zh: '升级超时工单', en: 'escalate late tickets' });
  if (opts.asOf.getTime() > svc.clock.now().getTime() + 60_000) {
    throw new CrmError(
      'E4115',
      { zh: '不能按未来时间判断超时', en: 'breaches cannot be judged at a future time' },
      ExitCode.usage,
    );
  }
  const asOf = opts.asOf.toISOString();
  const candidates: Record<string, unknown>[] = await svc
    .db('tickets as t')
    .join('customers as c', 'c.id', 't.customer_id')
    .leftJoin('users as h', 'h.id', 't.handler_id')
    .leftJoin('users as o', 'o.id', 'c.owner_id')
    .whereNot('t.status', 'closed')
    .where((w) =>
      w
        .where((x) => x.whereNull('t.responded_at').where('t.response_due', '<=', asOf))
        .orWhere((x) => x.whereIn('t.status', ['open', 'responded', 'reopened']).where('t.resolve_due', '<=', asOf)),
    )
    .orderBy('t.id')
    .select(
      't.id',
      't.number',
      't.status',
      't.responded_at',
      't.response_due',
      't.resolve_due',
      'h.supervisor_id as handler_manager',
      'o.supervisor_id as owner_manager',
      't.handler_id',
    );
  const result: EscalationResult = { asOf, checked: candidates.length, escalated: [], already: 0 };
  // Breaches escalated before, in one read per 500 tickets (a late ticket stays a candidate every hour).
  const done = new Set<string>();
  const ids = candidates.map((t) => Number(t.id));
  for (let i = 0; i < ids.length; i += 500) {
    const rows: { ticket_id: number; kind: string; due_at: string }[] = await svc
      .db('ticket_escalations')
      .whereIn('ticket_id', ids.slice(i, i + 500))
      .select('ticket_id', 'kind', 'due_at');
    for (const r of rows) done.add(`${Number(r.ticket_id)}|${r.kind}|${r.due_at}`);
  }
  for (const t of candidates) {
    const breaches: { kind: 'response' | 'resolve'; dueAt: string }[] = [];
    if (t.responded_at == null && String(t.response_due) <= asOf)
      breaches.push({ kind: 'response', dueAt: String(t.response_due) });
    if (['open', 'responded', 'reopened'].includes(String(t.status)) && String(t.resolve_due) <= asOf)
      breaches.push({ kind: 'resolve', dueAt: String(t.resolve_due) });
    const managerId =
      t.handler_id != null ? (t.handler_manager as number | null) : ((t.owner_manager as number | null) ?? null);
    for (const b of breaches) {
      if (done.has(`${Number(t.id)}|${b.kind}|${b.dueAt}`)) {
        result.already += 1;
        continue;
      }
      try {
        const to = await inTransaction(svc, async (tx) => {
          const manager = managerId == null ? null : await tx.db('users').where({ id: managerId }).first('id', 'name');
          const at = tx.clock.now().toISOString();
          await tx.db('ticket_escalations').insert({
            ticket_id: t.id,
            kind: b.kind,
            due_at: b.dueAt,
            at,
            to_user_id: manager ? manager.id : null,
            instance: opts.instance ?? null,
          });
          const name = manager ? String(manager.name) : null;
          await addEvent(tx, Number(t.id), 'escalated', name, { kind: b.kind, dueAt: b.dueAt, to: name });
          await audit(tx, {
            action: 'tickets.escalate',
            entity: 'ticket',
            entityId: String(t.number),
            after: { kind: b.kind, dueAt: b.dueAt, to: name, instance: opts.instance ?? null },
          });
          return name;
        });
        result.escalated.push({ number: String(t.number), kind: b.kind, dueAt: b.dueAt, to });
      } catch (err) {
        // Another process escalated this breach between our check and our insert.
        if (isUniqueViolation(err)) {
          result.already += 1;
          continue;
        }
        throw err;
      }
    }
  }
  return result;
}
