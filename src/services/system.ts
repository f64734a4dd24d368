import type { Knex } from 'knex';
import { migrateLatest } from '../db/migrate.js';
import type { Clock } from '../domain/clock.js';
import { SettingsService } from './settings.js';
import { countUsers, createUser, SYSTEM_ACTOR } from './users.js';

export interface InitResult {
  migrationsApplied: string[];
  adminCreated: string | null;
  alreadyInitialised: boolean;
}

/**
 * Create and migrate the database and the first admin. Harmless on an initialised database:
 * migrations are idempotent and the admin is created only when there are no users.
 */
export async function initialise(
  db: Knex,
  clock: Clock,
  adminName: string,
  warn?: (msg: string) => void,
): Promise<InitResult> {
  const migrationsApplied = await migrateLatest(db, warn);
  const users = await countUsers(db);
  if (users > 0) return { migrationsApplied, adminCreated: null, alreadyInitialised: migrationsApplied.length === 0 };
  await createUser(
    { db, clock, actor: SYSTEM_ACTOR, settings: SettingsService.create(db) },
    { name: adminName, role: 'admin', displayName: adminName },
  );
  return { migrationsApplied, adminCreated: adminName, alreadyInitialised: false };
}
