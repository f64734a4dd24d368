import type { Command } from 'commander';
import { act, group, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderDetails, renderRows } from '../../cli/output.js';
import { ROLE_LABELS, ROLES } from '../../domain/roles.js';
import { ROLE, USER_STATUS, wordFor } from '../../domain/vocabulary.js';
import type { DirectoryEntry } from '../../services/office/directory.js';
import type { UserRecord } from '../../services/users.js';
import { registerPasswd, registerTokens } from './auth.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadUsers = () => import('../../services/users.js');

const columns: Column<UserRecord>[] = [
  { key: 'name', label: m('用户', 'user') },
  { key: 'displayName', label: m('姓名', 'display name') },
  { key: 'role', label: m('角色', 'role'), words: ROLE },
  { key: 'supervisor', label: m('上级', 'supervisor') },
  { key: 'status', label: m('状态', 'status'), words: USER_STATUS },
];

const directoryColumns: Column<DirectoryEntry>[] = [
  { key: 'department', label: m('部门', 'department') },
  { key: 'name', label: m('用户', 'user') },
  { key: 'displayName', label: m('姓名', 'name') },
  { key: 'title', label: m('职务', 'title') },
  { key: 'phone', label: m('电话', 'phone') },
  { key: 'mobile', label: m('手机', 'mobile') },
  { key: 'email', label: m('邮箱', 'e-mail') },
];

function printUser(ctx: CliContext, u: UserRecord): void {
  renderDetails(
    ctx,
    [
      [m('用户', 'user'), u.name],
      [m('姓名', 'display name'), u.displayName],
      [m('角色', 'role'), `${u.role} (${ctx.t(ROLE_LABELS[u.role])})`],
      [m('上级', 'supervisor'), u.supervisor],
      [m('状态', 'status'), wordFor(ctx.lang, USER_STATUS, u.status)],
      [m('创建时间', 'created'), u.createdAt],
    ],
    u,
  );
}

export function registerUsers(program: Command, ctx: CliContext): void {
  const users = group(
    program,
    ctx,
    'users',
    m('用户、角色与上下级（数据范围由此决定）', 'users, roles and supervisors (they decide data scope)'),
    ['crm users add bob --role sales --supervisor carol --display-name "Bob Li"', 'crm users list'],
  );

  verb(users, ctx, 'add <name>', m('添加用户（仅管理员）', 'add a user (admins only)'), [
    'crm users add dave --role operator',
  ])
    .requiredOption('--role <role>', `${ctx.t(m('角色', 'role'))}: ${ROLES.join(' | ')}`)
    .option('--supervisor <name>', ctx.t(m('上级用户', 'supervisor')))
    .option('--display-name <text>', ctx.t(m('显示姓名', 'display name')))
    .action(
      act<[string]>(ctx, async (name, opts) => {
        const { addUser } = await loadUsers();
        const svc = await ctx.services();
        const u = await addUser(svc, {
          name,
          role: String(opts.role),
          supervisor: opts.supervisor as string | undefined,
          displayName: opts.displayName as string | undefined,
        });
        if (ctx.json) return printJson(ctx, u);
        ctx.out(ctx.t(m('已添加用户 {name}（{role}）', 'added user {name} ({role})'), { name: u.name, role: u.role }));
      }),
    );

  verb(users, ctx, 'list', m('列出用户', 'list users'), ['crm users list', 'crm users list --directory'])
    .option(
      '--directory',
      ctx.t(m('通讯录：部门、职务、电话、手机、邮箱', 'the staff directory: department, title, phones, e-mail')),
    )
    .action(
      act(ctx, async (opts) => {
        const svc = await ctx.services();
        if (opts.directory) {
          const { listDirectory } = await import('../../services/office/directory.js');
          renderRows(ctx, directoryColumns, await listDirectory(svc));
          return;
        }
        const { listUsers } = await loadUsers();
        renderRows(ctx, columns, await listUsers(svc));
      }),
    );

  verb(
    users,
    ctx,
    'edit <name>',
    m('修改通讯录信息（本人或管理员）', 'change a directory entry (yourself, or an admin)'),
    ['crm users edit bob --department 客户部 --title 客户经理 --mobile 13800010001 --email bob@example.com'],
  )
    .option('--display-name <text>', ctx.t(m('姓名', 'display name')))
    .option('--department <text>', ctx.t(m('部门', 'department')))
    .option('--title <text>', ctx.t(m('职务', 'title')))
    .option('--phone <text>', ctx.t(m('电话', 'phone')))
    .option('--mobile <text>', ctx.t(m('手机', 'mobile')))
    .option('--email <address>', ctx.t(m('电子邮件（晨报发到这里）', 'e-mail (the morning digest goes here)')))
    .option('--digest-lang <lang>', ctx.t(m('晨报语言 zh | en', 'language of the morning digest: zh | en')))
    .action(
      act<[string]>(ctx, async (name, opts) => {
        const { editProfile } = await import('../../services/office/directory.js');
        const e = await editProfile(await ctx.services(), name, {
          displayName: opts.displayName,
          department: opts.department,
          title: opts.title,
          phone: opts.phone,
          mobile: opts.mobile,
          email: opts.email,
          lang: opts.digestLang,
        });
        if (ctx.json) return printJson(ctx, e);
        ctx.out(ctx.t(m('已更新 {name} 的通讯录信息', 'updated the directory entry of {name}'), { name: e.name }));
      }),
    );

  verb(users, ctx, 'show <name>', m('显示一个用户', 'show one user')).action(
    act<[string]>(ctx, async (name) => {
      const { showUser } = await loadUsers();
      const svc = await ctx.services();
      printUser(ctx, await showUser(svc, name));
    }),
  );

  verb(users, ctx, 'set-role <name> <role>', m('修改角色（仅管理员）', 'change the role (admins only)')).action(
    act<[string, string]>(ctx, async (name, role) => {
      const { setRole } = await loadUsers();
      const svc = await ctx.services();
      printUser(ctx, await setRole(svc, name, role));
    }),
  );

  verb(
    users,
    ctx,
    'set-supervisor <name> [supervisor]',
    m('设置上级（省略则清除）', 'set the supervisor (omit to clear)'),
  ).action(
    act<[string, string | undefined]>(ctx, async (name, supervisor) => {
      const { setSupervisor } = await loadUsers();
      const svc = await ctx.services();
      printUser(ctx, await setSupervisor(svc, name, supervisor ?? null));
    }),
  );

  registerPasswd(users, ctx);
  registerTokens(users, ctx);

  verb(users, ctx, 'disable <name>', m('停用用户（记录保留）', 'disable a user (records are kept)')).action(
    act<[string]>(ctx, async (name) => {
      const { disableUser } = await loadUsers();
      const svc = await ctx.services();
      printUser(ctx, await disableUser(svc, name));
    }),
  );
}
