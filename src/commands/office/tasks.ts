import type { Command } from 'commander';
import {
  act,
  collect,
  group,
  intOption,
  listOption,
  type RawOptions,
  type RunVerb,
  stringOption,
  verb,
} from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderDetails, renderRows } from '../../cli/output.js';
import type { TaskEdit, TaskInput, TaskQuery, TaskRecord } from '../../services/office/tasks.js';
import { idArg } from './shared.js';

const loadTasks = () => import('../../services/office/tasks.js');

const PRIORITY_LABEL: Record<string, { zh: string; en: string }> = {
  low: m('低', 'low'),
  normal: m('普通', 'normal'),
  high: m('紧急', 'high'),
};

const columns: Column<TaskRecord>[] = [
  { key: 'id', label: m('编号', 'id'), align: 'right' },
  { key: 'title', label: m('标题', 'title') },
  { key: 'assignee', label: m('执行人', 'assignee') },
  { key: 'due', label: m('截止', 'due'), time: true },
  { key: 'priority', label: m('优先级', 'priority') },
  { key: 'status', label: m('状态', 'status') },
  { key: 'customerCode', label: m('客户', 'customer') },
  { key: 'cc', label: m('知会', 'cc'), value: (r) => r.cc.join(',') },
];

export type AddTaskOptions = TaskInput;

export function parseAddTaskOptions(args: string[], raw: RawOptions): AddTaskOptions {
  return {
    title: args[0] ?? '',
    description: stringOption(raw, 'description'),
    assignee: stringOption(raw, 'assignee'),
    due: stringOption(raw, 'due'),
    priority: stringOption(raw, 'priority'),
    customer: stringOption(raw, 'customer'),
    order: stringOption(raw, 'order'),
    opportunity: raw.opportunity === undefined ? undefined : Number(raw.opportunity),
    cc: listOption(raw, 'cc'),
  };
}

export async function runAddTask(ctx: CliContext, opts: AddTaskOptions): Promise<void> {
  const { addTask } = await loadTasks();
  const t = await addTask(await ctx.services(), opts);
  if (ctx.json) return printJson(ctx, t);
  ctx.out(
    ctx.t(
      m('已添加任务 {id}：{title}（执行人 {assignee}{due}）', 'added task {id}: {title} (assignee {assignee}{due})'),
      {
        id: t.id,
        title: t.title,
        assignee: t.assignee,
        due: t.due ? ctx.t(m('，截止 {at}', ', due {at}'), { at: ctx.localTime(t.due).slice(0, 16) }) : '',
      },
    ),
  );
}

export interface ListTasksOptions extends TaskQuery {}

export function parseListTasksOptions(_args: string[], raw: RawOptions): ListTasksOptions {
  return {
    mine: Boolean(raw.mine),
    created: Boolean(raw.created),
    cc: Boolean(raw.cc),
    overdue: Boolean(raw.overdue),
    all: Boolean(raw.all),
  };
}

export async function runListTasks(ctx: CliContext, opts: ListTasksOptions): Promise<void> {
  const { listTasks } = await loadTasks();
  const rows = await listTasks(await ctx.services(), opts);
  renderRows(ctx, columns, rows, { empty: m('没有任务', 'no tasks') });
}

export interface TaskIdOptions {
  id: number;
}

export function parseTaskId(args: string[]): TaskIdOptions {
  return { id: idArg(args[0]) };
}

export async function runShowTask(ctx: CliContext, opts: TaskIdOptions): Promise<void> {
  const { showTask } = await loadTasks();
  const t = await showTask(await ctx.services(), opts.id);
  renderDetails(
    ctx,
    [
      [m('编号', 'id'), t.id],
      [m('标题', 'title'), t.title],
      [m('说明', 'description'), t.description],
      [m('执行人', 'assignee'), t.assignee],
      [m('创建人', 'creator'), t.creator],
      [m('截止', 'due'), ctx.localTime(t.due)],
      [m('优先级', 'priority'), ctx.t(PRIORITY_LABEL[t.priority] ?? m(t.priority, t.priority))],
      [m('状态', 'status'), t.status === 'done' ? ctx.t(m('已完成', 'done')) : ctx.t(m('未完成', 'open'))],
      [m('客户', 'customer'), t.customerCode],
      [m('订单', 'order'), t.orderNumber],
      [m('商机', 'opportunity'), t.opportunityId],
      [m('知会', 'cc'), t.cc.join(', ')],
      [m('完成时间', 'done at'), ctx.localTime(t.doneAt)],
    ],
    t,
  );
}

export interface EditTaskOptions extends TaskEdit {
  id: number;
}

export function parseEditTaskOptions(args: string[], raw: RawOptions): EditTaskOptions {
  return {
    id: idArg(args[0]),
    title: stringOption(raw, 'title'),
    description: stringOption(raw, 'description'),
    assignee: stringOption(raw, 'assignee'),
    due: stringOption(raw, 'due'),
    priority: stringOption(raw, 'priority'),
    customer: stringOption(raw, 'customer'),
    order: stringOption(raw, 'order'),
    opportunity: raw.opportunity === undefined ? undefined : Number(raw.opportunity),
    addCc: listOption(raw, 'cc'),
  };
}

export async function runEditTask(ctx: CliContext, opts: EditTaskOptions): Promise<void> {
  const { editTask } = await loadTasks();
  const { id, ...patch } = opts;
  const t = await editTask(await ctx.services(), id, patch);
  if (ctx.json) return printJson(ctx, t);
  ctx.out(ctx.t(m('已修改任务 {id}', 'changed task {id}'), { id: t.id }));
}

function statusVerb(kind: 'done' | 'reopen' | 'delete') {
  return async (ctx: CliContext, opts: TaskIdOptions): Promise<void> => {
    const svc = await loadTasks();
    const fn = kind === 'done' ? svc.completeTask : kind === 'reopen' ? svc.reopenTask : svc.deleteTask;
    const t = await fn(await ctx.services(), opts.id);
    if (ctx.json) return printJson(ctx, t);
    const msg =
      kind === 'done'
        ? m('任务 {id} 已完成：{title}', 'task {id} done: {title}')
        : kind === 'reopen'
          ? m('任务 {id} 已重开：{title}', 'task {id} reopened: {title}')
          : m('已删除任务 {id}：{title}', 'deleted task {id}: {title}');
    ctx.out(ctx.t(msg, { id: t.id, title: t.title }));
  };
}

export const runDoneTask = statusVerb('done');
export const runReopenTask = statusVerb('reopen');
export const runDeleteTask = statusVerb('delete');

function taskFields(c: Command, ctx: CliContext): Command {
  return c
    .option('--description <text>', ctx.t(m('说明', 'description')))
    .option('--assignee <user>', ctx.t(m('执行人（默认自己）', 'assignee (default: you)')))
    .option(
      '--due <time>',
      ctx.t(m('截止时间 YYYY-MM-DD HH:mm（只写日期为当天 18:00）', 'due YYYY-MM-DD HH:mm (a date alone: 18:00)')),
    )
    .option('--priority <p>', 'low | normal | high')
    .option('--customer <code>', ctx.t(m('关联客户', 'linked customer')))
    .option('--cc <user>', ctx.t(m('知会（可重复）', 'inform this user (repeatable)')), collect);
}

export function registerAddTask(tasks: Command, ctx: CliContext, run: RunVerb<AddTaskOptions> = runAddTask): Command {
  return taskFields(
    verb(tasks, ctx, 'add <title>', m('添加任务', 'add a task'), [
      'crm tasks add "回访东城区财政局" --due 2026-11-24 --priority high',
      'crm tasks add "整理报价" --assignee bob --order SO20261123-0001 --cc erin',
    ]),
    ctx,
  )
    .option('--order <number>', ctx.t(m('关联订单', 'linked order')))
    .option('--opportunity <id>', ctx.t(m('关联商机', 'linked opportunity')), intOption)
    .action(act(ctx, parseAddTaskOptions, run));
}

export function registerTasks(program: Command, ctx: CliContext): Command {
  const tasks = group(program, ctx, 'tasks', m('任务：指派、截止、知会', 'tasks: assign, due, cc'), [
    'crm tasks add "准备续签材料" --due "2026-11-25 17:00" --customer 110101 --cc carol',
    'crm tasks list --mine',
  ]);
  const common = (c: Command) => taskFields(c, ctx);
  registerAddTask(tasks, ctx);
  verb(tasks, ctx, 'list', m('列出任务（未完成，按截止时间）', 'list tasks (open, by due time)'), [
    'crm tasks list --mine',
    'crm tasks list --overdue',
  ])
    .option('--mine', ctx.t(m('指派给我的', 'assigned to me')))
    .option('--created', ctx.t(m('我创建的', 'created by me')))
    .option('--cc', ctx.t(m('知会我的', "cc'd to me")))
    .option('--overdue', ctx.t(m('已过截止时间未完成的', 'open and past due')))
    .option('--all', ctx.t(m('包括已完成', 'include done tasks')))
    .action(act(ctx, parseListTasksOptions, runListTasks));
  verb(tasks, ctx, 'show <id>', m('查看任务', 'show a task')).action(act(ctx, parseTaskId, runShowTask));
  common(
    verb(tasks, ctx, 'edit <id>', m('修改任务', 'change a task')).option('--title <text>', ctx.t(m('标题', 'title'))),
  )
    .option('--order <number>', ctx.t(m('关联订单', 'linked order')))
    .option('--opportunity <id>', ctx.t(m('关联商机', 'linked opportunity')), intOption)
    .action(act(ctx, parseEditTaskOptions, runEditTask));
  verb(tasks, ctx, 'done <id>', m('完成任务', 'mark a task done')).action(act(ctx, parseTaskId, runDoneTask));
  verb(tasks, ctx, 'reopen <id>', m('重开任务', 'reopen a task')).action(act(ctx, parseTaskId, runReopenTask));
  verb(tasks, ctx, 'delete <id>', m('删除任务', 'delete a task')).action(act(ctx, parseTaskId, runDeleteTask));
  return tasks;
}
