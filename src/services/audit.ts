import type { Knex } from 'knex';
import { appendAuditRows, verifyChain } from '../db/audit-chain.js';
import type { Clock } from '../domain/clock.js';
import { CrmError, ExitCode } from '../domain/errors.js';
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
  await appendAuditRows(ctx.db, [auditRow(ctx.clock, ctx.actor, entry)]);
}

/**
 * Append rows built by `auditRow` (many at once: imports and grading write one per chunk), chained: never insert
 * into audit_log directly, or `crm audit verify` will name the row.
 */
export async function auditRows(db: Knex, rows: ReturnType<typeof auditRow>[]): Promise<void> {
  await appendAuditRows(db, rows);
}

export function auditRow(clock: Clock, actor: { id: number; name: string; via?: string }, entry: AuditEntry) {
  return {
    at: clock.now().toISOString(),
    user_id: actor.id > 0 ? actor.id : null,
    user_name: actor.name,
    via_user: actor.via ?? null,
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
  /** Who really acted, when an admin acted as `user` (--as, --user, CRM_USER); null otherwise. */
  via: string | null;
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
    via: (r.via_user as string | null) ?? null,
    action: String(r.action),
    entity: String(r.entity),
    entityId: (r.entity_id as string | null) ?? null,
    before: r.before_json ? JSON.parse(String(r.before_json)) : null,
    after: r.after_json ? JSON.parse(String(r.after_json)) : null,
    batchId: (r.batch_id as string | null) ?? null,
  }));
}

export interface AuditVerifyResult {
  checked: number;
  lastId: number;
  ok: boolean;
}

/**
 * Recompute the audit log's hash chain (from row `fromId`, default the first) and throw E1620 naming the first row
 * that does not match: edited (its hash), deleted or inserted (its link to the row before), or a cut tail (the head).
 */
export async function verifyAudit(ctx: ServiceContext, fromId = 0): Promise<AuditVerifyResult> {
  requireCapability(ctx.actor, 'audit.read', { zh: '校验审计日志', en: 'verify the audit log' });
  const r = await verifyChain(ctx.db, fromId);
  if (r.problem) {
    const { id, reason } = r.problem;
    const why = {
      hash: { zh: '内容与其哈希不符（被修改过）', en: 'its content does not match its hash (it was changed)' },
      link: {
        zh: '与前一条记录的哈希链接不上（前面有记录被删除、插入或修改）',
        en: 'it does not link to the row before it (a row was deleted, inserted or changed before it)',
      },
      head: {
        zh: '链尾与最后一条记录不符（末尾的记录被删除）',
        en: 'the chain head does not match the last row (rows were deleted from the end)',
      },
    }[reason];
    throw new CrmError(
      'E1620',
      { zh: `审计日志第 ${id} 条记录校验失败：${why.zh}`, en: `audit row ${id} fails verification: ${why.en}` },
      ExitCode.error,
      {
        zh: `此前 ${r.checked} 条记录无误；从备份核对该记录（crm db verify-backup），并查明谁能直接写数据库`,
        en: `the ${r.checked} rows before it are intact; compare the row with a backup and find out who can write to the database directly`,
      },
    );
  }
  return { checked: r.checked, lastId: r.lastId, ok: true };
}
