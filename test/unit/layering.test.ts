import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The house rules on imports and on `process`, checked over every source file:
 * - below the CLI (services, reports, io, domain, db, and jobs and config too) nothing imports src/cli or
 *   src/commands, statically or with import();
 * - only src/cli reads `process.env` (bin/ is outside src and may);
 * - only src/cli calls `process.kill` or `process.exit` (signal 0, which only asks whether a process is alive,
 *   is allowed: src/io/process.ts uses it for locks held by a dead process).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = path.join(ROOT, 'src');

type Rule = 'import' | 'env' | 'kill-exit';

/**
 * Files still being fixed on other branches, and the one rule each may break meanwhile.
 * This list must shrink to empty: remove an entry as soon as its file is fixed (a test below fails
 * when an entry is no longer needed).
 */
const ALLOWED: Record<string, Rule[]> = {};

const BELOW_CLI = ['services', 'reports', 'io', 'domain', 'db', 'jobs', 'config'].map((d) => `src/${d}/`);
const CLI_LAYERS = ['src/cli/', 'src/commands/'];

interface Violation {
  rule: Rule;
  file: string;
  line: number;
  text: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [full] : [];
  });
}

const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

function lineAt(text: string, index: number): { line: number; text: string } {
  const line = text.slice(0, index).split('\n').length;
  return { line, text: (text.split('\n')[line - 1] ?? '').trim() };
}

/** Every module specifier: `import … from`, `export … from`, bare `import '…'`, and `import('…')`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
const PROCESS_ENV = /\bprocess\s*(?:\.\s*env\b|\[\s*['"]env['"]\s*\])|\{[^}]*\benv\b[^}]*\}\s*=\s*process\b/g;
const PROCESS_KILL_EXIT = /\bprocess\s*\.\s*(?:kill(?!\s*\(\s*\w+\s*,\s*0\s*\))|exit)\b/g;

function scan(): Violation[] {
  const found: Violation[] = [];
  for (const full of sourceFiles(SRC)) {
    const file = relative(full);
    const text = fs.readFileSync(full, 'utf8');
    const add = (rule: Rule, index: number) => found.push({ rule, file, ...lineAt(text, index) });
    if (BELOW_CLI.some((dir) => file.startsWith(dir))) {
      for (const match of text.matchAll(SPECIFIER)) {
        const specifier = match[1] ?? '';
        if (!specifier.startsWith('.')) continue;
        const target = relative(path.resolve(path.dirname(full), specifier));
        if (CLI_LAYERS.some((dir) => `${target}/`.startsWith(dir))) add('import', match.index ?? 0);
      }
    }
    if (!file.startsWith('src/cli/')) {
      for (const match of text.matchAll(PROCESS_ENV)) add('env', match.index ?? 0);
      for (const match of text.matchAll(PROCESS_KILL_EXIT)) add('kill-exit', match.index ?? 0);
    }
  }
  return found;
}

const show = (v: Violation) => `${v.file}:${v.line} [${v.rule}] ${v.text}`;
const allowed = (v: Violation) => ALLOWED[v.file]?.includes(v.rule) ?? false;

describe('layering', () => {
  const violations = scan();

  it('finds the source files it checks', () => {
    // A scan that read nothing would pass every rule below.
    expect(sourceFiles(SRC).map(relative)).toEqual(
      expect.arrayContaining(['src/cli/main.ts', 'src/services/context.ts', 'src/reports/render/index.ts']),
    );
  });

  it('nothing below the CLI imports src/cli or src/commands', () => {
    expect(violations.filter((v) => v.rule === 'import' && !allowed(v)).map(show)).toEqual([]);
  });

  it('only src/cli reads process.env', () => {
    expect(violations.filter((v) => v.rule === 'env' && !allowed(v)).map(show)).toEqual([]);
  });

  it('only src/cli calls process.kill or process.exit', () => {
    expect(violations.filter((v) => v.rule === 'kill-exit' && !allowed(v)).map(show)).toEqual([]);
  });

  it('every allow-list entry is still needed (the list only shrinks)', () => {
    const stale = Object.entries(ALLOWED).flatMap(([file, rules]) =>
      rules.filter((rule) => !violations.some((v) => v.file === file && v.rule === rule)).map((r) => `${file} [${r}]`),
    );
    expect(stale).toEqual([]);
  });
});

describe('layering scan', () => {
  // The patterns themselves, on the shapes they must catch (so a green run above means something).
  it('catches static, re-exported, bare and dynamic imports, env reads and kill/exit calls', () => {
    const source = [
      "import { m } from '../cli/i18n.js';",
      "export { x } from '../commands/x.js';",
      "import '../cli/side-effect.js';",
      "const y = await import('../cli/y.js');",
      'const a = process.env.A;',
      "const b = process['env'];",
      'const { env } = process;',
      "process.kill(pid, 0); process.kill(pid, 'SIGKILL'); process.exit(2);",
    ].join('\n');
    expect([...source.matchAll(SPECIFIER)].map((mt) => mt[1])).toEqual([
      '../cli/i18n.js',
      '../commands/x.js',
      '../cli/side-effect.js',
      '../cli/y.js',
    ]);
    expect([...source.matchAll(PROCESS_ENV)].map((mt) => lineAt(source, mt.index ?? 0).line)).toEqual([5, 6, 7]);
    expect([...source.matchAll(PROCESS_KILL_EXIT)]).toHaveLength(2);
  });
});
