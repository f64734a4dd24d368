import { requireCapability } from '../../domain/roles.js';
import type { ServiceContext } from '../context.js';

export interface ImportBatchRecord {
  batchId: string;
  kind: string;
  file: string;
  sha256: string;
  mode: string | null;
  status: string;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  warnings: number;
  lastLine: number;
  user: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** Import batches, newest first (`crm customers imports`). */
export async function listImports(
  svc: ServiceContext,
  q: { kind?: string; limit?: number },
): Promise<ImportBatchRecord[]> {
  requireCapability(svc.actor, 'crm.read', { zh: '查看导入记录', en: 'read import batches' });
  const query = svc
    .db('import_batches as b')
    .leftJoin('users as u', 'u.id', 'b.user_id')
    .select('b.*', 'u.name as user_name')
    .orderBy([
      { column: 'b.started_at', order: 'desc' },
      { column: 'b.id', order: 'desc' },
    ])
    .limit(q.limit ?? 20);
  if (q.kind && q.kind !== 'all') query.where('b.kind', q.kind);
  const rows: Record<string, unknown>[] = await query;
  return rows.map((r) => ({
    batchId: String(r.id),
    kind: String(r.kind),
    file: String(r.file_name),
    sha256: String(r.sha256),
    mode: (r.mode as string | null) ?? null,
    status: String(r.status),
    read: Number(r.read_rows),
    inserted: Number(r.inserted),
    updated: Number(r.updated),
    unchanged: Number(r.unchanged),
    rejected: Number(r.rejected),
    warnings: Number(r.warnings),
    lastLine: Number(r.last_line),
    user: (r.user_name as string | null) ?? null,
    startedAt: String(r.started_at),
    finishedAt: (r.finished_at as string | null) ?? null,
  }));
}
