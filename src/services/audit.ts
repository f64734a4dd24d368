import type { Knex } from 'knex';
import type { Clock } from '../domain/clock.js';
import { requireCapability } from '../domain/roles.js';
import type { ServiceContext } from './context.js';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  batchId?: string | null;
}

/** The one audit helper: every write goes through here, in the same transaction as the write. */
export async function audit(ctx: Pick<ServiceContext, 'db' | 'clock' | 'actor'>, entry: AuditEntry): Promise<void> {
  await ctx.db('audit_log').insert(auditRow(ctx.clock, ctx.actor, entry));
}

export function auditRow(clock: Clock, actor: { id: number; name: string }, entry: AuditEntry) {
  return {
    at: clock.now().toISOString(),
    user_id: actor.id > 0 ? actor.id : null,
    user_name: actor.name,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId == null ? null : String(entry.entityId),
    before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
    after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
    batch_id: entry.batchId ?? null,
  };
}

export interface AuditQuery {
  entity?: string;
  entityId?: string;
  since?: string; // ISO instant
  user?: string;
  action?: string;
  limit?: number;
}

export interface AuditRecord {
  id: number;
  at: string;
  user: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  batchId: string | null;
}

export async function listAudit(ctx: ServiceContext, q: AuditQuery): Promise<AuditRecord[]> {
  requireCapability(ctx.actor, 'audit.read', { zh: '查看审计日志', en: 'read the audit log' });
  const query: Knex.QueryBuilder = ctx
    .db('audit_log')
    .select('*')
    .orderBy('id', 'desc')
    .limit(q.limit ?? 100);
  if (q.entity) query.where('entity', q.entity);
  if (q.entityId) query.where('entity_id', q.entityId);
  if (q.since) query.where('at', '>=', q.since);
  if (q.user) query.where('user_name', q.user);
  if (q.action) query.where('action', q.action);
  const rows = await query;
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    at: String(r.at),
    user: String(r.user_name),
    action: String(r.action),
    entity: String(r.entity),
    entityId: (r.entity_id as string | null) ?? null,
    before: r.before_json ? JSON.parse(String(r.before_json)) : null,
    after: r.after_json ? JSON.parse(String(r.after_json)) : null,
    batchId: (r.batch_id as string | null) ?? null,
  }));
}
