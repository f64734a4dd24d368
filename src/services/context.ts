import type { Knex } from 'knex';
import { withConflictRetry } from '../db/retry.js';
import type { Clock } from '../domain/clock.js';
import type { Actor } from '../domain/roles.js';
import type { SettingsService } from './settings.js';

/**
 * What every service receives: its database (which may be a transaction), the clock, who acts,
 * and the business settings. Nothing here reads process state.
 */
export interface ServiceContext {
  db: Knex;
  clock: Clock;
  actor: Actor;
  settings: SettingsService;
}

/** The same context bound to a transaction, so nested services share it. */
export function withDb(ctx: ServiceContext, db: Knex): ServiceContext {
  return { ...ctx, db, settings: ctx.settings.withDb(db) };
}

/**
 * Run `fn` in a transaction; nested services must use the ctx they are given (never the outer db). A transaction
 * the server aborts for a conflict (a deadlock victim, a lock wait timeout, a lost Galera certification) runs
 * again whole, re-reading everything (src/db/retry.ts): so `fn` touches nothing but the database. Inside an
 * outer transaction it is only a part of that one, which retries as a whole.
 */
export async function inTransaction<T>(ctx: ServiceContext, fn: (tx: ServiceContext) => Promise<T>): Promise<T> {
  if ((ctx.db as Knex & { isTransaction?: boolean }).isTransaction) {
    return ctx.db.transaction(async (trx) => fn(withDb(ctx, trx)));
  }
  return withConflictRetry(() => ctx.db.transaction(async (trx) => fn(withDb(ctx, trx))));
}

export const nowIso = (clock: Clock): string => clock.now().toISOString();
