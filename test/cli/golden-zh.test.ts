import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTION_KEYS } from '../../src/config/connection.js';
import { SETTING_DEFS } from '../../src/config/settings/index.js';
import { isolatedEnv, ROOT, runCli } from '../support/cli.js';
import { joinLines, parseCase, splitArgs } from '../support/golden.js';

/**
 * Every golden case again, in Chinese: each step runs with CRM_LANG=zh on its own fresh database (the steps of a
 * file in order, as in golden.test.ts), and what a person reads (stdout as the terminal's table unless the step
 * asks for JSON, CSV or TSV, and stderr) must hold no English words. Allowed: codes, flags and file names, the `crm …` commands a message
 * names, the data the case itself typed or read from a file (names, codes), and the technical names below.
 */
const CASES = path.join(ROOT, 'test', 'cli', 'cases');

/** Names that stay as they are in Chinese text: formats, encodings, standards, products. */
const TECHNICAL = new Set(
  [
    'csv',
    'tsv',
    'json',
    'html',
    'xlsx',
    'gbk',
    'utf',
    'sha',
    'iso',
    'utc',
    'sqlite',
    'mysql',
    'mariadb',
    'cron',
    'crm',
    'node',
    'svg',
    'pid',
    'tty',
    'url',
    'bom',
    'smtp',
    'smtps',
    // languages, the two clearing files' name prefixes, and setting values as typed (`crm config set … true`)
    'zh',
    'en',
    'qs',
    'tk',
    'true',
    'false',
    'os',
  ].map((w) => w.toLowerCase()),
);

/** Setting keys are typed as they are (`crm config set lang zh`). */
const SETTING_KEYS = new Set<string>([...SETTING_DEFS.keys(), ...Object.keys(CONNECTION_KEYS)]);

/** Steps whose stdout is data for programs, not text for people: its keys and values stay English. */
function dataOutput(args: string[]): boolean {
  if (args.includes('--json')) return true;
  const i = args.indexOf('--format');
  const format = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('--format='))?.slice('--format='.length);
  return format === 'json' || format === 'csv' || format === 'tsv' || args.includes('--csv');
}

/** Words a case supplies itself: its commands, its stdin and the files they name (not its expected output). */
function suppliedWords(text: string): Set<string> {
  const words = new Set<string>();
  const add = (s: string) => {
    for (const w of s.match(/[A-Za-z][A-Za-z']*/g) ?? []) words.add(w.toLowerCase());
  };
  add(text);
  for (const ref of text.match(/\{ROOT\}\/[\w./-]+/g) ?? []) {
    const file = path.join(ROOT, ref.slice('{ROOT}/'.length));
    if (fs.existsSync(file) && fs.statSync(file).isFile() && fs.statSync(file).size < 2_000_000) {
      add(fs.readFileSync(file, 'utf8'));
    }
  }
  return words;
}

/** The English words in a text a person reads, after taking out what may stay English. */
function englishWords(text: string, supplied: Set<string>): string[] {
  const stripped = text
    // a command a message tells the user to run, with its flags and arguments
    .replace(/\bcrm(?:\s+(?:[-\w.:/{}<>=|[\]@,+]|"[^"]*"|'[^']*')+)*/g, ' ')
    .replace(/\bHH:mm\b/g, ' ')
    // identifiers: setting keys, job names, audit entities and actions
    .replace(/\b[A-Za-z]\w*(?:[.-][A-Za-z]\w*)+\b/g, ' ')
    .replace(/\b[a-z]+_[a-z_]+\b/g, ' ')
    // flags, error codes, paths and file names, addresses, times
    .replace(/您是不是想输入 [^？]*？/g, ' ') // commander's suggestion: a command or flag name, typed as it is
    .replace(/--?[\w-]+(=\S*)?/g, ' ')
    .replace(/\bE\d{4}\b/g, ' ')
    .replace(/[\w.{}-]*\/[\w./{}-]*/g, ' ')
    .replace(/\b[\w-]+\.(?:txt|csv|tsv|json|html|xlsx|sqlite|t|ics|md|js|log|pdf|png)\b/gi, ' ')
    .replace(/\b\S+@\S+\b/g, ' ')
    // values to type, as a refusal lists them: （可选：phone, visit, …）, and the command commander suggests
    .replace(/可选：[^）\n]*/g, ' ')
    .replace(/是不是想输入\s*[\w-]+/g, ' ')
    // JSON literals (a setting's value), option placeholders, identifiers: setting keys, job names, audit entities
    .replace(/[[{][^\n]*[\]}]/g, ' ')
    .replace(/<[\w-]+>/g, ' ')
    // hashes and migration names
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{6,}\b/gi, ' ')
    .replace(/\b\d{4}_\w+/g, ' ');
  const found = new Set<string>();
  for (const w of stripped.match(/[A-Za-z][A-Za-z']+/g) ?? []) {
    const lower = w.toLowerCase();
    if (supplied.has(lower) || TECHNICAL.has(lower) || SETTING_KEYS.has(w)) continue;
    if (/^[A-Z]{1,5}$/.test(w)) continue; // abbreviations: CSV, SLA, A/B grades
    found.add(w);
  }
  return [...found].sort();
}

const files = fs.existsSync(CASES)
  ? fs
      .readdirSync(CASES)
      .filter((f) => f.endsWith('.t'))
      .sort()
  : [];

describe('golden cases in Chinese: no English a person reads', () => {
  it('finds English where there is some (the check itself)', () => {
    expect(englishWords('错误 E7150：不能处理未来的日期 cutoff refused', new Set())).toEqual(['cutoff', 'refused']);
    expect(englishWords('运行 crm settlement names set 100 --name "北京" 完成当天', new Set())).toEqual([]);
    expect(englishWords('已写入 /tmp/x/qs20261123001.txt（GBK）', new Set())).toEqual([]);
    expect(englishWords('客户 Acme 已导入', new Set(['acme']))).toEqual([]);
    expect(englishWords('方式无效：fax（可选：phone, visit）', new Set(['fax']))).toEqual([]);
    expect(englishWords('jobs.cutoff.schedule  16:00  settlement.cutoffAt + 5 min', new Set())).toEqual(['min']);
    expect(englishWords('状态  active', new Set())).toEqual(['active']);
  });

  for (const file of files) {
    describe(file, () => {
      const caseText = fs.readFileSync(path.join(CASES, file), 'utf8');
      const steps = parseCase(caseText);
      const supplied = suppliedWords(steps.map((s) => [s.command, ...(s.stdin?.lines ?? [])].join('\n')).join('\n'));
      // The OS account running the cases is data too (the audit log names it when it acts as a crm user).
      supplied.add(os.userInfo().username.toLowerCase());
      let tmp = '';
      const expand = (s: string) => s.replaceAll('{TMP}', tmp).replaceAll('{ROOT}', ROOT);
      beforeAll(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-golden-zh-'));
      });
      afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

      for (const step of steps) {
        it(`${step.line}: $ ${step.command}`, () => {
          const given = splitArgs(expand(step.command)).slice(1);
          // What a person reads: the terminal's table, not the tab-separated lines a pipe gets for scripts.
          const args =
            dataOutput(given) || given.some((a) => a.startsWith('--format')) ? given : ['--format', 'table', ...given];
          const env = isolatedEnv(tmp, {
            CRM_DATABASE_URL: `sqlite:${path.join(tmp, 'crm.sqlite')}`,
            ...step.env,
            CRM_LANG: 'zh',
          });
          let r: ReturnType<typeof runCli>;
          if (step.stdin) {
            const input = path.join(tmp, '.stdin');
            fs.writeFileSync(input, expand(joinLines(step.stdin.lines)));
            const fd = fs.openSync(input, 'r');
            try {
              r = runCli(args, env, tmp, fd);
            } finally {
              fs.closeSync(fd);
              fs.rmSync(input);
            }
          } else r = runCli(args, env, tmp);
          // The step must behave as in English (same exit code); only its words change.
          expect.soft(r.code, 'exit code as in the English case').toBe(step.exit);
          const read = `${dataOutput(args) ? '' : r.stdout}\n${r.stderr}`.split(tmp).join(' ');
          expect(
            englishWords(read, supplied),
            `${file}:${step.line} in Chinese${process.env.ZH_DEBUG ? `\n${read}` : ''}`,
          ).toEqual([]);
        });
      }
    });
  }
});
