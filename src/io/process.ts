import os from 'node:os';

/** This process as other processes see it: the machine's host name and its pid (as a lock holder records them). */
export const thisProcess: { readonly host: string; readonly pid: number } = { host: os.hostname(), pid: process.pid };

/**
 * Whether a process of this machine exists. Signal 0 checks without sending anything; only ESRCH means it is
 * gone (EPERM: it exists under another user), so a doubtful answer keeps a lock rather than stealing it.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
