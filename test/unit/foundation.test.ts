import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveLang, tr } from '../../src/cli/i18n.js';
import { resolveConnectionConfig } from '../../src/config/connection.js';
import { parseDatabaseUrl, redactUrl } from '../../src/db/connection.js';
import { CrmError } from '../../src/domain/errors.js';
import { safeCell, unsafeCell } from '../../src/io/csv-safe.js';

describe('database URLs', () => {
  it('reads sqlite forms and bare paths', () => {
    expect(parseDatabaseUrl('sqlite:/srv/crm.sqlite')).toEqual({ dialect: 'sqlite', filename: '/srv/crm.sqlite' });
    expect(parseDatabaseUrl('sqlite:///srv/crm.sqlite')).toEqual({ dialect: 'sqlite', filename: '/srv/crm.sqlite' });
    expect(parseDatabaseUrl('data/crm.sqlite', '/home/a')).toEqual({
      dialect: 'sqlite',
      filename: '/home/a/data/crm.sqlite',
    });
    expect(parseDatabaseUrl('sqlite:rel.db', '/x')).toEqual({ dialect: 'sqlite', filename: '/x/rel.db' });
  });
  it('reads mysql and mariadb URLs with escaped passwords', () => {
    expect(parseDatabaseUrl('mysql://crm:p%40ss@db.local:3307/crm_prod')).toEqual({
      dialect: 'mysql',
      host: 'db.local',
      port: 3307,
      user: 'crm',
      password: 'p@ss',
      database: 'crm_prod',
    });
    expect(parseDatabaseUrl('mariadb://root@127.0.0.1/test')).toMatchObject({
      dialect: 'mysql',
      port: 3306,
      user: 'root',
      password: '',
      database: 'test',
    });
  });
  it('refuses a URL without database, an unknown scheme and an empty value', () => {
    expect(() => parseDatabaseUrl('mysql://root@127.0.0.1:3306')).toThrow(CrmError);
    expect(() => parseDatabaseUrl('postgres://x@y/z')).toThrow(/unsupported/);
    expect(() => parseDatabaseUrl('  ')).toThrow(CrmError);
  });
  it('never prints a password', () => {
    expect(redactUrl('mysql://crm:secret@db:3306/crm')).toBe('mysql://crm:***@db:3306/crm');
    expect(redactUrl('mysql://root@db:3306/crm')).toBe('mysql://root@db:3306/crm');
  });
});

describe('connection config precedence', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-conf-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify({ databaseUrl: 'sqlite:/from/file.sqlite', lang: 'zh' }));
  const env = { HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'cfg'), XDG_DATA_HOME: path.join(dir, 'data') };

  it('flag > environment > config file > default', () => {
    expect(
      resolveConnectionConfig(
        { db: 'sqlite:/flag.sqlite', config: file },
        { ...env, CRM_DATABASE_URL: 'sqlite:/env.sqlite' },
      ),
    ).toMatchObject({
      databaseUrl: 'sqlite:/flag.sqlite',
      databaseUrlSource: 'flag',
    });
    expect(resolveConnectionConfig({ config: file }, { ...env, CRM_DATABASE_URL: 'sqlite:/env.sqlite' })).toMatchObject(
      { databaseUrlSource: 'env' },
    );
    expect(resolveConnectionConfig({ config: file }, env)).toMatchObject({
      databaseUrl: 'sqlite:/from/file.sqlite',
      databaseUrlSource: 'file',
      lang: 'zh',
    });
    expect(resolveConnectionConfig({}, env)).toMatchObject({
      databaseUrl: `sqlite:${path.join(dir, 'data', 'crm', 'crm.sqlite')}`,
      databaseUrlSource: 'default',
    });
  });
  it('a named config file that does not exist, or bad JSON, is a clear error', () => {
    expect(() => resolveConnectionConfig({ config: path.join(dir, 'nope.json') }, env)).toThrow(/not found/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{nope');
    expect(() => resolveConnectionConfig({ config: bad }, env)).toThrow(/not valid JSON/);
  });
});

describe('language', () => {
  it('flag > CRM_LANG > config > LANG', () => {
    expect(resolveLang('en', { CRM_LANG: 'zh' })).toBe('en');
    expect(resolveLang(undefined, { CRM_LANG: 'zh-CN', LANG: 'en_US.UTF-8' })).toBe('zh');
    expect(resolveLang(undefined, { LANG: 'en_US.UTF-8' }, 'zh')).toBe('zh');
    expect(resolveLang(undefined, { LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(resolveLang(undefined, { LANG: 'C' })).toBe('en');
  });
  it('fills placeholders', () => {
    expect(tr('zh', { zh: '你好 {name}', en: 'hi {name}' }, { name: '李' })).toBe('你好 李');
    expect(tr('en', { zh: '你好 {name}', en: 'hi {name}' }, { name: 'Li' })).toBe('hi Li');
  });
});

describe('CSV cells cannot run as formulas', () => {
  it.each(['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx', "=HYPERLINK('http://x')"])('%j is defused', (v) => {
    expect(safeCell(v).startsWith("'")).toBe(true);
    expect(unsafeCell(safeCell(v))).toBe(v);
  });
  it.each(['-12.50', '+3', '-7', '12', 'plain', '', '李四'])('%j stays as it is', (v) => {
    expect(safeCell(v)).toBe(v);
    expect(unsafeCell(v)).toBe(v);
  });
});
