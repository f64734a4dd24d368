import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setInitialPassword } from '../../src/services/auth/index.js';
import { hashPassword, verifyPassword } from '../../src/services/auth/secrets.js';
import { type CliResult, isolatedEnv, ROOT, runCli } from '../support/cli.js';
import { describeEachDb } from '../support/db.js';

/**
 * Sign-in end to end, through real `crm` processes on each database: who may act as someone else in `os` mode, and
 * in `password` mode sessions, lockout, forced changes, tokens, and what is refused (exit 4) with nothing written.
 */
const OS_ACCOUNT = os.userInfo().username;
let home = '';
beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-auth-'));
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const errorCode = (r: CliResult) => /error (E\d{4})/.exec(r.stderr)?.[1];

describe('password hashes', () => {
  it('are salted scrypt with their parameters, and verify only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('anything', null)).toBe(false);
  });
});

describeEachDb('sign-in', (h) => {
  /** A home of its own for each "person" (config dir, session file); the database is the suite's. */
  const homeOf = (who: string) => path.join(home, `${h.name}-${who}`);
  const env = (who: string, extra: Record<string, string> = {}) => {
    const { CRM_USER: _signedInNobody, ...base } = isolatedEnv(homeOf(who), { CRM_DATABASE_URL: h.url() });
    return { ...base, ...extra };
  };
  const crm = (who: string, args: string[], extra: Record<string, string> = {}, input?: string) =>
    runCli(args, env(who, extra), ROOT, input);
  const auditCount = async () => Number((await h.db()('audit_log').count({ n: '*' }).first())?.n);
  const setMode = async (mode: string) => (await h.as()).settings.set('auth.mode', mode, (await h.as()).actor, h.clock);

  beforeAll(async () => {
    await h.addUser('bob', 'sales');
    await h.addUser('carol', 'admin');
  });

  describe('os mode', () => {
    it('lets an OS account in auth.osAdmins act as a user, and records it', async () => {
      const r = crm('root-like', ['--user', 'bob', 'whoami', '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ user: 'bob', via: `os:${OS_ACCOUNT}`, mode: 'os', by: 'os' });
      expect(crm('root-like', ['--user', 'admin', 'customers', 'add', '--code', 'A1', '--name', '甲单位']).code).toBe(
        0,
      );
      const row = await h.db()('audit_log').where({ action: 'customers.add' }).orderBy('id', 'desc').first();
      expect(row).toMatchObject({ user_name: 'admin', via_user: `os:${OS_ACCOUNT}` });
    });

    it('refuses --user and CRM_USER from an OS account that is no admin, writing nothing', async () => {
      const admin = await h.as();
      await admin.settings.set('auth.osAdmins', 'somebody-else', admin.actor, h.clock);
      await h.addUser(OS_ACCOUNT, 'sales');
      try {
        const before = await auditCount();
        for (const r of [
          crm('plain', ['--user', 'admin', 'users', 'add', 'mallory', '--role', 'admin']),
          crm('plain', ['users', 'add', 'mallory', '--role', 'admin'], { CRM_USER: 'admin' }),
          crm('plain', ['--as', 'admin', 'users', 'list']),
        ]) {
          expect(r.code).toBe(4);
          expect(errorCode(r)).toBe('E1601');
          expect(r.stderr).toContain('only an admin may act as another user');
        }
        expect(await auditCount()).toBe(before);
        expect(await h.db()('users').where({ name: 'mallory' }).first()).toBeUndefined();
        // As themselves they are the crm user of their OS account's name.
        const me = crm('plain', ['whoami', '--json']);
        expect(JSON.parse(me.stdout)).toMatchObject({ user: OS_ACCOUNT, role: 'sales', via: null });
      } finally {
        await h
          .db()('users')
          .where({ name: OS_ACCOUNT })
          .update({ name: `${OS_ACCOUNT}-old`, status: 'disabled' });
        await admin.settings.set('auth.osAdmins', OS_ACCOUNT, admin.actor, h.clock);
      }
    });
  });

  describe('password mode', () => {
    beforeAll(async () => {
      await setInitialPassword(h.db(), h.clock, 'bob', 'bob-has-a-long-one', 10).catch(() => {});
      await setInitialPassword(h.db(), h.clock, 'bob', 'Long enough 1', 10);
      await setInitialPassword(h.db(), h.clock, 'carol', 'carol is in charge', 10).catch(() => {});
      await setInitialPassword(h.db(), h.clock, 'carol', 'In charge of all', 10);
      await setMode('password');
    });
    afterAll(async () => setMode('os'));

    it('refuses every command without a session (exit 4), even for an OS admin with CRM_USER', () => {
      for (const r of [crm('nobody', ['customers', 'list']), crm('nobody', ['users', 'list'], { CRM_USER: 'admin' })]) {
        expect(r.code).toBe(4);
        expect(errorCode(r)).toBe('E1602');
        expect(r.stderr).toContain('crm login');
      }
      expect(crm('nobody', ['--help']).code).toBe(0);
      expect(crm('nobody', ['--version']).code).toBe(0);
    });

    it('signs in with --password-stdin, keeps only a hash of the session, and writes the file 0600', async () => {
      const r = crm('bob', ['login', '--user', 'bob', '--password-stdin'], {}, 'Long enough 1\n');
      expect(r.code).toBe(0);
      const file = path.join(homeOf('bob'), '.config', 'crm', 'session.json');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const { token } = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect(token).toMatch(/^crms_/);
      const stored = await h.db()('auth_tokens').where({ kind: 'session' }).select('token_hash');
      expect(stored.map((s: { token_hash: string }) => s.token_hash)).not.toContain(token);
      expect(JSON.stringify(await h.db()('auth_tokens').select('*'))).not.toContain(token);
      expect(JSON.parse(crm('bob', ['whoami', '--json']).stdout)).toMatchObject({ user: 'bob', by: 'session' });
      const login = await h.db()('audit_log').where({ action: 'auth.login', user_name: 'bob' }).first();
      expect(login).toBeDefined();
    });

    it('refuses --user admin and --as admin from a signed-in non-admin', async () => {
      const before = await auditCount();
      for (const args of [
        ['--user', 'admin', 'users', 'list'],
        ['--as', 'carol', 'customers', 'list'],
      ]) {
        const r = crm('bob', args);
        expect(r.code).toBe(4);
        expect(errorCode(r)).toBe('E1601');
      }
      expect(await auditCount()).toBe(before);
    });

    it("refuses a session file copied to another account's config, and one others can read", () => {
      const from = path.join(homeOf('bob'), '.config', 'crm', 'session.json');
      const to = path.join(homeOf('eve'), '.config', 'crm', 'session.json');
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
      fs.chmodSync(to, 0o600);
      const copied = crm('eve', ['whoami']);
      expect(copied.code).toBe(4);
      expect(errorCode(copied)).toBe('E1607');
      fs.chmodSync(to, 0o644);
      const open = crm('eve', ['whoami']);
      expect(open.code).toBe(4);
      expect(errorCode(open)).toBe('E1612');
    });

    it('ends a session after auth.sessionHours and after auth.idleMinutes', () => {
      expect(crm('bob', ['whoami'], { CRM_NOW: '2026-11-23T11:50:00+08:00' }).code).toBe(0); // 110 min idle
      const idle = crm('bob', ['whoami'], { CRM_NOW: '2026-11-23T14:00:00+08:00' }); // 130 min idle > 120
      expect(idle.code).toBe(4);
      expect(errorCode(idle)).toBe('E1605');
      crm('bob', ['login', '--user', 'bob', '--password-stdin'], {}, 'Long enough 1\n');
      let at = new Date('2026-11-23T10:00:00+08:00').getTime();
      // Used every 100 minutes, the session still ends 12 hours after sign-in.
      for (let i = 0; i < 7; i++) {
        at += 100 * 60_000;
        expect(crm('bob', ['whoami'], { CRM_NOW: new Date(at).toISOString() }).code).toBe(0);
      }
      const expired = crm('bob', ['whoami'], { CRM_NOW: new Date(at + 100 * 60_000).toISOString() });
      expect(expired.code).toBe(4);
      expect(errorCode(expired)).toBe('E1605');
    });

    it('locks the account after auth.maxFailures wrong passwords; 10 tries never get in', async () => {
      const codes: string[] = [];
      for (let i = 0; i < 10; i++) {
        const r = crm('mallory', ['login', '--user', 'carol', '--password-stdin'], {}, `guess ${i} wrong!\n`);
        expect(r.code).toBe(4);
        codes.push(errorCode(r) ?? '');
      }
      expect(codes).toEqual(['E1603', 'E1603', 'E1603', 'E1603', 'E1604', 'E1604', 'E1604', 'E1604', 'E1604', 'E1604']);
      const right = crm('carol', ['login', '--user', 'carol', '--password-stdin'], {}, 'In charge of all\n');
      expect(right.code).toBe(4);
      expect(errorCode(right)).toBe('E1604');
      const actions = (await h.db()('audit_log').where({ user_name: 'carol' }).where('action', 'like', 'auth.%')).map(
        (r: { action: string }) => r.action,
      );
      expect(actions.filter((a: string) => a === 'auth.login-failed')).toHaveLength(4);
      expect(actions.filter((a: string) => a === 'auth.locked')).toHaveLength(1);
      expect(actions.filter((a: string) => a === 'auth.login-refused')).toHaveLength(6);
      // After auth.lockMinutes (15) the right password works again.
      const later = crm(
        'carol',
        ['login', '--user', 'carol', '--password-stdin'],
        { CRM_NOW: '2026-11-23T10:16:00+08:00' },
        'In charge of all\n',
      );
      expect(later.code).toBe(0);
    });

    it('takes a password with shell metacharacters from stdin and never writes it anywhere', async () => {
      const pw = `p'a"s$s; rm -rf ~ \`id\` $(whoami) | && > x \\ %s`;
      const set = crm(
        'carol',
        ['users', 'passwd', '--password-stdin'],
        { CRM_NOW: '2026-11-23T10:16:00+08:00' },
        `${pw}\n`,
      );
      expect(set.code).toBe(0);
      const r = crm(
        'carol',
        ['login', '--user', 'carol', '--password-stdin'],
        { CRM_NOW: '2026-11-23T10:17:00+08:00' },
        `${pw}\r\n`,
      );
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr + set.stdout + set.stderr).not.toContain(pw);
      const everything = JSON.stringify(await h.db()('audit_log').select('*'));
      for (const secret of [pw, 'Long enough 1', 'In charge of all', 'guess 3 wrong!'])
        expect(everything).not.toContain(secret);
      expect(fs.existsSync(path.join(ROOT, 'x'))).toBe(false);
    });

    it("an admin reset forces a change at the next sign-in, and ends the user's sessions", async () => {
      const at = { CRM_NOW: '2026-11-23T10:20:00+08:00' };
      const reset = crm('carol', ['users', 'passwd', 'bob', '--password-stdin'], at, 'Temporary pass 9\n');
      expect(reset.code).toBe(0);
      expect(errorCode(crm('bob', ['whoami'], at))).toBe('E1605');
      expect(crm('bob', ['login', '--user', 'bob', '--password-stdin'], at, 'Temporary pass 9\n').code).toBe(0);
      const blocked = crm('bob', ['customers', 'list'], at);
      expect(blocked.code).toBe(4);
      expect(errorCode(blocked)).toBe('E1608');
      const weak = crm('bob', ['users', 'passwd', '--password-stdin'], at, 'bob12345678\n');
      expect(weak.code).toBe(2);
      expect(errorCode(weak)).toBe('E1609');
      expect(crm('bob', ['users', 'passwd', '--password-stdin'], at, 'A new one of mine\n').code).toBe(0);
      expect(crm('bob', ['customers', 'list'], at).code).toBe(0);
      const actions = await h
        .db()('audit_log')
        .whereIn('action', ['users.reset-password', 'users.passwd'])
        .select('action', 'user_name', 'entity_id');
      expect(actions).toContainEqual({ action: 'users.reset-password', user_name: 'carol', entity_id: 'bob' });
      expect(actions).toContainEqual({ action: 'users.passwd', user_name: 'bob', entity_id: 'bob' });
    });

    it('an admin acts as another user with --as; both names are audited', async () => {
      const at = { CRM_NOW: '2026-11-23T10:21:00+08:00' };
      const r = crm('carol', ['--as', 'bob', 'customers', 'add', '--code', 'B1', '--name', '乙单位'], at);
      expect(r.code).toBe(0);
      const row = await h.db()('audit_log').where({ action: 'customers.add', entity_id: 'B1' }).first();
      expect(row).toMatchObject({ user_name: 'bob', via_user: 'carol' });
    });

    it('logout ends the session', () => {
      const at = { CRM_NOW: '2026-11-23T10:22:00+08:00' };
      expect(crm('carol', ['logout'], at).code).toBe(0);
      expect(fs.existsSync(path.join(homeOf('carol'), '.config', 'crm', 'session.json'))).toBe(false);
      expect(errorCode(crm('carol', ['whoami'], at))).toBe('E1602');
    });

    it("scheduler tokens: from CRM_TOKEN or the config's tokenFile, never argv; listed without secrets; revocable", async () => {
      const at = { CRM_NOW: '2026-11-23T10:23:00+08:00' };
      crm(
        'carol',
        ['login', '--user', 'carol', '--password-stdin'],
        at,
        `p'a"s$s; rm -rf ~ \`id\` $(whoami) | && > x \\ %s\n`,
      );
      const created = crm('carol', ['users', 'token', 'create', 'bob', '--note', 'cron on host-a', '--json'], at);
      expect(created.code).toBe(0);
      const { id, token } = JSON.parse(created.stdout);
      expect(token).toMatch(/^crmt_[\w-]{43}$/);
      const list = crm('carol', ['users', 'token', 'list', '--json'], at);
      expect(list.stdout).not.toContain(token);
      expect(JSON.parse(list.stdout)).toContainEqual(
        expect.objectContaining({ id, user: 'bob', note: 'cron on host-a' }),
      );
      const viaEnv = crm('cron', ['whoami', '--json'], { ...at, CRM_TOKEN: token });
      expect(JSON.parse(viaEnv.stdout)).toMatchObject({ user: 'bob', by: 'token' });
      const dir = path.join(homeOf('cron2'), '.config', 'crm');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'token'), `${token}\n`, { mode: 0o600 });
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ tokenFile: 'token' }));
      expect(JSON.parse(crm('cron2', ['whoami', '--json'], at).stdout)).toMatchObject({ user: 'bob', by: 'token' });
      const argv = crm('cron', ['--token', token, 'whoami'], at);
      expect(argv.code).toBe(2);
      expect(argv.stderr).not.toContain(token);
      expect(crm('carol', ['users', 'token', 'revoke', String(id)], at).code).toBe(0);
      const revoked = crm('cron', ['whoami'], { ...at, CRM_TOKEN: token });
      expect(revoked.code).toBe(4);
      expect(errorCode(revoked)).toBe('E1606');
      expect(JSON.stringify(await h.db()('audit_log').select('*'))).not.toContain(token);
    });

    it('the audit chain is intact after all of it', () => {
      const r = crm('carol', ['audit', 'verify', '--json'], { CRM_NOW: '2026-11-23T10:24:00+08:00' });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
    });
  });
});
