import type { Command } from 'commander';
import { act, group, verb } from '../../cli/command.js';
import { type CliContext, databaseUnreachable } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderRows } from '../../cli/output.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { registerBackupVerbs } from './backup.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadConnection = () => import('../../db/connection.js');
const loadMigrate = () => import('../../db/migrate.js');

export function registerDb(program: Command, ctx: CliContext): void {
  const db = group(
    program,
    ctx,
    'db',
    m('数据库：迁移、状态、回滚、备份与恢复', 'database: migrate, status, rollback, backup and restore'),
    ['crm db migrate', 'crm db status --json'],
  );

  registerBackupVerbs(db, ctx);

  verb(db, ctx, 'migrate', m('应用所有未执行的迁移（可重复执行）', 'apply pending migrations (safe to repeat)')).action(
    act(ctx, async () => {
      const { ensureMysqlDatabase, redactUrl } = await loadConnection();
      const { migrateLatest } = await loadMigrate();
      const url = ctx.connection().databaseUrl;
      try {
        await ensureMysqlDatabase(url);
      } catch (err) {
        throw databaseUnreachable(url, err as Error);
      }
      const applied = await migrateLatest(await ctx.db(), (w) => ctx.note(m(w, w)));
      if (ctx.json) return printJson(ctx, { database: redactUrl(url), applied });
      ctx.out(
        applied.length
          ? ctx.t(m('已应用迁移：{list}', 'applied: {list}'), { list: applied.join(', ') })
          : ctx.t(m('数据库结构已是最新：{db}', 'already up to date: {db}'), { db: redactUrl(url) }),
      );
    }),
  );

  verb(db, ctx, 'status', m('列出迁移及其是否已应用', 'list migrations and whether each is applied')).action(
    act(ctx, async () => {
      const { migrationStatus } = await loadMigrate();
      const { redactUrl } = await loadConnection();
      const url = ctx.connection().databaseUrl;
      let status: Awaited<ReturnType<typeof migrationStatus>>;
      try {
        status = await migrationStatus(await ctx.db());
      } catch (err) {
        throw databaseUnreachable(url, err as Error);
      }
      renderRows(
        ctx,
        [
          { key: 'name', label: m('迁移', 'migration') },
          { key: 'applied', label: m('已应用', 'applied') },
        ],
        status,
        { json: { database: redactUrl(url), source: ctx.connection().databaseUrlSource, migrations: status } },
      );
    }),
  );

  verb(
    db,
    ctx,
    'rollback',
    m('回滚最后一批迁移（仅用于开发数据库）', 'roll back the last batch of migrations (development databases only)'),
  )
    .option('--yes-i-know', ctx.t(m('确认会删除数据', 'confirm that data will be dropped')))
    .action(
      act(ctx, async (opts) => {
        const { rollbackLast } = await loadMigrate();
        if (!opts.yesIKnow) {
          throw new CrmError(
            'E1504',
            { zh: '回滚会删除表和数据', en: 'rollback drops tables and their data' },
            ExitCode.usage,
            {
              zh: '仅用于开发数据库；确认请加 --yes-i-know',
              en: 'for development databases only; add --yes-i-know to confirm',
            },
          );
        }
        const rolled = await rollbackLast(await ctx.db());
        if (ctx.json) return printJson(ctx, { rolledBack: rolled });
        ctx.out(
          rolled.length
            ? ctx.t(m('已回滚：{list}', 'rolled back: {list}'), { list: rolled.join(', ') })
            : ctx.t(m('没有可回滚的迁移', 'nothing to roll back')),
        );
      }),
    );
}
