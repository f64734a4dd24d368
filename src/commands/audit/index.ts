import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { act, group, intOption, type RawOptions, type RunVerb, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderRows } from '../../cli/output.js';
import { parseLocalDateTime } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import type { AuditRecord } from '../../services/audit.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadAudit = () => import('../../services/audit.js');
const loadArchive = () => import('../../services/backup/audit-archive.js');

const short = (v: unknown) => {
  if (v === null || v === undefined) return '';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

/** Who really acted: an admin's user name, or an OS account allowed to act as anyone (`os:NAME`). */
export function viaText(ctx: CliContext, via: string | null): string {
  if (!via) return '';
  return via.startsWith('os:') ? ctx.t(m('系统账户 {name}', 'OS account {name}'), { name: via.slice(3) }) : via;
}

export interface VerifyOptions {
  from: number;
  archive?: string;
}

export function parseVerifyOptions(_args: string[], raw: RawOptions): VerifyOptions {
  return {
    from: raw.from === undefined ? 0 : Number(raw.from),
    ...(raw.archive === undefined ? {} : { archive: String(raw.archive) }),
  };
}

export async function runVerify(ctx: CliContext, opts: VerifyOptions): Promise<void> {
  if (opts.archive) {
    const { verifyArchiveFile } = await loadArchive();
    const r = await verifyArchiveFile(path.resolve(ctx.cwd, opts.archive));
    if (ctx.json) return printJson(ctx, { ok: true, ...r });
    ctx.out(
      ctx.t(m('审计归档完好：{n} 条记录（第 {first}–{last} 条）', 'audit archive intact: {n} rows ({first}–{last})'), {
        n: r.count,
        first: r.firstId,
        last: r.lastId,
      }),
    );
    return;
  }
  const { verifyAudit } = await loadAudit();
  const r = await verifyAudit(await ctx.services(), opts.from);
  if (ctx.json) return printJson(ctx, r);
  ctx.out(
    ctx.t(
      m('审计日志完好：已校验 {n} 条记录（至第 {last} 条）', 'audit log intact: {n} rows checked (up to row {last})'),
      {
        n: r.checked,
        last: r.lastId,
      },
    ),
  );
}

export function registerVerify(audit: Command, ctx: CliContext, run: RunVerb<VerifyOptions> = runVerify) {
  return verb(
    audit,
    ctx,
    'verify',
    m(
      '重算审计日志的哈希链，指出第一条不符的记录（退出码 1）',
      'recompute the audit hash chain and name the first row that does not match (exit 1)',
    ),
    ['crm audit verify', 'crm audit verify --from 5000 --json'],
  )
    .option('--from <id>', ctx.t(m('从该编号开始校验', 'start at this row id')), intOption)
    .option('--archive <file>', ctx.t(m('改为校验一个审计归档文件', 'verify an audit archive file instead')))
    .action(act(ctx, parseVerifyOptions, run));
}

export interface ArchiveOptions {
  before: string;
  out: string;
  force: boolean;
}

export function parseArchiveOptions(_args: string[], raw: RawOptions): ArchiveOptions {
  const before = String(raw.before);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(before)) {
    throw new CrmError(
      'E1624',
      { zh: `日期无效：${before}（应为 YYYY-MM-DD）`, en: `invalid date: ${before} (expected YYYY-MM-DD)` },
      ExitCode.usage,
    );
  }
  return { before, out: String(raw.out), force: Boolean(raw.force) };
}

export async function runArchive(ctx: CliContext, opts: ArchiveOptions): Promise<void> {
  const { archiveAudit } = await loadArchive();
  const file = path.resolve(ctx.cwd, opts.out);
  if (fs.existsSync(file) && !opts.force) {
    throw new CrmError('E1636', { zh: `文件已存在：${file}`, en: `the file exists: ${file}` }, ExitCode.conflict, {
      zh: '换一个文件名，或加 --force 覆盖',
      en: 'choose another name, or add --force to replace it',
    });
  }
  const svc = await ctx.services();
  const tz = await svc.settings.get<string>('timezone');
  const r = await archiveAudit(svc, parseLocalDateTime(`${opts.before} 00:00:00`, tz).toISOString(), file);
  if (ctx.json) return printJson(ctx, r);
  ctx.out(
    r.count
      ? ctx.t(m('已归档 {n} 条记录（第 {first}–{last} 条）到 {file}', 'archived {n} rows ({first}–{last}) to {file}'), {
          n: r.count,
          first: r.firstId ?? '',
          last: r.lastId ?? '',
          file,
        })
      : ctx.t(m('{before} 之前没有可归档的记录', 'nothing to archive before {before}'), { before: opts.before }),
  );
}

export function registerArchive(audit: Command, ctx: CliContext, run: RunVerb<ArchiveOptions> = runArchive) {
  return verb(
    audit,
    ctx,
    'archive',
    m(
      '把某日之前的审计记录移到文件（仍可校验；仅管理员，本身也被审计）',
      'move audit rows from before a date to a file that stays verifiable (admins only; audited itself)',
    ),
    [
      'crm audit archive --before 2026-01-01 --out audit-2025.jsonl.gz',
      'crm audit verify --archive audit-2025.jsonl.gz',
    ],
  )
    .requiredOption(
      '--before <date>',
      ctx.t(m('归档此日期（业务时区）之前的记录', 'archive rows written before this date (business time zone)')),
    )
    .requiredOption('--out <file>', ctx.t(m('归档文件（权限 600）', 'the archive file (mode 600)')))
    .option('--force', ctx.t(m('覆盖已存在的文件', 'replace an existing file')))
    .action(act(ctx, parseArchiveOptions, run));
}

export function registerAudit(program: Command, ctx: CliContext): void {
  const audit = group(program, ctx, 'audit', m('审计日志：谁在何时改了什么', 'the audit log: who changed what, when'));
  registerVerify(audit, ctx);
  registerArchive(audit, ctx);
  verb(audit, ctx, 'list', m('列出审计记录（管理员与审计员）', 'list audit records (admins and auditors)'), [
    'crm audit list --entity customer --since 2026-11-01',
    'crm audit list --user bob --json',
  ])
    .option(
      '--entity <name>',
      ctx.t(m('实体类型，如 customer、order、setting', 'entity type, e.g. customer, order, setting')),
    )
    .option('--id <id>', ctx.t(m('实体编号', 'entity id')))
    .option('--since <time>', ctx.t(m('起始时间（业务时区）', 'from this time (business time zone)')))
    .option('--user <name>', ctx.t(m('操作人', 'who acted')))
    .option('--action <action>', ctx.t(m('动作，如 customers.add', 'action, e.g. customers.add')))
    .option('--limit <n>', ctx.t(m('最多条数（默认 100）', 'most records (default 100)')), intOption, 100)
    .action(
      act(ctx, async (opts) => {
        const { listAudit } = await loadAudit();
        const svc = await ctx.services();
        const tz = await svc.settings.get<string>('timezone');
        // `--user` on this verb filters; the global --user (identity) is read before it in optsWithGlobals.
        const since = opts.since
          ? parseLocalDateTime(
              String(opts.since).length === 10 ? `${opts.since} 00:00:00` : String(opts.since),
              tz,
            ).toISOString()
          : undefined;
        const rows = await listAudit(svc, {
          entity: opts.entity as string | undefined,
          entityId: opts.id as string | undefined,
          since,
          user: ctx.globals.user === opts.user ? undefined : (opts.user as string | undefined),
          action: opts.action as string | undefined,
          limit: opts.limit as number,
        });
        renderRows<AuditRecord>(
          ctx,
          [
            { key: 'id', label: m('编号', 'id'), align: 'right' },
            { key: 'at', label: m('时间', 'at'), time: true },
            { key: 'user', label: m('用户', 'user') },
            { key: 'via', label: m('代办人', 'via'), value: (r) => viaText(ctx, r.via) },
            { key: 'action', label: m('动作', 'action') },
            { key: 'entity', label: m('实体', 'entity') },
            { key: 'entityId', label: m('实体编号', 'entity id') },
            { key: 'after', label: m('变更后', 'after'), value: (r) => short(r.after) },
          ],
          rows,
        );
      }),
    );
}
