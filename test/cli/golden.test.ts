import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedEnv, ROOT, runCli } from '../support/cli.js';

/**
 * Golden CLI tests: each `cases/*.t` file runs its commands in order against a fresh SQLite database,
 * using the built binary, and pins stdout, stderr and the exit code.
 *
 *   # a comment (lines starting with '# ' are never expected output)
 *   # env: CRM_NOW=2026-10-08T09:00:00+08:00      (applies from here on)
 *   $ crm calendar check 2026-10-08 --json
 *   {"date":"2026-10-08", ...}                     (expected stdout, exact)
 *   [stderr]
 *   ...                                            (expected stderr, exact)
 *   [exit 0]                                       (optional; default 0)
 *
 * `{TMP}` in commands and output stands for the case's temp directory; `{ROOT}` for the repository.
 * Run with UPDATE_GOLDEN=1 to rewrite the expectations from what the binary prints now (then review the diff).
 */
const CASES = path.join(ROOT, 'test', 'cli', 'cases');

interface Step {
  command: string;
  stdout: string[];
  stderr: string[];
  exit: number;
  env: Record<string, string>;
  comments: string[];
}

function splitArgs(line: string): string[] {
  const args: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (ch === ' ') {
      if (has || cur) args.push(cur);
      cur = '';
      has = false;
    } else cur += ch;
  }
  if (has || cur) args.push(cur);
  return args;
}

function parse(text: string): Step[] {
  const steps: Step[] = [];
  let env: Record<string, string> = {};
  let comments: string[] = [];
  let cur: Step | null = null;
  let section: 'stdout' | 'stderr' = 'stdout';
  for (const line of text.replace(/\n$/, '').split('\n')) {
    if (line.startsWith('$ ')) {
      cur = { command: line.slice(2), stdout: [], stderr: [], exit: 0, env: { ...env }, comments };
      comments = [];
      steps.push(cur);
      section = 'stdout';
    } else if (line.startsWith('# env:')) {
      const [k, ...v] = line.slice('# env:'.length).trim().split('=');
      env = { ...env, [k!]: v.join('=') };
    } else if (!cur || line.startsWith('# ')) {
      comments.push(line);
    } else if (line === '[stderr]') section = 'stderr';
    else if (/^\[exit \d+\]$/.test(line)) cur.exit = Number(line.slice(6, -1));
    else cur[section].push(line);
  }
  return steps;
}

function serialise(steps: Step[], results: { stdout: string; stderr: string; code: number }[]): string {
  const out: string[] = [];
  let env: Record<string, string> = {};
  steps.forEach((s, i) => {
    out.push(...s.comments);
    for (const [k, v] of Object.entries(s.env)) if (env[k] !== v) out.push(`# env: ${k}=${v}`);
    env = s.env;
    const r = results[i]!;
    out.push(`$ ${s.command}`);
    if (r.stdout) out.push(...r.stdout.replace(/\n$/, '').split('\n'));
    if (r.stderr) out.push('[stderr]', ...r.stderr.replace(/\n$/, '').split('\n'));
    if (r.code !== 0) out.push(`[exit ${r.code}]`);
  });
  return `${out.join('\n')}\n`;
}

const files = fs.existsSync(CASES)
  ? fs
      .readdirSync(CASES)
      .filter((f) => f.endsWith('.t'))
      .sort()
  : [];

describe('golden CLI cases', () => {
  for (const file of files) {
    it(file, () => {
      const text = fs.readFileSync(path.join(CASES, file), 'utf8');
      const steps = parse(text);
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-golden-'));
      const sub = (s: string) => s.split(tmp).join('{TMP}').split(ROOT).join('{ROOT}');
      const results = steps.map((step) => {
        const args = splitArgs(step.command.replaceAll('{TMP}', tmp).replaceAll('{ROOT}', ROOT));
        if (args[0] !== 'crm') throw new Error(`${file}: commands must start with "crm": ${step.command}`);
        const env = isolatedEnv(tmp, { CRM_DATABASE_URL: `sqlite:${path.join(tmp, 'crm.sqlite')}`, ...step.env });
        const r = runCli(args.slice(1), env, tmp);
        return { stdout: sub(r.stdout), stderr: sub(r.stderr), code: r.code };
      });
      fs.rmSync(tmp, { recursive: true, force: true });
      if (process.env.UPDATE_GOLDEN === '1') {
        fs.writeFileSync(path.join(CASES, file), serialise(steps, results));
        return;
      }
      steps.forEach((step, i) => {
        const r = results[i]!;
        const label = `${file}: $ ${step.command}`;
        expect(r.stdout, `${label} (stdout)`).toBe(step.stdout.length ? `${step.stdout.join('\n')}\n` : '');
        expect(r.stderr, `${label} (stderr)`).toBe(step.stderr.length ? `${step.stderr.join('\n')}\n` : '');
        expect(r.code, `${label} (exit code)`).toBe(step.exit);
      });
    });
  }
});
