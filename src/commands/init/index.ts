import type { Command } from 'commander';
import { act, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { databaseUnreachable } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson } from '../../cli/output.js';
import { askText } from '../../cli/prompt.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadConnection = () => import('../../db/connection.js');
const loadSystem = () => import('../../services/system.js');

export function registerInit(program: Command, ctx: CliContext): void {
  verb(
    program,
    ctx,
    'init',
    m(
      '创建并迁移数据库，创建第一个管理员（已初始化时不做任何改动）',
      'create and migrate the database and the first admin (a no-op when already initialised)',
    ),
    ['crm init --admin alice --yes', 'crm --db mysql://root@127.0.0.1:3306/crm init --yes'],
  )
    .option(
      '--admin <name>',
      ctx.t(m('第一个管理员的用户名（默认为系统用户名）', 'name of the first admin (default: the OS user name)')),
    )
    .option('-y, --yes', ctx.t(m('不询问，使用默认值', 'never ask; use defaults')))
    .action(
      act(ctx, async (opts) => {
        const { ensureMysqlDatabase, redactUrl } = await loadConnection();
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
        const result = await initialise(db, ctx.clock(), admin, (w) => ctx.note(m(w, w)));
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
      }),
    );
}
