import path from 'node:path';
import type { Command } from 'commander';
import {
  act,
  collect,
  group,
  listOption,
  type RawOptions,
  type RunVerb,
  stringOption,
  verb,
} from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderDetails } from '../../cli/output.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import type { ScheduleEdit, ScheduleInput, ScheduleRange } from '../../services/office/schedules.js';
import { idArg } from './shared.js';

const loadSchedules = () => import('../../services/office/schedules.js');

export type AddScheduleOptions = ScheduleInput;

export function parseAddScheduleOptions(args: string[], raw: RawOptions): AddScheduleOptions {
  return {
    title: args[0] ?? '',
    start: stringOption(raw, 'start') ?? '',
    end: stringOption(raw, 'end'),
    allDay: Boolean(raw.allDay),
    participants: listOption(raw, 'with'),
    place: stringOption(raw, 'place'),
    customer: stringOption(raw, 'customer'),
    remind: stringOption(raw, 'remind'),
    note: stringOption(raw, 'note'),
  };
}

export async function runAddSchedule(ctx: CliContext, opts: AddScheduleOptions): Promise<void> {
  const { addSchedule } = await loadSchedules();
  const s = await addSchedule(await ctx.services(), opts);
  if (ctx.json) return printJson(ctx, s);
  ctx.out(
    ctx.t(m('已添加日程 {id}：{title}（{start} – {end}）', 'added schedule entry {id}: {title} ({start} – {end})'), {
      id: s.id,
      title: s.title,
      start: ctx.localTime(s.start).slice(0, 16),
      end: ctx.localTime(s.end).slice(0, 16),
    }),
  );
}

export interface ListScheduleOptions extends ScheduleRange {}

export function parseListScheduleOptions(_args: string[], raw: RawOptions): ListScheduleOptions {
  return {
    day: stringOption(raw, 'day'),
    week: stringOption(raw, 'week'),
    from: stringOption(raw, 'from'),
    to: stringOption(raw, 'to'),
    for: stringOption(raw, 'for'),
    all: Boolean(raw.all),
  };
}

export async function runListSchedule(ctx: CliContext, opts: ListScheduleOptions): Promise<void> {
  const [{ listSchedule }, { renderScheduleView }] = await Promise.all([
    loadSchedules(),
    import('../../services/office/schedule-render.js'),
  ]);
  const view = await listSchedule(await ctx.services(), opts);
  if (ctx.json) return printJson(ctx, view);
  ctx.io.stdout.write(renderScheduleView(view, { lang: ctx.lang, timeZone: ctx.timeZone }));
}

export interface ScheduleIdOptions {
  id: number;
}

export const parseScheduleId = (args: string[]): ScheduleIdOptions => ({ id: idArg(args[0]) });

export async function runShowSchedule(ctx: CliContext, opts: ScheduleIdOptions): Promise<void> {
  const { showSchedule } = await loadSchedules();
  const s = await showSchedule(await ctx.services(), opts.id);
  renderDetails(
    ctx,
    [
      [m('编号', 'id'), s.id],
      [m('标题', 'title'), s.title],
      [m('开始', 'start'), ctx.localTime(s.start).slice(0, 16)],
      [m('结束', 'end'), ctx.localTime(s.end).slice(0, 16)],
      [m('全天', 'all day'), s.allDay ? ctx.t(m('是', 'yes')) : ctx.t(m('否', 'no'))],
      [m('地点', 'place'), s.place],
      [m('客户', 'customer'), s.customerCode],
      [m('提醒（分钟前）', 'reminder (min before)'), s.remindMinutes],
      [m('创建人', 'owner'), s.owner],
      [m('参与人', 'participants'), s.participants.join(', ')],
      [m('状态', 'status'), s.status === 'active' ? ctx.t(m('有效', 'active')) : ctx.t(m('已取消', 'cancelled'))],
      [m('备注', 'note'), s.note],
    ],
    s,
  );
}

export interface EditScheduleOptions extends ScheduleEdit {
  id: number;
}

export function parseEditScheduleOptions(args: string[], raw: RawOptions): EditScheduleOptions {
  return {
    id: idArg(args[0]),
    title: stringOption(raw, 'title'),
    start: stringOption(raw, 'start'),
    end: stringOption(raw, 'end'),
    allDay: raw.allDay === undefined ? undefined : Boolean(raw.allDay),
    place: stringOption(raw, 'place'),
    customer: stringOption(raw, 'customer'),
    remind: stringOption(raw, 'remind'),
    note: stringOption(raw, 'note'),
    addParticipants: listOption(raw, 'with'),
  };
}

export async function runEditSchedule(ctx: CliContext, opts: EditScheduleOptions): Promise<void> {
  const { editSchedule } = await loadSchedules();
  const { id, ...patch } = opts;
  const s = await editSchedule(await ctx.services(), id, patch);
  if (ctx.json) return printJson(ctx, s);
  ctx.out(ctx.t(m('已修改日程 {id}', 'changed schedule entry {id}'), { id: s.id }));
}

export async function runCancelSchedule(ctx: CliContext, opts: ScheduleIdOptions): Promise<void> {
  const { cancelSchedule } = await loadSchedules();
  const s = await cancelSchedule(await ctx.services(), opts.id);
  if (ctx.json) return printJson(ctx, s);
  ctx.out(ctx.t(m('已取消日程 {id}：{title}', 'cancelled schedule entry {id}: {title}'), { id: s.id, title: s.title }));
}

export interface ExportScheduleOptions extends ScheduleRange {
  out: string;
}

export function parseExportScheduleOptions(args: string[], raw: RawOptions): ExportScheduleOptions {
  return { ...parseListScheduleOptions(args, raw), out: stringOption(raw, 'out') ?? '' };
}

export async function runExportSchedule(ctx: CliContext, opts: ExportScheduleOptions): Promise<void> {
  const { exportCalendar } = await loadSchedules();
  const { out, ...range } = opts;
  const r = await exportCalendar(await ctx.services(), range);
  if (out === '-') {
    ctx.io.stdout.write(r.text);
    return;
  }
  const file = path.resolve(ctx.cwd, out);
  try {
    writeFileAtomic(file, r.text);
  } catch (err) {
    throw new CrmError(
      'E5124',
      m(
        `无法写入日历文件 ${out}：${(err as Error).message}`,
        `cannot write the calendar file ${out}: ${(err as Error).message}`,
      ),
      ExitCode.error,
      m('检查目录是否存在、是否有写权限', 'check that the directory exists and is writable'),
    );
  }
  if (ctx.json) return printJson(ctx, { file, count: r.count });
  ctx.out(ctx.t(m('已导出 {n} 条日程到 {file}', 'exported {n} schedule entries to {file}'), { n: r.count, file: out }));
}

function scheduleFields(c: Command, ctx: CliContext): Command {
  return c
    .option(
      '--end <time>',
      ctx.t(
        m(
          '结束时间（默认开始后 1 小时；全天日程为结束日期）',
          'end (default: an hour after the start; all-day: the last date)',
        ),
      ),
    )
    .option('--all-day', ctx.t(m('全天（--start/--end 写日期）', 'all day (--start/--end are dates)')))
    .option('--with <user>', ctx.t(m('参与人（可重复）', 'participant (repeatable)')), collect)
    .option('--place <text>', ctx.t(m('地点', 'place')))
    .option('--customer <code>', ctx.t(m('关联客户', 'linked customer')))
    .option('--remind <minutes>', ctx.t(m('提前几分钟提醒', 'remind this many minutes before')))
    .option('--note <text>', ctx.t(m('备注', 'note')));
}

export function registerAddSchedule(
  schedule: Command,
  ctx: CliContext,
  run: RunVerb<AddScheduleOptions> = runAddSchedule,
): Command {
  return scheduleFields(
    verb(schedule, ctx, 'add <title>', m('添加日程（业务时区）', 'add a schedule entry (business time zone)'), [
      'crm schedule add "周例会" --start "2026-11-24 09:00" --end "2026-11-24 10:00" --with bob --remind 15',
      'crm schedule add "年终总结" --all-day --start 2026-12-30 --end 2026-12-31',
    ]).requiredOption('--start <time>', ctx.t(m('开始时间 YYYY-MM-DD HH:mm', 'start YYYY-MM-DD HH:mm'))),
    ctx,
  ).action(act(ctx, parseAddScheduleOptions, run));
}

export function registerSchedule(program: Command, ctx: CliContext): Command {
  const schedule = group(
    program,
    ctx,
    'schedule',
    m('日程：日视图、周视图、iCalendar 导出', 'schedules: day and week views, iCalendar export'),
    [
      'crm schedule add "拜访东城区财政局" --start "2026-11-24 14:30" --end "2026-11-24 16:00" --place 东城区 --with carol',
      'crm schedule list --week today',
      'crm schedule export --out my.ics',
    ],
  );
  const fields = (c: Command) => scheduleFields(c, ctx);
  registerAddSchedule(schedule, ctx);
  const range = (c: Command) =>
    c
      .option('--day <date>', ctx.t(m('某一天（默认今天）', 'one day (default today)')))
      .option('--week <date>', ctx.t(m('该日所在的一周（周一至周日）', 'the week (Monday–Sunday) of this date')))
      .option('--from <date>', ctx.t(m('起始日期', 'first date')))
      .option('--to <date>', ctx.t(m('结束日期', 'last date')))
      .option('--for <user>', ctx.t(m('团队成员的日程（经理）', "a team member's schedule (managers)")))
      .option('--all', ctx.t(m('包括已取消', 'include cancelled entries')));
  range(
    verb(schedule, ctx, 'list', m('日视图或周视图', 'day or week view'), [
      'crm schedule list',
      'crm schedule list --week 2026-11-23',
    ]),
  ).action(act(ctx, parseListScheduleOptions, runListSchedule));
  verb(schedule, ctx, 'show <id>', m('查看日程', 'show a schedule entry')).action(
    act(ctx, parseScheduleId, runShowSchedule),
  );
  fields(
    verb(schedule, ctx, 'edit <id>', m('修改日程', 'change a schedule entry'))
      .option('--title <text>', ctx.t(m('标题', 'title')))
      .option('--start <time>', ctx.t(m('开始时间', 'start'))),
  ).action(act(ctx, parseEditScheduleOptions, runEditSchedule));
  verb(schedule, ctx, 'cancel <id>', m('取消日程', 'cancel a schedule entry')).action(
    act(ctx, parseScheduleId, runCancelSchedule),
  );
  range(
    verb(
      schedule,
      ctx,
      'export',
      m(
        '导出 iCalendar 文件（Outlook、Apple、Google 日历可导入）',
        'export an iCalendar file (Outlook, Apple and Google calendars import it)',
      ),
      ['crm schedule export --out my.ics', 'crm schedule export --from 2026-11-01 --to 2026-12-31 --out q4.ics'],
    ),
  )
    .requiredOption('--out <file>', ctx.t(m('输出文件（- 为标准输出）', 'output file (- for stdout)')))
    .action(act(ctx, parseExportScheduleOptions, runExportSchedule));
  return schedule;
}
