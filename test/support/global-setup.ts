/**
 * Runs once per vitest run, in the main process, before any test file and after all of them.
 *
 * - Prints each "skipped: how to run them" notice once (per-file code only skips; see ./env.ts).
 * - Gives the run a temp dir of its own: TMPDIR points at `<system tmp>/crm-vitest-XXXXXX`, so every
 *   `os.tmpdir()` in the test workers (forked after this) and in the CLI processes they spawn (isolatedEnv
 *   passes TMPDIR on) lands there. Test files run in parallel, so only this teardown, after all of them, can
 *   tell what was left behind: it lists the leftovers, removes the dir and makes the run exit 1.
 * - Also compares the system temp dir's project-named entries before and after, and prints any new ones
 *   loudly (not a failure: other processes on the machine may make such names at the same time).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { skipNotices, TEMP_PREFIXES } from './env.js';

function projectEntries(dir: string): Set<string> {
  return new Set(fs.readdirSync(dir).filter((name) => TEMP_PREFIXES.some((p) => name.startsWith(p))));
}

export default function setup(): () => void {
  for (const line of skipNotices()) console.warn(line);

  const systemTmp = os.tmpdir();
  const before = projectEntries(systemTmp);
  const runTmp = fs.mkdtempSync(path.join(systemTmp, 'crm-vitest-'));
  const previousTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = runTmp;

  return () => {
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;

    const leftovers = fs.readdirSync(runTmp);
    fs.rmSync(runTmp, { recursive: true, force: true });
    const strays = [...projectEntries(systemTmp)].filter((name) => !before.has(name) && name !== path.basename(runTmp));
    if (strays.length) {
      console.warn(
        `\n!!! new entries in ${systemTmp} during the test run (from this run if they bypass TMPDIR, or from another process):\n` +
          strays.map((name) => `!!!   ${name}`).join('\n'),
      );
    }
    if (leftovers.length) {
      // A throw here is only logged ("error during close") and the run still exits 0, so set the status.
      console.error(
        `\nFAIL: tests left ${leftovers.length} entries in the temp dir (remove them in afterAll/afterEach/finally):\n` +
          leftovers.map((name) => `  ${name}`).join('\n'),
      );
      process.exitCode = 1;
    }
  };
}
