import type { Command } from 'commander';
import { act, group, intOption, type RawOptions, type RunVerb, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderRows } from '../../cli/output.js';
import { parseLocalDateTime } from '../../domain/clock.js';
import type { AuditRecord } from '../../services/audit.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadAudit = () => import('../../services/audit.js');

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
}

export function parseVerifyOptions(_args: string[], raw: RawOptions): VerifyOptions {
  return { from: raw.from === undefined ? 0 : Number(raw.from) };
}

export async function runVerify(ctx: CliContext, opts: VerifyOptions): Promise<void> {
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
    .action(act(ctx, parseVerifyOptions, run));
}

export function registerAudit(program: Command, ctx: CliContext): void {
  const audit = group(program, ctx, 'audit', m('审计日志：谁在何时改了什么', 'the audit log: who changed what, when'));
  registerVerify(audit, ctx);
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
