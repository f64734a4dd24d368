import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * A fresh directory in the temp dir, removed when the current test finishes, passed or failed (so call it
 * inside a test; for a directory a whole suite shares, mkdtemp in beforeAll and remove it in afterAll).
 */
export function testTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
