/**
 * Whole-transaction retry for the conflicts a MySQL-compatible server reports instead of waiting: InnoDB's
 * deadlock victim (1213), a lock wait that timed out (1205), and a Galera cluster's certification failure, which
 * reaches the loser as 1213 at any statement or at COMMIT. The transaction was rolled back by the server, so the
 * whole unit of work runs again from the start and re-reads everything; never half of one.
 */
import { CrmError, ExitCode } from '../domain/errors.js';

/** MySQL/MariaDB error numbers after which running the same transaction again is correct. */
const RETRYABLE_ERRNO = new Set([1213, 1205]);

export function isRetryableConflict(err: unknown): boolean {
  const e = err as { errno?: unknown; code?: unknown } | null;
  if (!e) return false;
  if (typeof e.errno === 'number' && RETRYABLE_ERRNO.has(e.errno)) return true;
  return e.code === 'ER_LOCK_DEADLOCK' || e.code === 'ER_LOCK_WAIT_TIMEOUT';
}

export interface RetryOptions {
  /** Attempts in all, the first included (default 6). */
  attempts?: number;
  /** The first pause in ms; each next one doubles, with full jitter (default 20). */
  baseDelayMs?: number;
  /** Waits between attempts (tests pass a recorder). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Run `attempt` until it commits, retrying it whole after a retryable conflict, at most `attempts` times in all
 * with jittered exponential pauses (so two losers do not collide again in step). Other errors pass through at
 * once. After the last attempt: E1320, exit 5, saying what happened and what to do.
 */
export async function withConflictRetry<T>(attempt: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 6;
  const base = opts.baseDelayMs ?? 20;
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isRetryableConflict(err)) throw err;
      if (n >= attempts) throw conflictError(n, err);
      await sleep(Math.round(random() * base * 2 ** (n - 1)));
    }
  }
}

function conflictError(attempts: number, err: unknown): CrmError {
  const errno = (err as { errno?: number }).errno ?? '?';
  return new CrmError(
    'E1320',
    {
      zh: `数据库报告与其他写入冲突（错误 ${errno}），已整笔重试 ${attempts} 次仍未成功；什么也没有写入`,
      en: `the database reported a conflict with another writer (error ${errno}) ${attempts} times, each time retried whole; nothing was written`,
    },
    ExitCode.conflict,
    {
      zh: '稍后重试同一命令（它是幂等的）；若持续发生，检查是否有长事务或同一条记录被大量并发修改',
      en: 'run the same command again in a moment (it is idempotent); if it keeps happening, look for long transactions or many writers on the same record',
    },
  );
}
