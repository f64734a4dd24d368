import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isolatedEnv, ROOT, runCli } from '../support/cli.js';

const CODE_CACHE = pathToFileURL(path.join(ROOT, 'dist', 'cli', 'code-cache.js')).href;
const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-code-cache-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const cacheFile = (home: string) => path.join(home, '.cache', 'crm', 'v8', `${process.version}-${process.arch}.bin`);

/** Require `file` (a CommonJS module under a node_modules folder) in a fresh process with the cache installed. */
function requireWithCache(home: string, file: string): string {
  const script = [
    `const { installCodeCache } = await import(${JSON.stringify(CODE_CACHE)});`,
    'installCodeCache(process.env);',
    "const { createRequire } = await import('node:module');",
    `process.stdout.write(String(createRequire(import.meta.url)(${JSON.stringify(file)})));`,
  ].join('\n');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: isolatedEnv(home),
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('V8 code cache for CommonJS packages', () => {
  it('is written by the first database command, reused unchanged by the next, with the same output', () => {
    const home = tempDir();
    const env = isolatedEnv(home, { CRM_DATABASE_URL: `sqlite:${path.join(home, 'x.sqlite')}` });
    expect(runCli(['init', '--admin', 'admin', '--yes'], env, home).code).toBe(0);
    const file = cacheFile(home);
    expect(fs.existsSync(file)).toBe(true);
    const first = runCli(['customers', 'list', '--json'], env, home);
    expect(first.code, first.stderr).toBe(0);
    const written = fs.statSync(file);
    const second = runCli(['customers', 'list', '--json'], env, home);
    expect(second).toEqual(first);
    // Nothing new to compile, nothing rejected by V8: the file is not rewritten.
    expect(fs.statSync(file).mtimeMs).toBe(written.mtimeMs);
    // Without the cache, the same answer.
    expect(runCli(['customers', 'list', '--json'], { ...env, CRM_NO_CODE_CACHE: '1' }, home)).toEqual(first);
  });

  it('is not used (nor written) with CRM_NO_CODE_CACHE=1, and a damaged file is only rewritten', () => {
    const home = tempDir();
    const env = isolatedEnv(home, { CRM_DATABASE_URL: `sqlite:${path.join(home, 'x.sqlite')}` });
    expect(runCli(['init', '--admin', 'admin', '--yes'], { ...env, CRM_NO_CODE_CACHE: '1' }, home).code).toBe(0);
    expect(fs.existsSync(cacheFile(home))).toBe(false);
    const expected = runCli(['users', 'list', '--json'], env, home);
    expect(expected.code, expected.stderr).toBe(0);
    for (const junk of [
      Buffer.from('not a cache'),
      Buffer.alloc(0),
      fs.readFileSync(cacheFile(home)).subarray(0, 200),
    ]) {
      fs.writeFileSync(cacheFile(home), junk);
      expect(runCli(['users', 'list', '--json'], env, home)).toEqual(expected);
      expect(fs.statSync(cacheFile(home)).size).toBeGreaterThan(1000);
    }
  });

  it('never runs stale code: a module changed to a same-length source is compiled again', () => {
    const home = tempDir();
    const file = path.join(home, 'node_modules', 'fake', 'index.js');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'module.exports = "one";\n');
    expect(requireWithCache(home, file)).toBe('one');
    expect(fs.existsSync(cacheFile(home))).toBe(true);
    expect(requireWithCache(home, file)).toBe('one');
    fs.writeFileSync(file, 'module.exports = "two";\n'); // same length: V8's own check would accept the old code
    expect(requireWithCache(home, file)).toBe('two');
    expect(requireWithCache(home, file)).toBe('two');
  });
});
