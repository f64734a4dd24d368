import type { Knex } from 'knex';
import type { AuthMode } from '../../config/settings/auth.js';
import type { Clock } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { type Actor, requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import type { SettingsService } from '../settings.js';
import { resolveActor } from '../users.js';
import { checkPasswordPolicy, hashPassword, hashSecret, needsRehash, newSecret, verifyPassword } from './secrets.js';

/** What identity needs before anyone is known: the database, the clock and the settings. */
export type AuthContext = Pick<ServiceContext, 'db' | 'clock' | 'settings'>;

/** What the command line knows about who is asking (read by src/cli, never by services). */
export interface IdentityRequest {
  /** The operating-system account running crm. */
  osAccount: string;
  /** Someone to act as: `--as`, `--user` or CRM_USER. */
  requested?: string;
  /** A scheduler token (CRM_TOKEN, or the file named by `tokenFile` in the config). */
  token?: string;
  /** The session in the session file, and that file's path. */
  session?: { token: string; file: string };
  /** The verb may run while a password change is pending (`users passwd`, `logout`, `whoami`). */
  allowPendingChange?: boolean;
}

export interface Identity {
  actor: Actor;
  mode: AuthMode;
  /** How the person proved who they are. */
  by: 'os' | 'session' | 'token';
  sessionExpiresAt?: string;
  mustChangePassword: boolean;
}

type UserRow = {
  id: number;
  name: string;
  role: string;
  status: string;
  password_hash: string | null;
  must_change_password: number | boolean;
  failed_logins: number;
  locked_until: string | null;
};
type TokenRow = {
  id: number;
  kind: string;
  user_id: number;
  os_account: string | null;
  bound_to: string | null;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
};

const denied = (code: string, zh: string, en: string, hint: { zh: string; en: string }) =>
  new CrmError(code, { zh, en }, ExitCode.permission, hint);

const LOGIN_HINT = { zh: '运行 "crm login" 登录', en: 'sign in with "crm login"' };

export async function authMode(settings: SettingsService): Promise<AuthMode> {
  return settings.get<AuthMode>('auth.mode');
}

/**
 * Who runs this command. `os` mode: the OS account is the crm user of that name; `password` mode: the signed-in
 * session. Either way a scheduler token (CRM_TOKEN) names its user. Acting as someone else (`requested`) is for
 * admins only (an admin user, or in `os` mode an account in `auth.osAdmins`) and is recorded in `via`.
 */
export async function resolveIdentity(ctx: AuthContext, req: IdentityRequest): Promise<Identity> {
  const mode = await authMode(ctx.settings);
  let base: Actor;
  let by: Identity['by'];
  let sessionExpiresAt: string | undefined;
  let mayActAsAnyone = false;
  if (req.token) {
    base = await actorForToken(ctx, req.token, 'api');
    by = 'token';
  } else if (mode === 'password') {
    if (!req.session) {
      throw denied('E1602', '尚未登录', 'you are not signed in', {
        zh: '运行 "crm login"（脚本与定时作业用 CRM_TOKEN，见 "crm users token create"）',
        en: 'run "crm login" (scripts and the scheduler use CRM_TOKEN: see "crm users token create")',
      });
    }
    const found = await sessionFor(ctx, req.session, req.osAccount);
    base = found.actor;
    sessionExpiresAt = found.expiresAt;
    by = 'session';
  } else {
    const osAdmins = await ctx.settings.get<string[]>('auth.osAdmins');
    mayActAsAnyone = osAdmins.includes(req.osAccount);
    if (req.requested && req.requested !== req.osAccount && mayActAsAnyone) {
      const actor = await resolveActor(ctx.db, req.requested);
      return { actor: { ...actor, via: `os:${req.osAccount}` }, mode, by: 'os', mustChangePassword: false };
    }
    if (
      req.requested &&
      req.requested !== req.osAccount &&
      !(await ctx.db('users').where({ name: req.osAccount }).first('id'))
    ) {
      throw denied(
        'E1601',
        `操作系统账户 ${req.osAccount} 不能以 ${req.requested} 的身份执行（它不在 auth.osAdmins 中，也不是管理员）`,
        `the OS account ${req.osAccount} may not act as ${req.requested} (it is not in auth.osAdmins nor an admin)`,
        {
          zh: '去掉 --user / --as 并取消 CRM_USER；或请管理员把该账户加入 auth.osAdmins',
          en: 'drop --user / --as and unset CRM_USER, or have an admin add the account to auth.osAdmins',
        },
      );
    }
    base = await resolveActor(ctx.db, req.osAccount);
    by = 'os';
  }
  const row: UserRow = await ctx.db('users').where({ id: base.id }).first();
  const mustChangePassword = Boolean(row.must_change_password) && mode === 'password' && by === 'session';
  if (mustChangePassword && !req.allowPendingChange) {
    throw denied('E1608', `用户 ${base.name} 须先修改密码`, `${base.name} must change their password first`, {
      zh: '运行 "crm users passwd"',
      en: 'run "crm users passwd"',
    });
  }
  if (req.requested && req.requested !== base.name) {
    if (base.role !== 'admin') {
      throw denied(
        'E1601',
        `只有管理员可以代其他用户操作：${base.name} 不能以 ${req.requested} 的身份执行`,
        `only an admin may act as another user: ${base.name} may not act as ${req.requested}`,
        {
          zh: '去掉 --user / --as 并取消 CRM_USER；以本人身份执行，或请管理员代办',
          en: 'drop --user / --as and unset CRM_USER to act as yourself, or ask an admin',
        },
      );
    }
    const actor = await resolveActor(ctx.db, req.requested);
    return { actor: { ...actor, via: base.name }, mode, by, sessionExpiresAt, mustChangePassword };
  }
  return { actor: base, mode, by, sessionExpiresAt, mustChangePassword };
}

async function actorForToken(ctx: AuthContext, secret: string, kind: 'api' | 'session'): Promise<Actor> {
  const row: TokenRow | undefined = await ctx
    .db('auth_tokens')
    .where({ token_hash: hashSecret(secret), kind })
    .first();
  if (!row || row.revoked_at) {
    throw denied('E1606', '令牌无效或已撤销', 'the token is unknown or revoked', {
      zh: '请管理员用 "crm users token create" 发一个新令牌，放进 CRM_TOKEN 或配置中的 tokenFile',
      en: 'have an admin issue a new one with "crm users token create" and put it in CRM_TOKEN or the config\'s tokenFile',
    });
  }
  const user = await ctx.db('users').where({ id: row.user_id }).first('name');
  await ctx
    .db('auth_tokens')
    .where({ id: row.id })
    .update({ last_used_at: nowIso(ctx.clock) });
  return resolveActor(ctx.db, String(user?.name));
}

async function sessionFor(
  ctx: AuthContext,
  session: { token: string; file: string },
  osAccount: string,
): Promise<{ actor: Actor; expiresAt: string }> {
  const row: TokenRow | undefined = await ctx
    .db('auth_tokens')
    .where({ token_hash: hashSecret(session.token), kind: 'session' })
    .first();
  if (!row || row.revoked_at) {
    throw denied(
      'E1605',
      '登录会话已结束（已注销或无效）',
      'the session has ended (signed out or unknown)',
      LOGIN_HINT,
    );
  }
  if (row.os_account !== osAccount || row.bound_to !== session.file) {
    throw denied(
      'E1607',
      `会话文件 ${session.file} 不是为此账户签发的`,
      `the session file ${session.file} was not issued to this account`,
      {
        zh: '会话不能复制给他人；请用自己的账户运行 "crm login"',
        en: 'sessions cannot be copied; run "crm login" as yourself',
      },
    );
  }
  const now = ctx.clock.now();
  const idleMinutes = await ctx.settings.get<number>('auth.idleMinutes');
  const lastUsed = new Date(String(row.last_used_at));
  if (
    (row.expires_at && new Date(row.expires_at) <= now) ||
    now.getTime() - lastUsed.getTime() > idleMinutes * 60_000
  ) {
    throw denied('E1605', '登录会话已过期', 'the session has expired', LOGIN_HINT);
  }
  const user = await ctx.db('users').where({ id: row.user_id }).first('name');
  const actor = await resolveActor(ctx.db, String(user?.name));
  await ctx.db('auth_tokens').where({ id: row.id }).update({ last_used_at: now.toISOString() });
  return { actor, expiresAt: String(row.expires_at) };
}

export interface LoginInput {
  name: string;
  password: string;
  osAccount: string;
  /** The session file the token will be written to (a copy elsewhere is refused). */
  sessionFile: string;
}

export interface LoginResult {
  user: string;
  token: string;
  expiresAt: string;
  mustChangePassword: boolean;
}

/**
 * Check a password and open a session. Every attempt is audited (never the password); `auth.maxFailures` wrong
 * passwords in a row lock the account for `auth.lockMinutes`. The same answer for an unknown user and a wrong
 * password, so sign-in does not reveal who exists.
 */
export async function login(ctx: AuthContext, input: LoginInput): Promise<LoginResult> {
  if ((await authMode(ctx.settings)) !== 'password') {
    throw new CrmError(
      'E1614',
      { zh: '此数据库不用密码登录（auth.mode = os）', en: 'this database does not use passwords (auth.mode = os)' },
      ExitCode.usage,
      {
        zh: '身份即操作系统账户，无需登录；管理员可用 "crm config set auth.mode password" 改为密码登录',
        en: 'your OS account is your identity; an admin can switch with "crm config set auth.mode password"',
      },
    );
  }
  const now = ctx.clock.now();
  const row: UserRow | undefined = await ctx.db('users').where({ name: input.name }).first();
  const who: Actor = row
    ? { id: row.id, name: row.name, role: row.role as Actor['role'], supervisorId: null }
    : { id: 0, name: input.name.slice(0, 64), role: 'sales', supervisorId: null };
  const record = (action: string, after: Record<string, unknown>) =>
    ctx.db.transaction((trx) =>
      audit({ db: trx, clock: ctx.clock, actor: who }, { action, entity: 'user', entityId: who.name, after }),
    );
  if (row?.locked_until && new Date(row.locked_until) > now) {
    await record('auth.login-refused', { reason: 'locked', lockedUntil: row.locked_until, os: input.osAccount });
    throw lockedError(row.name, row.locked_until);
  }
  const ok = await verifyPassword(input.password, row?.password_hash);
  if (!ok || !row || row.status !== 'active') {
    if (row) {
      const maxFailures = await ctx.settings.get<number>('auth.maxFailures');
      const failures = Number(row.failed_logins) + 1;
      const lock = failures >= maxFailures;
      const lockedUntil = lock
        ? new Date(now.getTime() + (await ctx.settings.get<number>('auth.lockMinutes')) * 60_000).toISOString()
        : null;
      await ctx.db.transaction(async (trx) => {
        await trx('users')
          .where({ id: row.id })
          .update({ failed_logins: lock ? 0 : failures, locked_until: lockedUntil ?? row.locked_until });
        await audit(
          { db: trx, clock: ctx.clock, actor: who },
          {
            action: lock ? 'auth.locked' : 'auth.login-failed',
            entity: 'user',
            entityId: who.name,
            after: {
              failures,
              lockedUntil,
              os: input.osAccount,
              ...(row.status !== 'active' ? { disabled: true } : {}),
            },
          },
        );
      });
      if (lock) throw lockedError(row.name, lockedUntil!);
    } else {
      await record('auth.login-failed', { unknownUser: true, os: input.osAccount });
    }
    throw denied('E1603', '用户名或密码错误', 'wrong user name or password', {
      zh: `连续 ${await ctx.settings.get<number>('auth.maxFailures')} 次错误将锁定账户；忘记密码请找管理员重置（crm users passwd 用户名）`,
      en: `${await ctx.settings.get<number>('auth.maxFailures')} wrong passwords in a row lock the account; if you forgot it, ask an admin to reset it (crm users passwd NAME)`,
    });
  }
  const token = newSecret('crms');
  const hours = await ctx.settings.get<number>('auth.sessionHours');
  const expiresAt = new Date(now.getTime() + hours * 3_600_000).toISOString();
  const rehash = needsRehash(row.password_hash!) ? await hashPassword(input.password) : null;
  await ctx.db.transaction(async (trx) => {
    await trx('users')
      .where({ id: row.id })
      .update({ failed_logins: 0, locked_until: null, ...(rehash ? { password_hash: rehash } : {}) });
    await trx('auth_tokens').insert({
      kind: 'session',
      user_id: row.id,
      token_hash: hashSecret(token),
      os_account: input.osAccount,
      bound_to: input.sessionFile,
      created_at: now.toISOString(),
      created_by: row.id,
      expires_at: expiresAt,
      last_used_at: now.toISOString(),
    });
    await audit(
      { db: trx, clock: ctx.clock, actor: who },
      { action: 'auth.login', entity: 'user', entityId: row.name, after: { os: input.osAccount, expiresAt } },
    );
  });
  return { user: row.name, token, expiresAt, mustChangePassword: Boolean(row.must_change_password) };
}

function lockedError(name: string, until: string): CrmError {
  return denied('E1604', `账户 ${name} 已锁定，至 ${until}`, `the account ${name} is locked until ${until}`, {
    zh: '密码错误次数过多；到时再试，或请管理员重置密码（crm users passwd 用户名）',
    en: 'too many wrong passwords; try again then, or ask an admin to reset it (crm users passwd NAME)',
  });
}

/** End a session (the token in the session file). Audited; an unknown token is no error (already signed out). */
export async function logout(ctx: AuthContext, sessionToken: string): Promise<string | null> {
  const row: TokenRow | undefined = await ctx
    .db('auth_tokens')
    .where({ token_hash: hashSecret(sessionToken), kind: 'session' })
    .first();
  if (!row || row.revoked_at) return null;
  const user = await ctx.db('users').where({ id: row.user_id }).first('name', 'role');
  const actor: Actor = { id: row.user_id, name: String(user.name), role: user.role, supervisorId: null };
  await ctx.db.transaction(async (trx) => {
    await trx('auth_tokens')
      .where({ id: row.id })
      .update({ revoked_at: nowIso(ctx.clock) });
    await audit({ db: trx, clock: ctx.clock, actor }, { action: 'auth.logout', entity: 'user', entityId: actor.name });
  });
  return actor.name;
}

/**
 * Set a password. Your own: the new one, and a pending forced change is done. Someone else's (an admin): a reset,
 * which clears a lockout, ends their sessions and makes them choose a new one at their next sign-in.
 */
export async function setPassword(
  ctx: ServiceContext,
  name: string,
  password: string,
): Promise<{ user: string; reset: boolean }> {
  const reset = name !== ctx.actor.name || Boolean(ctx.actor.via);
  if (reset) requireCapability(ctx.actor, 'users.manage', { zh: '重置他人密码', en: "reset another user's password" });
  const min = await ctx.settings.get<number>('auth.minPasswordLength');
  checkPasswordPolicy(name, password, min);
  const hash = await hashPassword(password);
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db('users').where({ name }).first('id');
    if (!row) {
      throw new CrmError('E1401', { zh: `用户不存在：${name}`, en: `no such user: ${name}` }, ExitCode.usage, {
        zh: '用 "crm users list" 查看用户',
        en: 'see "crm users list"',
      });
    }
    const now = nowIso(tx.clock);
    await tx.db('users').where({ id: row.id }).update({
      password_hash: hash,
      password_changed_at: now,
      must_change_password: reset,
      failed_logins: 0,
      locked_until: null,
      updated_at: now,
    });
    if (reset) {
      await tx
        .db('auth_tokens')
        .where({ user_id: row.id, kind: 'session' })
        .whereNull('revoked_at')
        .update({ revoked_at: now });
    }
    await audit(tx, {
      action: reset ? 'users.reset-password' : 'users.passwd',
      entity: 'user',
      entityId: name,
      after: { mustChangePassword: reset },
    });
    return { user: name, reset };
  });
}

export interface TokenRecord {
  id: number;
  user: string;
  note: string | null;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A long-lived token for the scheduler and scripts (admins only). The secret is returned once, stored hashed. */
export async function createToken(
  ctx: ServiceContext,
  name: string,
  note: string,
): Promise<{ id: number; user: string; token: string }> {
  requireCapability(ctx.actor, 'users.manage', { zh: '签发令牌', en: 'issue tokens' });
  const user = await resolveActor(ctx.db, name);
  const token = newSecret('crmt');
  return inTransaction(ctx, async (tx) => {
    const [id] = await tx.db('auth_tokens').insert({
      kind: 'api',
      user_id: user.id,
      token_hash: hashSecret(token),
      note: note.slice(0, 200),
      created_at: nowIso(tx.clock),
      created_by: tx.actor.id > 0 ? tx.actor.id : null,
    });
    await audit(tx, { action: 'users.token-create', entity: 'token', entityId: id, after: { user: name, note } });
    return { id: Number(id), user: name, token };
  });
}

export async function listTokens(ctx: ServiceContext): Promise<TokenRecord[]> {
  requireCapability(ctx.actor, 'users.manage', { zh: '查看令牌', en: 'list tokens' });
  const rows = await ctx
    .db('auth_tokens as t')
    .join('users as u', 'u.id', 't.user_id')
    .leftJoin('users as c', 'c.id', 't.created_by')
    .where('t.kind', 'api')
    .orderBy('t.id')
    .select(
      't.id',
      'u.name as user',
      't.note',
      't.created_at',
      'c.name as created_by',
      't.last_used_at',
      't.revoked_at',
    );
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    user: String(r.user),
    note: (r.note as string | null) ?? null,
    createdAt: String(r.created_at),
    createdBy: (r.created_by as string | null) ?? null,
    lastUsedAt: (r.last_used_at as string | null) ?? null,
    revokedAt: (r.revoked_at as string | null) ?? null,
  }));
}

export async function revokeToken(ctx: ServiceContext, id: number): Promise<TokenRecord> {
  requireCapability(ctx.actor, 'users.manage', { zh: '撤销令牌', en: 'revoke tokens' });
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db('auth_tokens').where({ id, kind: 'api' }).first('id', 'revoked_at');
    if (!row) {
      throw new CrmError('E1613', { zh: `没有编号为 ${id} 的令牌`, en: `no token with id ${id}` }, ExitCode.usage, {
        zh: '用 "crm users token list" 查看令牌编号',
        en: 'see "crm users token list" for the ids',
      });
    }
    if (!row.revoked_at) {
      await tx
        .db('auth_tokens')
        .where({ id })
        .update({ revoked_at: nowIso(tx.clock) });
      await audit(tx, { action: 'users.token-revoke', entity: 'token', entityId: id });
    }
    return (await listTokens(tx)).find((t) => t.id === id)!;
  });
}

/** Used by `crm init --auth password`: the first admin's password, before anyone can sign in. */
export async function setInitialPassword(db: Knex, clock: Clock, name: string, password: string, minLength: number) {
  checkPasswordPolicy(name, password, minLength);
  const now = clock.now().toISOString();
  await db('users')
    .where({ name })
    .update({ password_hash: await hashPassword(password), password_changed_at: now, updated_at: now });
}
