import type { Knex } from 'knex';
import type { AuthMode } from '../config/settings/auth.js';
import { migrateLatest } from '../db/migrate.js';
import type { Clock } from '../domain/clock.js';
import { setInitialPassword } from './auth/index.js';
import { checkPasswordPolicy } from './auth/secrets.js';
import { SettingsService } from './settings.js';
import { countUsers, createUser, SYSTEM_ACTOR } from './users.js';

export interface InitResult {
  migrationsApplied: string[];
  adminCreated: string | null;
  alreadyInitialised: boolean;
  /** The sign-in mode chosen for a new database (null when the database already existed). */
  authMode?: AuthMode | null;
}

/** How a new database signs people in (`crm init --auth`); ignored when the database already has users. */
export interface InitAuth {
  mode: AuthMode;
  /** The OS account running init: in `os` mode it may act as any user (setting `auth.osAdmins`). */
  osAccount?: string;
  /** `password` mode: the first admin's password (required there). */
  adminPassword?: string;
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
  auth: InitAuth = { mode: 'os' },
): Promise<InitResult> {
  const migrationsApplied = await migrateLatest(db, warn);
  const users = await countUsers(db);
  if (users > 0) return { migrationsApplied, adminCreated: null, alreadyInitialised: migrationsApplied.length === 0 };
  const settings = SettingsService.create(db);
  if (auth.mode === 'password') {
    if (auth.adminPassword === undefined) throw new Error('initialise: password mode needs the admin password');
    // Checked before anything is written, so a refused password leaves no half-made admin.
    checkPasswordPolicy(adminName, auth.adminPassword, await settings.get<number>('auth.minPasswordLength'));
  }
  const admin = await createUser(
    { db, clock, actor: SYSTEM_ACTOR, settings },
    { name: adminName, role: 'admin', displayName: adminName },
  );
  const actor = { id: admin.id, name: admin.name, role: admin.role, supervisorId: null };
  if (auth.mode === 'password') {
    await setInitialPassword(
      db,
      clock,
      adminName,
      auth.adminPassword!,
      await settings.get<number>('auth.minPasswordLength'),
    );
    await settings.set('auth.mode', 'password', actor, clock);
  } else if (auth.osAccount) {
    await settings.set('auth.osAdmins', auth.osAccount, actor, clock);
  }
  return { migrationsApplied, adminCreated: adminName, alreadyInitialised: false, authMode: auth.mode };
}
