import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { RunVerb } from '../../src/cli/command.js';
import { CliContext, type GlobalOptions } from '../../src/cli/context.js';
import { BufferStream, type IO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { openDatabase } from '../../src/db/connection.js';
import { initialise } from '../../src/services/system.js';
import { isolatedEnv } from './cli.js';
import { TestClock } from './db.js';

/** The fixed "now" of every in-process run (CRM_NOW): Monday 2026-11-23, 10:00 in Beijing. */
export const NOW = '2026-11-23T10:00:00+08:00';

/** A context whose streams are string buffers (gh's iostreams.Test()). */
export interface BufferedContext {
  ctx: CliContext;
  stdout(): string;
  stderr(): string;
}

export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessSuite {
  /** The suite's temp dir: its database, HOME and data dir live here; removed after the suite. */
  readonly dir: string;
  readonly env: Record<string, string>;
  /** A CliContext over the suite's database, as `main` would build it after parsing these globals. */
  context(globals?: GlobalOptions): BufferedContext;
  /** A whole `crm …` invocation in-process, as bin/crm.js runs it. */
  main(argv: string[]): Promise<MainResult>;
  /** A file in the suite's dir (for imports and clearing files). */
  write(name: string, text: string): string;
}

function bufferIO(): { io: IO; out: BufferStream; err: BufferStream } {
  const out = new BufferStream();
  const err = new BufferStream();
  const stdin = new Readable({ read() {} });
  return { io: { stdout: out, stderr: err, stdin, stdinIsTTY: false }, out, err };
}

/**
 * A fresh SQLite database (migrated, admin user "admin") in a temp dir for the suite, a fixed clock, English
 * messages; contexts made by `context()` are closed after each test, and the dir is removed after the suite.
 */
export function inProcessSuite(): InProcessSuite {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-inproc-'));
  const env = isolatedEnv(dir, { CRM_DATABASE_URL: `sqlite:${path.join(dir, 'crm.sqlite')}`, CRM_NOW: NOW });
  const open: CliContext[] = [];

  beforeAll(async () => {
    const db = await openDatabase(env.CRM_DATABASE_URL!);
    try {
      await initialise(db, new TestClock(NOW), 'admin', undefined, { mode: 'os', osAccount: os.userInfo().username });
    } finally {
      await db.destroy();
    }
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((ctx) => ctx.close()));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  return {
    dir,
    env,
    context(globals = {}) {
      const { io, out, err } = bufferIO();
      const ctx = new CliContext(io, env, dir);
      ctx.setGlobals(globals);
      open.push(ctx);
      return { ctx, stdout: () => out.text(), stderr: () => err.text() };
    },
    async main(argv) {
      const { io, out, err } = bufferIO();
      const code = await main(argv, io, env, dir);
      return { code, stdout: out.text(), stderr: err.text() };
    },
    write(name, text) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    },
  };
}

/**
 * A verb's flag mapping alone (gh's NewCmd with a test runF): register the verb under a bare parent with a run that
 * only captures the typed options, parse `argv` (the verb's name first), and return what the run was given.
 * Commander's own usage errors reject with a CommanderError, a parse function's with its CrmError.
 */
export async function parseVerb<O>(
  ctx: CliContext,
  register: (parent: Command, ctx: CliContext, run: RunVerb<O>) => unknown,
  argv: string[],
): Promise<O> {
  const parent = new Command('crm').exitOverride();
  const quiet = { writeOut: () => {}, writeErr: () => {}, outputError: () => {} };
  parent.configureOutput(quiet);
  let captured: { opts: O } | undefined;
  register(parent, ctx, async (_ctx, opts) => {
    captured = { opts };
  });
  for (const sub of parent.commands) sub.exitOverride().configureOutput(quiet);
  await parent.parseAsync(argv, { from: 'user' });
  if (!captured) throw new Error(`parseVerb: ${argv.join(' ')} did not reach the verb's run`);
  return captured.opts;
}
