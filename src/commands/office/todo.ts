import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson } from '../../cli/output.js';

const loadTodo = () => import('../../services/todo/index.js');
const loadRender = () => import('../../services/todo/render.js');

export interface TodoCommandOptions {
  for?: string;
  team: boolean;
  date?: string;
}

export function parseTodoOptions(_args: string[], raw: RawOptions): TodoCommandOptions {
  return { for: stringOption(raw, 'for'), team: Boolean(raw.team), date: stringOption(raw, 'date') };
}

export async function runTodo(ctx: CliContext, opts: TodoCommandOptions): Promise<void> {
  const [{ buildTodo }, { renderTodoText, todoJson }] = await Promise.all([loadTodo(), loadRender()]);
  const svc = await ctx.services();
  const { parseOfficeDate } = await import('../../services/office/common.js');
  const date = opts.date ? await parseOfficeDate(svc, opts.date, '--date') : undefined;
  const list = await buildTodo(svc, { for: opts.for, team: opts.team, date });
  if (ctx.json) return printJson(ctx, todoJson(list, ctx.lang));
  ctx.io.stdout.write(renderTodoText(list, { lang: ctx.lang, timeZone: ctx.timeZone, now: svc.clock.now() }));
}

export function registerTodo(program: Command, ctx: CliContext, run: RunVerb<TodoCommandOptions> = runTodo): Command {
  const cmd = program
    .command('todo')
    .description(
      ctx.t(
        m(
          '待办：到期跟进、即将退回公海的客户、回款计划、待我审批、任务、今日日程、拜访、日志、未读公告',
          'to-do list: follow-ups due, customers about to return to the pool, instalments, approvals, tasks, today’s schedule, visits, work logs, unread announcements',
        ),
      ),
    )
    .addHelpText(
      'after',
      `\n${ctx.t(m('示例：', 'Examples:'))}\n  $ crm todo\n  $ crm todo --json\n  $ crm --user carol todo --team\n  $ crm --user carol todo --for bob\n`,
    )
    .option('--for <user>', ctx.t(m('某位团队成员的待办（经理）', "a team member's list (managers)")))
    .option('--team', ctx.t(m('整个团队的待办（经理）', "the whole team's list (managers)")))
    .option('--date <date>', ctx.t(m('业务日期（默认今天）', 'business date (default today)')));
  cmd.action(act(ctx, parseTodoOptions, run));
  return cmd;
}
