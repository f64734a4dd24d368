/**
 * The golden `.t` format: parsing a case, matching output against its expectations, and writing it back
 * (UPDATE_GOLDEN=1). The format is described in test/cli/golden.test.ts, which runs the cases.
 */
export const PATTERN = '~ ';

export interface Step {
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

export interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

export function splitArgs(line: string): string[] {
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

export function parseCase(text: string): Step[] {
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

export function linesOf(output: string): string[] {
  return output ? output.replace(/\n$/, '').split('\n') : [];
}

/** The expected lines, parsed, if they are pretty-printed JSON (more than one line, one JSON value). */
export function prettyJson(expected: string[]): { value: unknown } | null {
  if (expected.length < 2) return null;
  try {
    return { value: JSON.parse(expected.join('\n')) };
  } catch {
    return null;
  }
}

export function lineMatches(expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  if (!expected.startsWith(PATTERN)) return expected === actual;
  return new RegExp(`^(?:${expected.slice(PATTERN.length)})$`).test(actual);
}

export function matches(expected: string[], actual: string[]): boolean {
  return expected.length === actual.length && expected.every((e, i) => lineMatches(e, actual[i]));
}

/**
 * What to compare the actual output with: the expected text itself, except that where a pattern line matches
 * its actual line the actual line stands in, so a diff shows only the lines that really differ.
 */
export function expectedText(expected: string[], actual: string[]): string {
  const shown = expected.map((e, i) => (e.startsWith(PATTERN) && lineMatches(e, actual[i]) ? actual[i]! : e));
  return shown.length ? `${shown.join('\n')}\n` : '';
}

/** The expected lines to write back under UPDATE_GOLDEN=1: kept where they still match, else the actual ones. */
export function updatedLines(expected: string[], actual: string, json: boolean): string[] {
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

export function serialise(steps: Step[], results: Map<Step, Result>): string {
  const out: string[] = [];
  let env: Record<string, string> = {};
  for (const s of steps) {
    out.push(...s.comments);
    for (const [k, v] of Object.entries(s.env)) if (env[k] !== v) out.push(`# env: ${k}=${v}`);
    env = s.env;
    // A step that did not run (a filtered run) keeps its expectations.
    const r = results.get(s) ?? { stdout: joinLines(s.stdout), stderr: joinLines(s.stderr), code: s.exit };
    out.push(`$ ${s.command}${s.stdin ? ` <<${s.stdin.marker}` : ''}`);
    if (s.stdin) out.push(...s.stdin.lines, s.stdin.marker);
    out.push(...updatedLines(s.stdout, r.stdout, true));
    const stderr = updatedLines(s.stderr, r.stderr, false);
    if (stderr.length) out.push('[stderr]', ...stderr);
    if (r.code !== 0) out.push(`[exit ${r.code}]`);
  }
  return `${out.join('\n')}\n`;
}

/** Expected lines as the output they stand for. */
export function joinLines(expected: string[]): string {
  return expected.length ? `${expected.join('\n')}\n` : '';
}
