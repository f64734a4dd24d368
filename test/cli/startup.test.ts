import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, isolatedEnv, ROOT, runCli } from '../support/cli.js';

const HOOK = path.join(ROOT, 'test', 'support', 'hooks', 'register.mjs');

function importsOf(args: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-trace-'));
  const trace = path.join(dir, 'imports.txt');
  const r = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    env: { ...isolatedEnv(dir), CRM_TRACE_IMPORTS: trace },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  const urls = fs.readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  fs.rmSync(dir, { recursive: true, force: true });
  return urls;
}

describe('startup', () => {
  it('--version and --help load no database driver, no knex, no prompts', () => {
    for (const args of [['--version'], ['--help'], ['customers', '--help'], ['customers', 'list', '--help']]) {
      const urls = importsOf(args);
      expect(urls.length).toBeGreaterThan(0); // the hook really ran
      const heavy = urls.filter((u) => /node_modules\/(knex|better-sqlite3|mysql2|@inquirer)\//.test(u));
      expect(heavy, `${args.join(' ')} loaded ${heavy.join(', ')}`).toEqual([]);
    }
  });

  it('--version loads nothing but the launcher; a group loads only its own commands', () => {
    expect(importsOf(['--version']).filter((u) => u.includes('/dist/'))).toEqual([]);
    const urls = importsOf(['customers', '--help']);
    expect(urls.some((u) => u.includes('/dist/commands/customers/'))).toBe(true);
    expect(urls.filter((u) => /\/dist\/commands\/(settlement|reports|jobs|orders)\//.test(u))).toEqual([]);
  });

  it('a command that needs the database does load the driver (the trace is real)', () => {
    const urls = importsOf(['db', 'status']);
    expect(urls.some((u) => u.includes('node_modules/knex/'))).toBe(true);
  });

  it('Chinese messages with --lang zh, and JSON errors with the same exit code', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-lang-'));
    const env = isolatedEnv(dir, { CRM_DATABASE_URL: `sqlite:${path.join(dir, 'x.sqlite')}` });
    const plain = runCli(['--lang', 'zh', 'users', 'list'], env, dir);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('数据库尚未初始化');
    expect(plain.stderr).toContain('crm init');
    const json = runCli(['users', 'list', '--json'], env, dir);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'E1501', message: 'the database is not initialised' } });
    expect(json.stderr).toBe('');
    const usage = runCli(['users', 'add', '--json'], env, dir);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout).error.code).toBe('E0002');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
