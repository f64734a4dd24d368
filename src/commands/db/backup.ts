import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import { type CliContext, databaseUnreachable } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderRows } from '../../cli/output.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import type { TableSum } from '../../services/backup/index.js';

// Services load when a verb runs (startup time).
const loadBackup = () => import('../../services/backup/index.js');
const loadConnection = () => import('../../db/connection.js');

function printSums(ctx: CliContext, tables: Record<string, TableSum>): void {
  renderRows(
    ctx,
    [
      { key: 'table', label: m('表', 'table') },
      { key: 'count', label: m('行数', 'rows'), align: 'right' },
      { key: 'sha256', label: m('校验和', 'sha256') },
    ],
    Object.entries(tables).map(([table, s]) => ({ table, count: s.count, sha256: s.sha256 })),
  );
}

// ---- crm db backup --out FILE ----

export interface BackupOptions {
  out: string;
  force: boolean;
}

export function parseBackupOptions(_args: string[], raw: RawOptions): BackupOptions {
  return { out: stringOption(raw, 'out')!, force: Boolean(raw.force) };
}

export async function runBackup(ctx: CliContext, opts: BackupOptions): Promise<void> {
  const { backupDatabase } = await loadBackup();
  const file = path.resolve(ctx.cwd, opts.out);
  if (fs.existsSync(file) && !opts.force) {
    throw new CrmError('E1636', { zh: `文件已存在：${file}`, en: `the file exists: ${file}` }, ExitCode.conflict, {
      zh: '换一个文件名，或加 --force 覆盖',
      en: 'choose another name, or add --force to replace it',
    });
  }
  const svc = await ctx.services();
  const r = await backupDatabase(svc, file);
  if (ctx.json) return printJson(ctx, { file, ...r });
  const rows = Object.values(r.tables).reduce((n, t) => n + t.count, 0);
  ctx.out(
    ctx.t(m('已备份到 {file}：{tables} 张表，{rows} 行', 'backed up to {file}: {tables} tables, {rows} rows'), {
      file,
      tables: Object.keys(r.tables).length,
      rows,
    }),
  );
}

// ---- crm db verify-backup FILE ----

export async function runVerifyBackup(ctx: CliContext, opts: { file: string }): Promise<void> {
  const { verifyBackupFile } = await loadBackup();
  const r = await verifyBackupFile(path.resolve(ctx.cwd, opts.file));
  if (ctx.json) return printJson(ctx, { ok: true, ...r });
  ctx.note(
    m('备份完好：{file}（{dialect}，{at}，结构 {schema}）', 'backup intact: {file} ({dialect}, {at}, schema {schema})'),
    { file: r.file, dialect: r.dialect, at: ctx.localTime(r.createdAt), schema: r.schema[r.schema.length - 1] ?? '' },
  );
  printSums(ctx, r.tables);
}

// ---- crm db restore FILE ----

export interface RestoreOptions {
  file: string;
  force: boolean;
}

export async function runRestore(ctx: CliContext, opts: RestoreOptions): Promise<void> {
  const { restoreDatabase, databaseIsEmpty } = await loadBackup();
  const { ensureMysqlDatabase } = await loadConnection();
  const url = ctx.connection().databaseUrl;
  try {
    await ensureMysqlDatabase(url);
  } catch (err) {
    throw databaseUnreachable(url, err as Error);
  }
  const db = await ctx.db();
  // Overwriting a database that holds data needs one of its admins; an empty one has nobody to ask.
  let actorName = ctx.osAccount();
  if (!(await databaseIsEmpty(db)) && opts.force) {
    const svc = await ctx.services();
    const { requireCapability } = await import('../../domain/roles.js');
    requireCapability(svc.actor, 'users.manage', m('覆盖恢复数据库', 'overwrite the database with a restore'));
    actorName = svc.actor.name;
  }
  const file = path.resolve(ctx.cwd, opts.file);
  const r = await restoreDatabase(db, file, {
    force: opts.force,
    clock: ctx.clock(),
    actor: { id: 0, name: actorName.slice(0, 64), role: 'admin', supervisorId: null },
    warn: (w) => ctx.note(m(w, w)),
  });
  if (ctx.json) return printJson(ctx, r);
  const rows = Object.values(r.tables).reduce((n, t) => n + t.count, 0);
  ctx.out(
    ctx.t(
      m(
        '已恢复 {file}：{tables} 张表，{rows} 行，行数与校验和一致',
        'restored {file}: {tables} tables, {rows} rows, counts and checksums match',
      ),
      {
        file,
        tables: Object.keys(r.tables).length,
        rows,
      },
    ),
  );
}

// ---- crm db copy --to URL ----

export interface CopyOptions {
  to: string;
  force: boolean;
}

export async function runCopy(ctx: CliContext, opts: CopyOptions): Promise<void> {
  const { backupDatabase, restoreDatabase } = await loadBackup();
  const { ensureMysqlDatabase, openDatabase, redactUrl } = await loadConnection();
  const svc = await ctx.services();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-copy-'));
  const target = await (async () => {
    try {
      await ensureMysqlDatabase(opts.to);
      return await openDatabase(opts.to, ctx.cwd);
    } catch (err) {
      if (err instanceof CrmError) throw err;
      throw databaseUnreachable(opts.to, err as Error);
    }
  })();
  try {
    const file = path.join(dir, 'copy.crm-backup.gz');
    await backupDatabase(svc, file);
    const r = await restoreDatabase(target, file, {
      force: opts.force,
      clock: svc.clock,
      actor: { id: 0, name: svc.actor.name, role: 'admin', supervisorId: null },
      warn: (w) => ctx.note(m(w, w)),
    });
    if (ctx.json) return printJson(ctx, { to: redactUrl(opts.to), tables: r.tables });
    const rows = Object.values(r.tables).reduce((n, t) => n + t.count, 0);
    ctx.out(
      ctx.t(
        m(
          '已复制到 {to}：{tables} 张表，{rows} 行，行数与校验和一致',
          'copied to {to}: {tables} tables, {rows} rows, counts and checksums match',
        ),
        {
          to: redactUrl(opts.to),
          tables: Object.keys(r.tables).length,
          rows,
        },
      ),
    );
  } finally {
    await target.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function registerBackupVerbs(
  db: Command,
  ctx: CliContext,
  runs: {
    backup?: RunVerb<BackupOptions>;
    restore?: RunVerb<RestoreOptions>;
    verify?: RunVerb<{ file: string }>;
    copy?: RunVerb<CopyOptions>;
  } = {},
): void {
  verb(
    db,
    ctx,
    'backup',
    m(
      '备份整个数据库到一个文件（一致的快照，不影响他人继续工作；仅管理员）',
      'back up the whole database to one file (a consistent snapshot while others keep working; admins only)',
    ),
    ['crm db backup --out /srv/backup/crm-2026-11-23.crm-backup.gz'],
  )
    .requiredOption('--out <file>', ctx.t(m('备份文件（权限 600）', 'the backup file (mode 600)')))
    .option('--force', ctx.t(m('覆盖已存在的文件', 'replace an existing file')))
    .action(act(ctx, parseBackupOptions, runs.backup ?? runBackup));

  verb(
    db,
    ctx,
    'restore <file>',
    m(
      '把备份恢复到空数据库（可跨引擎），并核对行数与校验和',
      'restore a backup into an empty database (across engines too), then check counts and checksums',
    ),
    ['crm --db mysql://crm@db-host:3306/crm db restore crm.crm-backup.gz'],
  )
    .option(
      '--force',
      ctx.t(m('覆盖非空数据库的全部数据（须管理员）', "overwrite a database that holds data (an admin's)")),
    )
    .action(act(ctx, (args, raw) => ({ file: args[0]!, force: Boolean(raw.force) }), runs.restore ?? runRestore));

  verb(
    db,
    ctx,
    'verify-backup <file>',
    m('检查备份文件是否完整、可恢复', 'check that a backup file is whole and restorable'),
    ['crm db verify-backup crm.crm-backup.gz'],
  ).action(act(ctx, (args) => ({ file: args[0]! }), runs.verify ?? runVerifyBackup));

  verb(
    db,
    ctx,
    'copy',
    m(
      '把当前数据库（--db）复制到另一个空数据库，可跨引擎（备份加恢复）',
      'copy the current database (--db) into another, empty one, across engines too (backup then restore)',
    ),
    ['crm --db sqlite:/srv/crm/crm.sqlite db copy --to mysql://crm@db-host:3306/crm'],
  )
    .requiredOption('--to <url>', ctx.t(m('目标数据库地址', 'the target database URL')))
    .option('--force', ctx.t(m('覆盖非空的目标数据库', 'overwrite a target that holds data')))
    .action(
      act(ctx, (_args, raw) => ({ to: stringOption(raw, 'to')!, force: Boolean(raw.force) }), runs.copy ?? runCopy),
    );
}
