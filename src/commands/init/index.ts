import { type Command, Option } from 'commander';
import { act, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { databaseUnreachable } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson } from '../../cli/output.js';
import { askText } from '../../cli/prompt.js';
import { readPassword } from '../../cli/secret-input.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadConnection = () => import('../../db/connection.js');
const loadSystem = () => import('../../services/system.js');
const loadUsers = () => import('../../services/users.js');

export function registerInit(program: Command, ctx: CliContext): void {
  verb(
    program,
    ctx,
    'init',
    m(
      '创建并迁移数据库，创建第一个管理员（已初始化时不做任何改动）',
      'create and migrate the database and the first admin (a no-op when already initialised)',
    ),
    [
      'crm init --admin alice --yes',
      'crm init --admin alice --auth password',
      'printf "%s\\n" "$ADMIN_PW" | crm --db mysql://root@127.0.0.1:3306/crm init --admin alice --password-stdin --yes',
    ],
  )
    .option(
      '--admin <name>',
      ctx.t(m('第一个管理员的用户名（默认为系统用户名）', 'name of the first admin (default: the OS user name)')),
    )
    .addOption(
      new Option(
        '--auth <mode>',
        ctx.t(
          m(
            '登录方式：os（操作系统账户）或 password（crm login）；默认 SQLite 为 os，MySQL/MariaDB 为 password',
            'sign-in: os (the OS account) or password (crm login); default os on SQLite, password on MySQL/MariaDB',
          ),
        ),
      ).choices(['os', 'password']),
    )
    .option(
      '--password-stdin',
      ctx.t(
        m(
          'password 方式：从标准输入读取管理员密码（一行）',
          "password mode: read the admin's password from stdin (one line)",
        ),
      ),
    )
    .option('-y, --yes', ctx.t(m('不询问，使用默认值', 'never ask; use defaults')))
    .action(
      act(ctx, async (opts) => {
        const { ensureMysqlDatabase, redactUrl, dialectOf } = await loadConnection();
        const { initialise } = await loadSystem();
        const url = ctx.connection().databaseUrl;
        let admin = (opts.admin as string | undefined) ?? undefined;
        if (!admin && !opts.yes)
          admin = await askText(ctx, '--admin', m('第一个管理员的用户名', 'name of the first admin'), {
            default: ctx.userName(),
          });
        admin ??= ctx.userName();
        try {
          await ensureMysqlDatabase(url);
        } catch (err) {
          throw databaseUnreachable(url, err as Error);
        }
        const db = await ctx.db();
        const { countUsers } = await loadUsers();
        const fresh = !(await db.schema.hasTable('users')) || (await countUsers(db)) === 0;
        const mode = (opts.auth as 'os' | 'password' | undefined) ?? (dialectOf(db) === 'mysql' ? 'password' : 'os');
        const adminPassword =
          fresh && mode === 'password'
            ? await readPassword(ctx, {
                fromStdin: Boolean(opts.passwordStdin),
                prompt: m(`管理员 ${admin} 的密码`, `password for the admin ${admin}`),
                confirm: true,
              })
            : undefined;
        const result = await initialise(db, ctx.clock(), admin, (w) => ctx.note(m(w, w)), {
          mode,
          osAccount: ctx.osAccount(),
          adminPassword,
        });
        if (ctx.json) {
          printJson(ctx, { database: redactUrl(url), ...result });
          return;
        }
        if (result.migrationsApplied.length === 0 && !result.adminCreated) {
          ctx.out(
            ctx.t(m('数据库已初始化：{db}（无改动）', 'already initialised: {db} (nothing changed)'), {
              db: redactUrl(url),
            }),
          );
          return;
        }
        ctx.out(ctx.t(m('数据库：{db}', 'database: {db}'), { db: redactUrl(url) }));
        if (result.migrationsApplied.length)
          ctx.out(
            ctx.t(m('已应用迁移：{list}', 'migrations applied: {list}'), { list: result.migrationsApplied.join(', ') }),
          );
        if (result.adminCreated)
          ctx.out(ctx.t(m('已创建管理员：{name}', 'admin created: {name}'), { name: result.adminCreated }));
        if (result.adminCreated && result.authMode === 'password')
          ctx.out(
            ctx.t(
              m(
                '登录方式：密码（先运行 "crm login --user {name}"）',
                'sign-in: password (run "crm login --user {name}" first)',
              ),
              {
                name: result.adminCreated,
              },
            ),
          );
      }),
    );
}
