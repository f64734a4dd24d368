import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { act, group, intOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderRows } from '../../cli/output.js';
import { businessDate, parseDateArg } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadCalendarService = () => import('../../services/calendar.js');

export function registerCalendar(program: Command, ctx: CliContext): void {
  const calendar = group(
    program,
    ctx,
    'calendar',
    m(
      '工作日历：法定节假日、调休与本地调整',
      'working-day calendar: PRC public holidays, make-up days and local overrides',
    ),
    [
      'crm calendar check today --json',
      'crm calendar show --year 2026',
      'crm calendar add 2007-09-22 --workday --reason "总中心周末开机维护"',
    ],
  );

  verb(
    calendar,
    ctx,
    'check <date>',
    m(
      '某天是否工作日，及前后工作日（date 可为 today）',
      'is a date a working day, and its previous and next working days (date may be "today")',
    ),
  ).action(
    act<[string]>(ctx, async (dateArg) => {
      const { loadCalendar } = await loadCalendarService();
      const svc = await ctx.services();
      const tz = await svc.settings.get<string>('timezone');
      const date = dateArg === 'today' ? businessDate(svc.clock.now(), tz) : parseDateArg(dateArg);
      const cal = await loadCalendar(svc.db);
      const info = cal.dayInfo(date);
      const result = {
        date,
        workingDay: info.workingDay,
        reason: ctx.t(info.reason),
        previousWorkingDay: cal.previousWorkingDay(date),
        nextWorkingDay: cal.nextWorkingDay(date),
      };
      if (ctx.json) return printJson(ctx, result);
      ctx.out(
        `${date} ${result.workingDay ? ctx.t(m('工作日', 'working day')) : ctx.t(m('非工作日', 'not a working day'))} (${result.reason})`,
      );
      ctx.out(`${ctx.t(m('上一工作日', 'previous working day'))}: ${result.previousWorkingDay}`);
      ctx.out(`${ctx.t(m('下一工作日', 'next working day'))}: ${result.nextWorkingDay}`);
    }),
  );

  verb(
    calendar,
    ctx,
    'show',
    m('列出一年中的非工作日与周末调休工作日', "list a year's days off and weekend working days"),
  )
    .option('--year <year>', ctx.t(m('年份（默认今年）', 'year (default: this year)')), intOption)
    .option('--all', ctx.t(m('列出全年每一天', 'list every day of the year')))
    .action(
      act(ctx, async (opts) => {
        const { loadCalendar } = await loadCalendarService();
        const svc = await ctx.services();
        const tz = await svc.settings.get<string>('timezone');
        const year = (opts.year as number | undefined) ?? Number(businessDate(svc.clock.now(), tz).slice(0, 4));
        const cal = await loadCalendar(svc.db);
        const days = cal.workingDaysBetween(`${year}-01-01`, `${year}-12-31`);
        const rows: { date: string; workingDay: boolean; reason: string }[] = [];
        // Walk the year; show the days that differ from a plain Monday-Friday week unless --all.
        for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
          const date = d.toISOString().slice(0, 10);
          const info = cal.dayInfo(date);
          const weekday = d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
          if (opts.all || info.workingDay !== weekday)
            rows.push({ date, workingDay: info.workingDay, reason: ctx.t(info.reason) });
        }
        renderRows(
          ctx,
          [
            { key: 'date', label: m('日期', 'date') },
            { key: 'workingDay', label: m('工作日', 'working day') },
            { key: 'reason', label: m('原因', 'reason') },
          ],
          rows,
          { json: { year, workingDays: days.length, days: rows } },
        );
        if (!ctx.json && ctx.format() === 'table')
          ctx.out(ctx.t(m('{year} 年共 {n} 个工作日', '{year}: {n} working days'), { year, n: days.length }));
      }),
    );

  verb(
    calendar,
    ctx,
    'add <date>',
    m(
      '登记本地调整：加班开机（--workday）或临时停业（--closure），需写原因',
      'declare a local override: an extra working day (--workday) or a closure (--closure), with a reason',
    ),
  )
    .option(
      '--workday',
      ctx.t(m('该日为工作日（如周末开机维护）', 'the date is a working day (e.g. weekend maintenance)')),
    )
    .option('--closure', ctx.t(m('该日停业', 'the date is closed')))
    .requiredOption('--reason <text>', ctx.t(m('原因', 'reason')))
    .action(
      act<[string]>(ctx, async (dateArg, opts) => {
        const { addOverride } = await loadCalendarService();
        if (Boolean(opts.workday) === Boolean(opts.closure)) {
          throw new CrmError(
            'E0002',
            { zh: '请指定 --workday 或 --closure 之一', en: 'give exactly one of --workday or --closure' },
            ExitCode.usage,
          );
        }
        const svc = await ctx.services();
        const o = await addOverride(svc, {
          date: parseDateArg(dateArg),
          kind: opts.workday ? 'workday' : 'closure',
          reason: String(opts.reason),
        });
        if (ctx.json) return printJson(ctx, o);
        ctx.out(
          ctx.t(m('已登记：{date} {kind}（{reason}）', 'recorded: {date} {kind} ({reason})'), {
            date: o.date,
            kind: o.kind,
            reason: o.reason,
          }),
        );
      }),
    );

  verb(calendar, ctx, 'remove <date>', m('删除一个本地调整', 'remove a local override')).action(
    act<[string]>(ctx, async (dateArg) => {
      const { removeOverride } = await loadCalendarService();
      const svc = await ctx.services();
      const removed = await removeOverride(svc, parseDateArg(dateArg));
      if (ctx.json) return printJson(ctx, { date: dateArg, removed });
      ctx.out(
        removed
          ? ctx.t(m('已删除 {date} 的调整', 'removed the override of {date}'), { date: dateArg })
          : ctx.t(m('{date} 没有本地调整', 'no override on {date}'), { date: dateArg }),
      );
    }),
  );

  verb(calendar, ctx, 'overrides', m('列出本地调整', 'list local overrides'))
    .option('--year <year>', ctx.t(m('年份', 'year')), intOption)
    .action(
      act(ctx, async (opts) => {
        const { listOverrides } = await loadCalendarService();
        const svc = await ctx.services();
        renderRows(
          ctx,
          [
            { key: 'date', label: m('日期', 'date') },
            { key: 'kind', label: m('类型', 'kind') },
            { key: 'reason', label: m('原因', 'reason') },
          ],
          await listOverrides(svc.db, opts.year as number | undefined),
        );
      }),
    );

  verb(
    calendar,
    ctx,
    'import <file>',
    m(
      '导入日历包未覆盖的年份（JSON：year、confirmed、notice、holidays、workdays；模板见 fixtures/calendar-template.json）',
      'import a year the calendar package does not cover (JSON: year, confirmed, notice, holidays, workdays; template: fixtures/calendar-template.json)',
    ),
    ['crm calendar import 2027.json --dry-run', 'crm calendar import 2027.json'],
  )
    .option('--dry-run', ctx.t(m('只显示会变化的日期，不写入', 'show the days that would change; write nothing')))
    .action(act<[string]>(ctx, (file, raw) => runCalendarImport(ctx, { file, dryRun: Boolean(raw.dryRun) })));

  verb(
    calendar,
    ctx,
    'status',
    m(
      '日历覆盖到哪一天、导入的年份与本地调整',
      'how far the calendar reaches, the imported years and the local overrides',
    ),
    ['crm calendar status', 'crm calendar status --json'],
  ).action(act(ctx, () => runCalendarStatus(ctx)));
}

export interface CalendarImportOptions {
  file: string;
  dryRun: boolean;
}

export async function runCalendarImport(ctx: CliContext, opts: CalendarImportOptions): Promise<void> {
  const { importYear } = await loadCalendarService();
  const full = path.resolve(ctx.cwd, opts.file);
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(full, 'utf8'));
  } catch (err) {
    throw new CrmError(
      'E1104',
      {
        zh: `无法读取日历文件 ${opts.file}：${(err as Error).message}`,
        en: `cannot read calendar file ${opts.file}: ${(err as Error).message}`,
      },
      ExitCode.unreadable,
    );
  }
  const svc = await ctx.services();
  const result = await importYear(svc, data, path.basename(full), { dryRun: opts.dryRun });
  if (ctx.json) {
    return printJson(ctx, {
      ...result,
      changes: result.changes.map((c) => ({ ...c, reason: ctx.t(c.reason) })),
    });
  }
  const dayWord = (w: boolean | null) =>
    w === null
      ? ctx.t(m('未覆盖', 'not covered'))
      : w
        ? ctx.t(m('工作日', 'working day'))
        : ctx.t(m('休息日', 'day off'));
  for (const c of result.changes) ctx.out(`${c.date}\t${dayWord(c.before)} -> ${dayWord(c.after)}\t${ctx.t(c.reason)}`);
  ctx.out(
    ctx.t(
      result.dryRun
        ? m(
            '试运行（未写入）：{year} 年 {h} 个节假日，{w} 个调休工作日，{n} 天与现在不同',
            'dry run (nothing written): {year} has {h} holidays, {w} make-up working days; {n} days change',
          )
        : m(
            '已导入 {year} 年：{h} 个节假日，{w} 个调休工作日',
            'imported {year}: {h} holidays, {w} make-up working days',
          ),
      { year: result.year, h: result.holidays, w: result.workdays, n: result.changes.length },
    ),
  );
}

export async function runCalendarStatus(ctx: CliContext): Promise<void> {
  const { calendarStatus } = await loadCalendarService();
  const svc = await ctx.services();
  const s = await calendarStatus(svc);
  if (ctx.json) {
    return printJson(ctx, {
      from: s.from,
      to: s.to,
      years: ctx.t(s.years),
      coveredThrough: s.coveredThrough,
      daysLeft: s.daysLeft,
      imported: s.imported,
      overrides: s.overrides,
      warning: s.warning ? ctx.t(s.warning) : null,
    });
  }
  ctx.out(`${ctx.t(m('覆盖范围', 'covered'))}: ${s.from} … ${s.to} (${ctx.t(s.years)})`);
  if (s.coveredThrough)
    ctx.out(
      ctx.t(m('从今天起连续覆盖到 {date}（还剩 {n} 天）', 'from today, covered through {date} ({n} days left)'), {
        date: s.coveredThrough,
        n: s.daysLeft ?? 0,
      }),
    );
  for (const y of s.imported) ctx.out(`${ctx.t(m('导入的年份', 'imported year'))}: ${y.year} (${y.source ?? '-'})`);
  ctx.out(`${ctx.t(m('本地调整', 'local overrides'))}: ${s.overrides.length}`);
  for (const o of s.overrides) ctx.out(`  ${o.date}\t${o.kind}\t${o.reason}`);
  if (s.warning) ctx.note(s.warning);
}
