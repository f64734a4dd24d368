import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** Permission bits of the new file (before the umask), e.g. 0o600 for a file holding a password. */
  mode?: number;
  /** Create the file's directory (and its parents) first. */
  createDir?: boolean;
  /**
   * Use `.<name>.tmp` as the temp name instead of a unique one. Only for a caller that holds a lock on the file:
   * a rerun after a crash then replaces the crashed run's temp file instead of leaving it beside the result.
   */
  fixedTempName?: boolean;
  /** Called once the temp file is complete and synced, just before the rename (tests inject crashes here). */
  beforeRename?: () => void;
}

/**
 * Write `file` so that a reader, or the next run after a crash, sees either the old file or the whole new one:
 * a temp file in the same directory (so the rename stays on one file system), written, fsynced, renamed over
 * `file`, then the directory fsynced so the rename itself survives a power cut. The temp file is removed when
 * anything fails before the rename.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const dir = path.dirname(file);
  if (opts.createDir) fs.mkdirSync(dir, { recursive: true });
  const base = path.basename(file);
  const tmp = path.join(dir, opts.fixedTempName ? `.${base}.tmp` : `.${base}.${randomBytes(6).toString('hex')}.tmp`);
  // A leftover temp file would keep its old mode: start from a new one.
  if (opts.fixedTempName) fs.rmSync(tmp, { force: true });
  try {
    const fd = fs.openSync(tmp, 'w', opts.mode ?? 0o666);
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    opts.beforeRename?.();
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  syncDirectory(dir);
}

/** fsync a directory, where the platform allows it (Windows cannot open one; the rename is atomic anyway). */
function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse to fsync a directory (EINVAL, EISDIR): nothing more can be done.
  } finally {
    fs.closeSync(fd);
  }
}
