import { describe, expect, it } from 'vitest';
import { expectedText, lineMatches, parseCase, prettyJson, type Result, serialise } from '../support/golden.js';

// The golden runner's own rules (test/cli/golden.test.ts): a runner that misread its cases would pass them all.
const CASE = [
  '# a case',
  '# env: CRM_NOW=2026-10-08T09:00:00+08:00',
  '$ crm customers import /dev/stdin --json <<EOF',
  'code,name',
  '$ not a command, a stdin line',
  'EOF',
  '{',
  '  "read": 1',
  '}',
  '[stderr]',
  '~ warning: batch [0-9a-f]+',
  '[exit 6]',
  '$ crm customers list',
  'code\tname',
  '',
].join('\n');

describe('golden .t format', () => {
  it('reads steps with their env, stdin block, stdout, stderr and exit code', () => {
    const steps = parseCase(CASE);
    expect(steps).toHaveLength(2);
    expect(steps[0]).toMatchObject({
      line: 3,
      command: 'crm customers import /dev/stdin --json',
      stdin: { marker: 'EOF', lines: ['code,name', '$ not a command, a stdin line'] },
      stdout: ['{', '  "read": 1', '}'],
      stderr: ['~ warning: batch [0-9a-f]+'],
      exit: 6,
      env: { CRM_NOW: '2026-10-08T09:00:00+08:00' },
      comments: ['# a case'],
    });
    expect(steps[1]).toMatchObject({ line: 13, command: 'crm customers list', stdout: ['code\tname'], exit: 0 });
    expect(steps[1]!.stdin).toBeUndefined();
  });

  it('refuses a stdin block that is never closed', () => {
    expect(() => parseCase('$ crm x <<EOF\nline\n')).toThrow(/not closed/);
  });

  it('matches a "~ " line as a regular expression of the whole line, every other line exactly', () => {
    expect(lineMatches('~ batch [0-9a-f]+', 'batch 3fa9')).toBe(true);
    expect(lineMatches('~ batch [0-9a-f]+', 'batch 3fa9 and more')).toBe(false);
    expect(lineMatches('~ a|b', 'ab')).toBe(false); // the alternation is anchored as a whole
    expect(lineMatches('batch [0-9a-f]+', 'batch [0-9a-f]+')).toBe(true);
    expect(lineMatches('x', undefined)).toBe(false);
    // What the actual text is compared with: matched pattern lines stand in as the actual line.
    expect(expectedText(['~ id \\d+', 'done'], ['id 42', 'done'])).toBe('id 42\ndone\n');
    expect(expectedText(['~ id \\d+', 'done'], ['id x', 'done'])).toBe('~ id \\d+\ndone\n');
  });

  it('treats a multi-line block that is one JSON value as JSON, a one-line one as text', () => {
    expect(prettyJson(['{', '  "a": [1, 2]', '}'])).toEqual({ value: { a: [1, 2] } });
    expect(prettyJson(['{"a":1}'])).toBeNull();
    expect(prettyJson(['code\tname', '1\tx'])).toBeNull();
  });

  it('writes a case back unchanged when the output still matches, and the new output where it does not', () => {
    const steps = parseCase(CASE);
    const same = new Map<(typeof steps)[number], Result>([
      [steps[0]!, { stdout: '{"read":1}\n', stderr: 'warning: batch 9f\n', code: 6 }],
      [steps[1]!, { stdout: 'code\tname\n', stderr: '', code: 0 }],
    ]);
    expect(serialise(steps, same)).toBe(CASE);
    const changed = new Map(same);
    changed.set(steps[0]!, { stdout: '{"read":2}\n', stderr: 'error: gone\n', code: 1 });
    const written = parseCase(serialise(steps, changed));
    expect(written[0]).toMatchObject({
      stdin: steps[0]!.stdin,
      stdout: ['{', '  "read": 2', '}'], // pretty stays pretty
      stderr: ['error: gone'],
      exit: 1,
    });
  });
});
