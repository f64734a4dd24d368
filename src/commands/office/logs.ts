import type { Command } from 'commander';
import { act, collect, group, listOption, type RawOptions, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderRows } from '../../cli/output.js';
import type { LogInput, LogQuery, LogRecord } from '../../services/office/logs.js';

const loadLogs = () => import('../../services/office/logs.js');

const columns: Column<LogRecord>[] = [
  { key: 'id', label: m('编号', 'id'), align: 'right' },
  { key: 'date', label: m('日期', 'date') },
  { key: 'user', label: m('作者', 'by') },
  { key: 'kind', label: m('类型', 'kind') },
  { key: 'content', label: m('内容', 'content') },
  { key: 'customers', label: m('客户', 'customers'), value: (r) => r.customers.join(',') },
];

export type AddLogOptions = LogInput;

export function parseAddLogOptions(_args: string[], raw: RawOptions): AddLogOptions {
  return {
    kind: stringOption(raw, 'kind') ?? 'daily',
    content: stringOption(raw, 'content') ?? '',
    date: stringOption(raw, 'date'),
    customers: listOption(raw, 'customer'),
  };
}

export async function runAddLog(ctx: CliContext, opts: AddLogOptions): Promise<void> {
  const { addLog } = await loadLogs();
  const l = await addLog(await ctx.services(), opts);
  if (ctx.json) return printJson(ctx, l);
  ctx.out(
    ctx.t(m('已写日志 {id}（{kind} {date}）', 'wrote log {id} ({kind} {date})'), {
      id: l.id,
      kind: l.kind,
      date: l.date,
    }),
  );
}

export interface ListLogsOptions extends LogQuery {}

export function parseListLogsOptions(_args: string[], raw: RawOptions): ListLogsOptions {
  // `--user` is the global identity option; the author filter is `--author`.
  return {
    user: stringOption(raw, 'author'),
    team: Boolean(raw.team),
    from: stringOption(raw, 'from'),
    to: stringOption(raw, 'to'),
    kind: stringOption(raw, 'kind'),
  };
}

export async function runListLogs(ctx: CliContext, opts: ListLogsOptions): Promise<void> {
  const { listLogs } = await loadLogs();
  renderRows(ctx, columns, await listLogs(await ctx.services(), opts), { empty: m('没有日志', 'no logs') });
}

export function registerLogs(program: Command, ctx: CliContext): Command {
  const logs = group(program, ctx, 'logs', m('工作日志：日报、周报、月报', 'work logs: daily, weekly, monthly'), [
    'crm logs add --kind daily --content "拜访东城区财政局，演示新系统" --customer 110101',
    'crm --user carol logs list --team --from 2026-11-01',
  ]);
  verb(logs, ctx, 'add', m('写日志', 'write a log'))
    .option('--kind <kind>', 'daily | weekly | monthly', 'daily')
    .requiredOption('--content <text>', ctx.t(m('内容', 'content')))
    .option(
      '--date <date>',
      ctx.t(
        m(
          '日期（默认今天；周报、月报取所在周、月）',
          'date (default today; weekly and monthly logs take its week or month)',
        ),
      ),
    )
    .option('--customer <code>', ctx.t(m('涉及的客户（可重复）', 'a customer it is about (repeatable)')), collect)
    .action(act(ctx, parseAddLogOptions, runAddLog));
  verb(logs, ctx, 'list', m('列出日志（经理可看团队的）', "list logs (managers: their team's)"))
    .option('--author <user>', ctx.t(m('某位成员的日志', "one person's logs")))
    .option('--team', ctx.t(m('整个团队（经理）', 'the whole team (managers)')))
    .option('--from <date>', ctx.t(m('起始日期', 'first date')))
    .option('--to <date>', ctx.t(m('结束日期', 'last date')))
    .option('--kind <kind>', 'daily | weekly | monthly')
    .action(act(ctx, parseListLogsOptions, runListLogs));
  return logs;
}
