import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { dialectOf } from './connection.js';

/** The chain's first "previous hash". Shipped: never change it (verify recomputes with it). */
export const GENESIS = '0'.repeat(64);

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * An audit row's hash: SHA-256 over the previous row's hash and the row's content (its id included, so a deleted
 * or renumbered row breaks the chain). Shipped: the field list and its order must never change.
 */
export function chainHash(prev: string, row: Record<string, unknown>): string {
  const content = JSON.stringify([
    prev,
    str(row.id),
    str(row.at),
    str(row.user_id),
    str(row.user_name),
    str(row.via_user),
    str(row.action),
    str(row.entity),
    str(row.entity_id),
    str(row.before_json),
    str(row.after_json),
    str(row.batch_id),
  ]);
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** An audit row as the audit helper builds it, before the chain gives it an id and hashes. */
export type AuditRowInput = Record<string, unknown>;

/**
 * Append rows to the audit log, chained, on `db` (the writing transaction). The first statement locks the chain's
 * head row (SQLite: the database's write lock; InnoDB: that row), so concurrent writers append one after another
 * and each sees the head the previous one committed. Ids are given here (after the last row), in order.
 */
export async function appendAuditRows(db: Knex, rows: AuditRowInput[]): Promise<void> {
  if (!rows.length) return;
  await db('audit_chain')
    .where({ id: 1 })
    .update({ seq: db.raw('seq + 1') });
  const head = await db('audit_chain').where({ id: 1 }).first('last_hash');
  const lastQuery = db('audit_log').max({ id: 'id' });
  const last = await (dialectOf(db) === 'mysql' ? lastQuery.forUpdate() : lastQuery).first();
  let id = Number(last?.id ?? 0);
  let prev = String(head?.last_hash ?? GENESIS);
  const chained = rows.map((row) => {
    id += 1;
    const full = { ...row, id, prev_hash: prev };
    const hash = chainHash(prev, full);
    prev = hash;
    return { ...full, hash };
  });
  for (let i = 0; i < chained.length; i += 200) await db('audit_log').insert(chained.slice(i, i + 200));
  await db('audit_chain').where({ id: 1 }).update({ last_id: id, last_hash: prev });
}

export interface ChainProblem {
  id: number;
  reason: 'hash' | 'link' | 'head';
}

/**
 * Recompute the chain from row `fromId` (the row before it gives the starting hash) and return the first row that
 * does not match, or null. `head` also checks the chain head against the last row (a deleted tail).
 */
export async function verifyChain(
  db: Knex,
  fromId = 0,
  onProgress?: (checked: number) => void,
): Promise<{ checked: number; lastId: number; problem: ChainProblem | null }> {
  // The chain starts at the genesis hash, or, once old rows are archived, at the last archived row's hash.
  const base = await db('audit_chain').where({ id: 1 }).first('base_hash');
  let prev = String(base?.base_hash ?? GENESIS);
  if (fromId > 1) {
    const before = await db('audit_log').where('id', '<', fromId).orderBy('id', 'desc').first('hash');
    if (before) prev = String(before.hash ?? '');
  }
  let after = fromId > 0 ? fromId - 1 : 0;
  let checked = 0;
  let lastId = after;
  for (;;) {
    const rows: Record<string, unknown>[] = await db('audit_log').where('id', '>', after).orderBy('id').limit(2000);
    if (!rows.length) break;
    for (const row of rows) {
      const id = Number(row.id);
      if (str(row.prev_hash) !== prev) return { checked, lastId, problem: { id, reason: 'link' } };
      const hash = chainHash(prev, row);
      if (str(row.hash) !== hash) return { checked, lastId, problem: { id, reason: 'hash' } };
      prev = hash;
      lastId = id;
      checked += 1;
    }
    after = lastId;
    onProgress?.(checked);
  }
  const head = await db('audit_chain').where({ id: 1 }).first('last_id', 'last_hash');
  if (head && (Number(head.last_id) !== lastId || String(head.last_hash) !== prev) && (fromId <= 1 || checked > 0)) {
    return { checked, lastId, problem: { id: Number(head.last_id), reason: 'head' } };
  }
  return { checked, lastId, problem: null };
}
