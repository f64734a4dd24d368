import fs from 'node:fs';
import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderDetails } from '../../cli/output.js';
import { readPassword } from '../../cli/secret-input.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { SettingsService } from '../../services/settings.js';
import { viaText } from '../audit/index.js';

// Services load when a verb runs (startup time).
const loadAuth = () => import('../../services/auth/index.js');

// ---- crm login ----

export interface LoginOptions {
  user?: string;
  passwordStdin: boolean;
}

export function parseLoginOptions(_args: string[], raw: RawOptions): LoginOptions {
  return { user: stringOption(raw, 'user'), passwordStdin: Boolean(raw.passwordStdin) };
}

export async function runLogin(ctx: CliContext, opts: LoginOptions): Promise<void> {
  const { login } = await loadAuth();
  const db = await ctx.readyDb();
  const settings = SettingsService.create(db);
  const clock = ctx.clock(await settings.get<string>('timezone'));
  const name = opts.user ?? ctx.osAccount();
  const password = await readPassword(ctx, {
    fromStdin: opts.passwordStdin,
    prompt: m(`${name} 的密码`, `password for ${name}`),
  });
  const file = ctx.sessionFile;
  const r = await login({ db, clock, settings }, { name, password, osAccount: ctx.osAccount(), sessionFile: file });
  // 0600: the session is a key to the account until it expires.
  writeFileAtomic(file, `${JSON.stringify({ user: r.user, token: r.token, expiresAt: r.expiresAt }, null, 2)}\n`, {
    mode: 0o600,
    createDir: true,
  });
  fs.chmodSync(file, 0o600);
  if (ctx.json)
    return printJson(ctx, { user: r.user, expiresAt: r.expiresAt, mustChangePassword: r.mustChangePassword });
  ctx.out(
    ctx.t(m('已登录：{user}（至 {until}）', 'signed in as {user} (until {until})'), {
      user: r.user,
      until: ctx.localTime(r.expiresAt),
    }),
  );
  if (r.mustChangePassword)
    ctx.note(
      m(
        '管理员重置了你的密码：请先运行 "crm users passwd"',
        'an admin reset your password: run "crm users passwd" first',
      ),
    );
}

export function registerLogin(program: Command, ctx: CliContext, run: RunVerb<LoginOptions> = runLogin) {
  return verb(
    program,
    ctx,
    'login',
    m('用密码登录（auth.mode = password）', 'sign in with a password (auth.mode = password)'),
    ['crm login', 'crm login --user alice', 'printf "%s\\n" "$PW" | crm login --user alice --password-stdin'],
  )
    .option('--password-stdin', ctx.t(m('从标准输入读取密码（一行）', 'read the password from stdin (one line)')))
    .action(act(ctx, parseLoginOptions, run));
}

// ---- crm logout ----

export async function runLogout(ctx: CliContext): Promise<void> {
  const session = ctx.readSession();
  let user: string | null = null;
  if (session) {
    const { logout } = await loadAuth();
    const db = await ctx.readyDb();
    const settings = SettingsService.create(db);
    user = await logout({ db, clock: ctx.clock(await settings.get<string>('timezone')), settings }, session.token);
    fs.rmSync(session.file, { force: true });
  }
  if (ctx.json) return printJson(ctx, { signedOut: user });
  ctx.out(
    user ? ctx.t(m('已注销：{user}', 'signed out: {user}'), { user }) : ctx.t(m('没有登录会话', 'no session to end')),
  );
}

export function registerLogout(program: Command, ctx: CliContext, run: RunVerb<Record<string, never>> = runLogout) {
  return verb(
    program,
    ctx,
    'logout',
    m('注销：结束会话并删除会话文件', 'sign out: end the session and delete its file'),
    ['crm logout'],
  ).action(act(ctx, () => ({}), run));
}

// ---- crm whoami ----

export async function runWhoami(ctx: CliContext): Promise<void> {
  const svc = await ctx.services();
  const id = ctx.identity!;
  const value = {
    user: svc.actor.name,
    role: svc.actor.role,
    via: svc.actor.via ?? null,
    mode: id.mode,
    by: id.by,
    osAccount: ctx.osAccount(),
    sessionExpiresAt: id.sessionExpiresAt ?? null,
    mustChangePassword: id.mustChangePassword,
  };
  const BY = { os: m('操作系统账户', 'OS account'), session: m('登录会话', 'session'), token: m('令牌', 'token') };
  renderDetails(
    ctx,
    [
      [m('用户', 'user'), value.user],
      [m('角色', 'role'), value.role],
      [m('代办人', 'acting through'), value.via ? viaText(ctx, value.via) : null],
      [m('登录方式', 'sign-in mode'), value.mode],
      [m('身份来自', 'identified by'), ctx.t(BY[value.by])],
      [m('操作系统账户', 'OS account'), value.osAccount],
      [m('会话到期', 'session ends'), value.sessionExpiresAt ? ctx.localTime(value.sessionExpiresAt) : null],
      [m('须修改密码', 'must change password'), value.mustChangePassword ? ctx.t(m('是', 'yes')) : null],
    ],
    value,
  );
}

export function registerWhoami(program: Command, ctx: CliContext, run: RunVerb<Record<string, never>> = runWhoami) {
  return verb(program, ctx, 'whoami', m('显示当前身份', 'show who you are acting as'), [
    'crm whoami',
    'crm whoami --json',
  ]).action(act(ctx, () => ({}), run));
}

export function registerAuth(program: Command, ctx: CliContext): void {
  registerLogin(program, ctx);
  registerLogout(program, ctx);
  registerWhoami(program, ctx);
}
