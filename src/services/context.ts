import type { Knex } from 'knex';
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

/** Run `fn` in a transaction; nested services must use the ctx they are given (never the outer db). */
export async function inTransaction<T>(ctx: ServiceContext, fn: (tx: ServiceContext) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (trx) => fn(withDb(ctx, trx)));
}

export const nowIso = (clock: Clock): string => clock.now().toISOString();
