import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, ROOT, runCli } from '../support/cli.js';
import {
  expectedText,
  joinLines,
  linesOf,
  parseCase,
  prettyJson,
  type Result,
  type Step,
  serialise,
  splitArgs,
} from '../support/golden.js';

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
            ? runWithStdin(args.slice(1), env, expand(joinLines(step.stdin.lines)))
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
