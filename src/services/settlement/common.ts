import type { Knex } from 'knex';
import { dialectOf } from '../../db/connection.js';
import { parseDateArg } from '../../domain/clock.js';
import { CrmError, ExitCode, type L10n } from '../../domain/errors.js';
import { requireCapability } from '../../domain/roles.js';
import { CLEARING_STATUS } from '../../domain/vocabulary.js';
import { isProcessAlive, thisProcess } from '../../io/process.js';
import type { ServiceContext } from '../context.js';

export type DayState = 'not_opened' | 'open' | 'cut_off' | 'cleared';
export type ClearingStatus = 'pending' | 'cleared';

export const operate = (ctx: ServiceContext, what: L10n) => requireCapability(ctx.actor, 'settlement.operate', what);
export const read = (ctx: ServiceContext) =>
  requireCapability(ctx.actor, 'settlement.read', { zh: '查看清算数据', en: 'read settlement data' });

export function dateArg(value: string, field = '--date'): string {
  return parseDateArg(value, field);
}

export async function dayRow(db: Knex, date: string): Promise<Record<string, unknown> | undefined> {
  return db('business_days').where({ date }).first();
}

/**
 * The day's row, locked for the rest of the transaction (MySQL: FOR UPDATE; SQLite serialises writers anyway).
 * As the transaction's first read it also makes the later counts fresh: InnoDB takes a REPEATABLE READ snapshot
 * at the first plain read, so a count made after waiting for a posting chunk sees that chunk's rows.
 */
export async function lockedDayRow(db: Knex, date: string): Promise<Record<string, unknown> | undefined> {
  const q = db('business_days').where({ date });
  return dialectOf(db) === 'mysql' ? q.forUpdate().first() : q.first();
}

export async function dayState(db: Knex, date: string): Promise<DayState> {
  const row = await dayRow(db, date);
  return row ? (String(row.state) as DayState) : 'not_opened';
}

export function statusArg(value: string | undefined): ClearingStatus {
  if (value === 'pending' || value === 'cleared') return value;
  throw new CrmError(
    'E7109',
    {
      zh: `清算状态无效："${String(value)}"（应为 pending 待清算 或 cleared 已清算）`,
      en: `invalid status "${String(value)}" (expected pending or cleared)`,
    },
    ExitCode.usage,
  );
}

/** Settlement kinds: one parser and one set of labels, in the domain. */
export { KIND_LABEL, parseSettlementKind, type SettlementKind } from '../../domain/settlement/kind.js';

export const STATUS_LABEL = CLEARING_STATUS as Record<ClearingStatus, L10n>;

/** The one lock of a business day: open, cutoff and clear of the same date never run at once. */
export const dayLockName = (date: string) => `settlement.day:${date}`;

/**
 * A lock left by a process of this machine that no longer exists (killed, crashed) is released at once
 * instead of waiting for its lease to expire. Locks of other machines wait for their lease.
 */
export async function reclaimDeadLocalLock(db: Knex, name: string): Promise<void> {
  const row = await db('locks').where({ name }).first();
  if (!row) return;
  const [host, pid] = String(row.holder).split(':');
  if (host !== thisProcess.host || !pid || !/^\d+$/.test(pid)) return;
  if (Number(pid) === thisProcess.pid || isProcessAlive(Number(pid))) return;
  await db('locks').where({ name, holder: row.holder, acquired_at: row.acquired_at }).delete();
}
