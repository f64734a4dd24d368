import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'crm.js');
/** The built CLI with the tests' hooks (test jobs, import kill, clear crash points): see test/support/crm-test.mjs. */
export const TEST_BIN = path.join(ROOT, 'test', 'support', 'crm-test.mjs');

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Environment for a CLI run that cannot see the developer's own config, database or language. */
export function isolatedEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    // The run's own temp dir (test/support/global-setup.ts), so what a CLI process leaves there is caught.
    TMPDIR: os.tmpdir(),
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    LANG: 'C',
    CRM_LANG: 'en',
    CRM_USER: 'admin',
    CRM_NOW: '2026-11-23T10:00:00+08:00',
    NO_COLOR: '1',
    ...extra,
  };
}

/**
 * Run the built binary synchronously. `input` is text for stdin, or an open file's descriptor to put on stdin
 * as a shell's `< file` does (the command can then open /dev/stdin; spawnSync's own stdin is a socket, which
 * cannot be opened that way). `bin` may be TEST_BIN, for runs that need the tests' hooks.
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  cwd = ROOT,
  input?: string | number,
  bin = BIN,
): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env,
    cwd,
    encoding: 'utf8',
    ...(typeof input === 'number' ? { stdio: [input, 'pipe', 'pipe'] } : { input }),
    maxBuffer: 64 * 1024 * 1024,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** Run the built binary (or another entry script, `bin`) without blocking (to run two at once). */
export function runCliAsync(args: string[], env: Record<string, string>, cwd = ROOT, bin = BIN): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
  });
}

/** A CLI process left running (a scheduler): its output so far, and its exit code once it ends (-1 on a signal). */
export interface RunningCli {
  child: ChildProcess;
  out: () => string;
  done: Promise<number>;
}

/** Start the built binary (or `bin`) and keep it running; stdout and stderr are gathered together. */
export function startCli(args: string[], env: Record<string, string>, bin = BIN): RunningCli {
  const child = spawn(process.execPath, [bin, ...args], { env, cwd: ROOT });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const done = new Promise<number>((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? (signal ? -1 : -2))),
  );
  return { child, out: () => out, done };
}

/** Poll until `probe` gives a value (no timed assertion: it only bounds the wait), then return it. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
