import type { Command } from 'commander';
import { act, group, intOption, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderRows } from '../../cli/output.js';
import { readPassword } from '../../cli/secret-input.js';
import type { TokenRecord } from '../../services/auth/index.js';

// Services load when a verb runs (startup time).
const loadAuth = () => import('../../services/auth/index.js');

// ---- crm users passwd [NAME] ----

export interface PasswdOptions {
  name?: string;
  passwordStdin: boolean;
}

export function parsePasswdOptions(args: string[], raw: RawOptions): PasswdOptions {
  return { name: args[0], passwordStdin: Boolean(raw.passwordStdin) };
}

export async function runPasswd(ctx: CliContext, opts: PasswdOptions): Promise<void> {
  const { setPassword } = await loadAuth();
  const svc = await ctx.services();
  const name = opts.name ?? svc.actor.name;
  const password = await readPassword(ctx, {
    fromStdin: opts.passwordStdin,
    prompt: m(`${name} 的新密码`, `new password for ${name}`),
    confirm: true,
  });
  const r = await setPassword(svc, name, password);
  if (ctx.json) return printJson(ctx, r);
  ctx.out(
    r.reset
      ? ctx.t(
          m(
            '已重置 {user} 的密码：其会话已结束，下次登录须修改密码',
            "reset {user}'s password: their sessions ended; they must change it at the next sign-in",
          ),
          { user: r.user },
        )
      : ctx.t(m('已修改 {user} 的密码', 'password changed for {user}'), { user: r.user }),
  );
}

export function registerPasswd(users: Command, ctx: CliContext, run: RunVerb<PasswdOptions> = runPasswd) {
  return verb(
    users,
    ctx,
    'passwd [name]',
    m(
      '修改自己的密码；管理员给出用户名则重置其密码（下次登录须修改）',
      'change your password; an admin naming a user resets theirs (to be changed at their next sign-in)',
    ),
    ['crm users passwd', 'crm users passwd bob', 'printf "%s\\n" "$NEW_PW" | crm users passwd --password-stdin'],
  )
    .option('--password-stdin', ctx.t(m('从标准输入读取新密码（一行）', 'read the new password from stdin (one line)')))
    .action(act(ctx, parsePasswdOptions, run));
}

// ---- crm users token create|list|revoke ----

export interface TokenCreateOptions {
  name: string;
  note: string;
}

export function parseTokenCreateOptions(args: string[], raw: RawOptions): TokenCreateOptions {
  return { name: args[0]!, note: stringOption(raw, 'note') ?? '' };
}

export async function runTokenCreate(ctx: CliContext, opts: TokenCreateOptions): Promise<void> {
  const { createToken } = await loadAuth();
  const r = await createToken(await ctx.services(), opts.name, opts.note);
  if (ctx.json) return printJson(ctx, r);
  ctx.out(r.token);
  ctx.note(
    m(
      '令牌 {id}（用户 {user}）只显示这一次：放进 CRM_TOKEN 或配置中 tokenFile 指向的文件（权限 600）',
      "token {id} (user {user}) is shown only this once: put it in CRM_TOKEN or the file the config's tokenFile names (mode 600)",
    ),
    { id: r.id, user: r.user },
  );
}

export interface TokenRevokeOptions {
  id: number;
}

export async function runTokenList(ctx: CliContext): Promise<void> {
  const { listTokens } = await loadAuth();
  renderRows<TokenRecord>(
    ctx,
    [
      { key: 'id', label: m('编号', 'id'), align: 'right' },
      { key: 'user', label: m('用户', 'user') },
      { key: 'note', label: m('备注', 'note') },
      { key: 'createdAt', label: m('创建时间', 'created'), time: true },
      { key: 'createdBy', label: m('创建人', 'created by') },
      { key: 'lastUsedAt', label: m('最近使用', 'last used'), time: true },
      { key: 'revokedAt', label: m('撤销时间', 'revoked'), time: true },
    ],
    await listTokens(await ctx.services()),
  );
}

export async function runTokenRevoke(ctx: CliContext, opts: TokenRevokeOptions): Promise<void> {
  const { revokeToken } = await loadAuth();
  const t = await revokeToken(await ctx.services(), opts.id);
  if (ctx.json) return printJson(ctx, t);
  ctx.out(ctx.t(m('已撤销令牌 {id}（用户 {user}）', 'revoked token {id} (user {user})'), { id: t.id, user: t.user }));
}

export function registerTokens(users: Command, ctx: CliContext): void {
  const token = group(
    users,
    ctx,
    'token',
    m('定时作业与脚本用的长期令牌（仅管理员）', 'long-lived tokens for the scheduler and scripts (admins only)'),
    ['crm users token create ops --note "cron on host-a"', 'crm users token list', 'crm users token revoke 3'],
  );
  verb(token, ctx, 'create <name>', m('为用户签发令牌（只显示一次）', 'issue a token for a user (shown once)'))
    .requiredOption(
      '--note <text>',
      ctx.t(m('用途说明，如 "host-a 上的 cron"', 'what it is for, e.g. "cron on host-a"')),
    )
    .action(act(ctx, parseTokenCreateOptions, runTokenCreate));
  verb(
    token,
    ctx,
    'list',
    m('列出令牌（编号与备注，不含密钥）', 'list tokens (ids and notes, never the secrets)'),
  ).action(act(ctx, () => ({}), runTokenList));
  verb(token, ctx, 'revoke <id>', m('撤销令牌', 'revoke a token')).action(
    act(ctx, (args) => ({ id: intOption(args[0]!) }), runTokenRevoke),
  );
}
