import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, ROOT, runCli } from '../support/cli.js';

/**
 * Golden CLI tests: each `cases/*.t` file runs its commands in order against a fresh SQLite database,
 * using the built binary, and pins stdout, stderr and the exit code. Each `$` step is a test of its own
 * (`<file> > <line>: $ <command>`): the steps of a file share one database and run in order, and a step
 * still runs and reports after an earlier one failed.
 *
 *   # a comment (lines starting with '# ' are never expected output)
 *   # env: CRM_NOW=2026-10-08T09:00:00+08:00      (applies from here on)
 *   $ crm calendar check 2026-10-08 --json
 *   {"date":"2026-10-08", ...}                     (expected stdout, exact)
 *   [stderr]
 *   ...                                            (expected stderr, exact)
 *   [exit 0]                                       (optional; default 0)
 *
 * Input on stdin: a command ending in `<<WORD` reads the lines after it, up to a line that is exactly WORD,
 * as its stdin (each line ends with a newline); the expected output follows the WORD line. Stdin is a file,
 * as with a shell's `< file`, so a command that takes a file name can read it as /dev/stdin.
 *
 *   $ crm customers import /dev/stdin --json <<EOF
 *   code,name
 *   EOF
 *   {"file":"stdin", ...}
 *
 * Patterns: an expected stdout or stderr line starting with `~ ` is a regular expression (JavaScript syntax,
 * without slashes) that the whole actual line must match, e.g. `~ error E3102: cannot read .+: no such file`.
 * Every other line is compared exactly, and the number of lines must agree.
 *
 * Pretty JSON: an expected stdout of more than one line that parses as one JSON value is compared as JSON
 * (the actual stdout must parse to an equal value); write long JSON that way to make it readable. A
 * one-line JSON expectation is still compared byte for byte.
 *
 * `{TMP}` in commands, stdin and output stands for the case's temp directory; `{ROOT}` for the repository.
 * Run with UPDATE_GOLDEN=1 to rewrite the expectations from what the binary prints now (then review the diff):
 * pattern lines and pretty JSON that still match are kept as written, anything else is replaced by the actual
 * output (JSON that was pretty stays pretty).
 */
const CASES = path.join(ROOT, 'test', 'cli', 'cases');
const PATTERN = '~ ';

interface Step {
  /** 1-based line of the `$` in the file, to find the step from its test name. */
  line: number;
  /** The command as written, without the `<<WORD` suffix. */
  command: string;
  stdin?: { marker: string; lines: string[] };
  stdout: string[];
  stderr: string[];
  exit: number;
  env: Record<string, string>;
  comments: string[];
}

interface Result {
  stdout: string;
  stderr: string;
  code: number;
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

function parseCase(text: string): Step[] {
  const steps: Step[] = [];
  let env: Record<string, string> = {};
  let comments: string[] = [];
  let cur: Step | null = null;
  let section: 'stdout' | 'stderr' = 'stdout';
  let heredoc: { marker: string; lines: string[] } | null = null;
  text
    .replace(/\n$/, '')
    .split('\n')
    .forEach((line, i) => {
      if (heredoc) {
        if (line === heredoc.marker) heredoc = null;
        else heredoc.lines.push(line);
      } else if (line.startsWith('$ ')) {
        const marker = /\s<<([A-Za-z_]+)$/.exec(line);
        const command = marker ? line.slice(2, marker.index) : line.slice(2);
        cur = { line: i + 1, command, stdout: [], stderr: [], exit: 0, env: { ...env }, comments };
        if (marker) {
          heredoc = { marker: marker[1]!, lines: [] };
          cur.stdin = heredoc;
        }
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
    });
  if (heredoc) throw new Error(`stdin block not closed: no line "${(heredoc as { marker: string }).marker}"`);
  return steps;
}

function linesOf(output: string): string[] {
  return output ? output.replace(/\n$/, '').split('\n') : [];
}

/** The expected lines, parsed, if they are pretty-printed JSON (more than one line, one JSON value). */
function prettyJson(expected: string[]): { value: unknown } | null {
  if (expected.length < 2) return null;
  try {
    return { value: JSON.parse(expected.join('\n')) };
  } catch {
    return null;
  }
}

function lineMatches(expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  if (!expected.startsWith(PATTERN)) return expected === actual;
  return new RegExp(`^(?:${expected.slice(PATTERN.length)})$`).test(actual);
}

function matches(expected: string[], actual: string[]): boolean {
  return expected.length === actual.length && expected.every((e, i) => lineMatches(e, actual[i]));
}

/**
 * What to compare the actual output with: the expected text itself, except that where a pattern line matches
 * its actual line the actual line stands in, so a diff shows only the lines that really differ.
 */
function expectedText(expected: string[], actual: string[]): string {
  const shown = expected.map((e, i) => (e.startsWith(PATTERN) && lineMatches(e, actual[i]) ? actual[i]! : e));
  return shown.length ? `${shown.join('\n')}\n` : '';
}

function checkStdout(label: string, expected: string[], actual: string): void {
  const json = prettyJson(expected);
  if (json) {
    let parsed: unknown;
    expect
      .soft(
        () => {
          parsed = JSON.parse(actual);
        },
        `${label} (stdout is not JSON: ${actual.slice(0, 200)})`,
      )
      .not.toThrow();
    expect.soft(parsed, `${label} (stdout, as JSON)`).toEqual(json.value);
  } else {
    expect.soft(actual, `${label} (stdout)`).toBe(expectedText(expected, linesOf(actual)));
  }
}

/** The expected lines to write back under UPDATE_GOLDEN=1: kept where they still match, else the actual ones. */
function updatedLines(expected: string[], actual: string, json: boolean): string[] {
  const actualLines = linesOf(actual);
  if (json) {
    const pretty = prettyJson(expected);
    if (pretty) {
      try {
        const value = JSON.parse(actual);
        if (JSON.stringify(value) === JSON.stringify(pretty.value)) return expected;
        return JSON.stringify(value, null, 2).split('\n');
      } catch {
        return actualLines;
      }
    }
  }
  return matches(expected, actualLines) ? expected : actualLines;
}

function serialise(steps: Step[], results: Map<Step, Result>): string {
  const out: string[] = [];
  let env: Record<string, string> = {};
  for (const s of steps) {
    out.push(...s.comments);
    for (const [k, v] of Object.entries(s.env)) if (env[k] !== v) out.push(`# env: ${k}=${v}`);
    env = s.env;
    // A step that did not run (a filtered run) keeps its expectations.
    const r = results.get(s) ?? { stdout: lines(s.stdout), stderr: lines(s.stderr), code: s.exit };
    out.push(`$ ${s.command}${s.stdin ? ` <<${s.stdin.marker}` : ''}`);
    if (s.stdin) out.push(...s.stdin.lines, s.stdin.marker);
    out.push(...updatedLines(s.stdout, r.stdout, true));
    const stderr = updatedLines(s.stderr, r.stderr, false);
    if (stderr.length) out.push('[stderr]', ...stderr);
    if (r.code !== 0) out.push(`[exit ${r.code}]`);
  }
  return `${out.join('\n')}\n`;
}

function lines(expected: string[]): string {
  return expected.length ? `${expected.join('\n')}\n` : '';
}

const files = fs.existsSync(CASES)
  ? fs
      .readdirSync(CASES)
      .filter((f) => f.endsWith('.t'))
      .sort()
  : [];

describe('golden CLI cases', () => {
  for (const file of files) {
    describe(file, () => {
      const steps = parseCase(fs.readFileSync(path.join(CASES, file), 'utf8'));
      const results = new Map<Step, Result>();
      let tmp = '';
      const sub = (s: string) => s.split(tmp).join('{TMP}').split(ROOT).join('{ROOT}');
      const expand = (s: string) => s.replaceAll('{TMP}', tmp).replaceAll('{ROOT}', ROOT);

      beforeAll(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-golden-'));
      });
      afterAll(() => {
        fs.rmSync(tmp, { recursive: true, force: true });
        if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(path.join(CASES, file), serialise(steps, results));
      });

      /** Stdin from a file, as `< file` gives it, so the command may also open /dev/stdin. */
      const runWithStdin = (args: string[], env: Record<string, string>, input: string) => {
        const file = path.join(tmp, '.stdin');
        fs.writeFileSync(file, input);
        const fd = fs.openSync(file, 'r');
        try {
          return runCli(args, env, tmp, fd);
        } finally {
          fs.closeSync(fd);
          fs.rmSync(file);
        }
      };

      for (const step of steps) {
        it(`${step.line}: $ ${step.command}`, () => {
          const args = splitArgs(expand(step.command));
          expect(args[0], 'commands must start with "crm"').toBe('crm');
          const env = isolatedEnv(tmp, { CRM_DATABASE_URL: `sqlite:${path.join(tmp, 'crm.sqlite')}`, ...step.env });
          const r = step.stdin
            ? runWithStdin(args.slice(1), env, expand(lines(step.stdin.lines)))
            : runCli(args.slice(1), env, tmp);
          const result = { stdout: sub(r.stdout), stderr: sub(r.stderr), code: r.code };
          results.set(step, result);
          if (process.env.UPDATE_GOLDEN === '1') return;
          const label = `${file}:${step.line}: $ ${step.command}`;
          // Soft, so a wrong stdout still shows whether stderr and the exit code were right too.
          checkStdout(label, step.stdout, result.stdout);
          expect.soft(result.stderr, `${label} (stderr)`).toBe(expectedText(step.stderr, linesOf(result.stderr)));
          expect.soft(result.code, `${label} (exit code)`).toBe(step.exit);
        });
      }
    });
  }
});
