import os from 'node:os';
import type { Knex } from 'knex';
import { CrmError, ExitCode } from '../domain/errors.js';

export interface LockInfo {
  name: string;
  holder: string;
  acquiredAt: string;
  expiresAt: string;
}

export const processHolder = (label = ''): string => `${os.hostname()}:${process.pid}${label ? `:${label}` : ''}`;

/**
 * Take a named lock in the database (so it holds across processes and machines), or return the current
 * holder when someone else has it. An expired lock (its process died) is taken over.
 * The insert relies on the primary key: two racing processes cannot both insert.
 * Leases use the machine's real clock, not the business clock (which CRM_NOW may pin).
 */
export async function tryAcquireLock(
  db: Knex,
  name: string,
  holder: string,
  ttlMs: number,
): Promise<LockInfo | { heldBy: LockInfo }> {
  const now = new Date();
  const row = {
    name,
    holder,
    acquired_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ttlMs).toISOString(),
  };
  try {
    await db('locks').insert(row);
    return { name, holder, acquiredAt: row.acquired_at, expiresAt: row.expires_at };
  } catch {
    const current = await db('locks').where({ name }).first();
    if (!current) return tryAcquireLock(db, name, holder, ttlMs);
    if (current.expires_at < now.toISOString()) {
      // Compare-and-swap on the old holder and expiry, so only one process takes over a dead lock.
      const taken = await db('locks')
        .where({ name, holder: current.holder, expires_at: current.expires_at })
        .update({ holder, acquired_at: row.acquired_at, expires_at: row.expires_at });
      if (taken === 1) return { name, holder, acquiredAt: row.acquired_at, expiresAt: row.expires_at };
      const again = await db('locks').where({ name }).first();
      return { heldBy: { name, holder: again.holder, acquiredAt: again.acquired_at, expiresAt: again.expires_at } };
    }
    return { heldBy: { name, holder: current.holder, acquiredAt: current.acquired_at, expiresAt: current.expires_at } };
  }
}

export async function renewLock(db: Knex, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const updated = await db('locks')
    .where({ name, holder })
    .update({ expires_at: new Date(Date.now() + ttlMs).toISOString() });
  return updated === 1;
}

export async function releaseLock(db: Knex, name: string, holder: string): Promise<void> {
  await db('locks').where({ name, holder }).delete();
}

/** Run `fn` holding the lock; refuse with exit code 5 (conflict or locked) when another holder has it. */
export async function withLock<T>(db: Knex, name: string, fn: () => Promise<T>, ttlMs = 10 * 60_000): Promise<T> {
  const holder = processHolder();
  const got = await tryAcquireLock(db, name, holder, ttlMs);
  if ('heldBy' in got) {
    throw new CrmError(
      'E5002',
      {
        zh: `${name} 正在由 ${got.heldBy.holder} 执行（自 ${got.heldBy.acquiredAt} 起，租约至 ${got.heldBy.expiresAt}）`,
        en: `${name} is being run by ${got.heldBy.holder} (since ${got.heldBy.acquiredAt}, lease until ${got.heldBy.expiresAt})`,
      },
      ExitCode.conflict,
      { zh: '等待其完成后再试', en: 'wait for it to finish, then try again' },
    );
  }
  // Keep the lease alive while the work runs; a process killed with -9 stops renewing and the lock expires.
  const timer = setInterval(
    () => {
      renewLock(db, name, holder, ttlMs).catch(() => {});
    },
    Math.max(1000, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  try {
    return await fn();
  } finally {
    clearInterval(timer);
    await releaseLock(db, name, holder);
  }
}
