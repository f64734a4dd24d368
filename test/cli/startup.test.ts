import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, isolatedEnv, ROOT, runCli } from '../support/cli.js';
import { testTempDir } from '../support/tmp.js';

const HOOK = path.join(ROOT, 'test', 'support', 'hooks', 'register.mjs');

function importsOf(args: string[], env: Record<string, string> = {}): string[] {
  const dir = testTempDir('crm-trace-');
  const trace = path.join(dir, 'imports.txt');
  const r = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    env: { ...isolatedEnv(dir), ...env, CRM_TRACE_IMPORTS: trace },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return fs.readFileSync(trace, 'utf8').split('\n').filter(Boolean);
}

/** Modules a run loaded, as paths under dist/ (`services/customers/customers.js`) or package names. */
function loaded(urls: string[]): { dist: string[]; packages: string[] } {
  const dist = new Set<string>();
  const packages = new Set<string>();
  for (const u of urls) {
    const d = /\/dist\/(.+)$/.exec(u);
    if (d) dist.add(d[1]!);
    const p = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
    if (p) packages.add(p[1]!);
  }
  return { dist: [...dist].sort(), packages: [...packages].sort() };
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

  it('customers list loads its own service only: no import engine, reports, settlement, jobs or migration modules', () => {
    const dir = testTempDir('crm-list-');
    const env = { CRM_DATABASE_URL: `sqlite:${path.join(dir, 'x.sqlite')}`, CRM_USER: 'admin' };
    expect(runCli(['init', '--admin', 'admin', '--yes'], isolatedEnv(dir, env), dir).code).toBe(0);
    const urls = importsOf(['customers', 'list', '--limit', '20', '--json'], env);
    const { dist, packages } = loaded(urls);
    expect(dist).toContain('services/customers/customers.js'); // the trace is real
    expect(dist).toContain('db/migrate.js');
    const services = dist.filter((f) => f.startsWith('services/'));
    expect(services.sort()).toEqual(
      [
        'services/audit.js',
        // Every command resolves who acts (sign-in, tokens, acting as): one service, loaded by every run.
        'services/auth/index.js',
        'services/auth/secrets.js',
        'services/context.js',
        'services/customers/common.js',
        'services/customers/customers.js',
        'services/settings.js',
        'services/users.js',
      ].sort(),
    );
    const heavy = dist.filter((f) => /^(io\/import|io\/export|reports|jobs\/(?!catalog)|db\/migrations\/0)/.test(f));
    expect(heavy).toEqual([]);
    expect(packages.filter((p) => /csv-parse|iconv-lite|mysql2|@inquirer|cli-table3|node-cron/.test(p))).toEqual([]);
    // Knex's lodash helpers come from lodash's one-file build (db/knex-loader.ts), not ~255 per-function files.
    expect(packages).toContain('knex');
    expect(
      urls.filter((u) => u.includes('/node_modules/lodash/')).map((u) => u.replace(/.*\/node_modules\//, '')),
    ).toEqual(['lodash/lodash.js']);
  });

  it('the migration list names every migration file without loading one', async () => {
    const { MIGRATION_NAMES } = await import('../../src/db/migrations/index.js');
    const files = fs
      .readdirSync(path.join(ROOT, 'src', 'db', 'migrations'))
      .filter((f) => /^\d{4}_.+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect([...MIGRATION_NAMES]).toEqual(files);
  });

  it('Chinese messages with --lang zh, and JSON errors with the same exit code', () => {
    const dir = testTempDir('crm-lang-');
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
  });
});
