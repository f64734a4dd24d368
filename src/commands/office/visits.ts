import type { Command } from 'commander';
import { act, group, intOption, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderDetails, renderRows } from '../../cli/output.js';
import { yuanString } from '../../domain/money.js';
import type { PlanVisitInput, ReportVisitInput, VisitQuery, VisitRecord } from '../../services/office/visits.js';
import { idArg } from './shared.js';

const loadVisits = () => import('../../services/office/visits.js');

const columns: Column<VisitRecord>[] = [
  { key: 'id', label: m('编号', 'id'), align: 'right' },
  { key: 'date', label: m('日期', 'date') },
  { key: 'customerCode', label: m('客户', 'customer') },
  { key: 'customerName', label: m('客户名称', 'name') },
  { key: 'user', label: m('拜访人', 'by') },
  { key: 'purpose', label: m('目的', 'purpose') },
  { key: 'status', label: m('状态', 'status') },
  { key: 'result', label: m('结果', 'result') },
  { key: 'expense', label: m('费用', 'expense'), align: 'right' },
];

export type PlanVisitOptions = PlanVisitInput;

export function parsePlanVisitOptions(_args: string[], raw: RawOptions): PlanVisitOptions {
  return {
    customer: stringOption(raw, 'customer') ?? '',
    date: stringOption(raw, 'date'),
    purpose: stringOption(raw, 'purpose'),
    with: stringOption(raw, 'with'),
    notes: stringOption(raw, 'notes'),
  };
}

export async function runPlanVisit(ctx: CliContext, opts: PlanVisitOptions): Promise<void> {
  const { planVisit, PURPOSE_LABEL } = await loadVisits();
  const v = await planVisit(await ctx.services(), opts);
  if (ctx.json) return printJson(ctx, v);
  ctx.out(
    ctx.t(
      m('已计划拜访 {id}：{date} {name}（{code}），{purpose}', 'planned visit {id}: {date} {name} ({code}), {purpose}'),
      {
        id: v.id,
        date: v.date,
        name: v.customerName,
        code: v.customerCode,
        purpose: ctx.t(PURPOSE_LABEL[v.purpose]),
      },
    ),
  );
}

export interface ReportVisitOptions extends ReportVisitInput {
  id: number;
}

export function parseReportVisitOptions(args: string[], raw: RawOptions): ReportVisitOptions {
  return {
    id: idArg(args[0]),
    result: stringOption(raw, 'result') ?? '',
    notes: stringOption(raw, 'notes'),
    handled: stringOption(raw, 'handled'),
    open: stringOption(raw, 'open'),
    next: stringOption(raw, 'next'),
    expense: stringOption(raw, 'expense'),
    expenseItem: stringOption(raw, 'expenseItem'),
  };
}

export async function runReportVisit(ctx: CliContext, opts: ReportVisitOptions): Promise<void> {
  const { reportVisit, RESULT_LABEL } = await loadVisits();
  const { id, ...input } = opts;
  const v = await reportVisit(await ctx.services(), id, input);
  if (ctx.json) return printJson(ctx, v);
  ctx.out(
    ctx.t(m('已填报拜访 {id}：{result}；已登记跟进 {f}', 'reported visit {id}: {result}; follow-up {f} recorded'), {
      id: v.id,
      result: ctx.t(RESULT_LABEL[v.result!]),
      f: v.followupId ?? '-',
    }),
  );
}

export interface ListVisitsOptions extends VisitQuery {}

export function parseListVisitsOptions(_args: string[], raw: RawOptions): ListVisitsOptions {
  return {
    for: stringOption(raw, 'for'),
    team: Boolean(raw.team),
    from: stringOption(raw, 'from'),
    to: stringOption(raw, 'to'),
    status: stringOption(raw, 'status'),
  };
}

export async function runListVisits(ctx: CliContext, opts: ListVisitsOptions): Promise<void> {
  const { listVisits } = await loadVisits();
  renderRows(ctx, columns, await listVisits(await ctx.services(), opts), { empty: m('没有拜访', 'no visits') });
}

export interface VisitIdOptions {
  id: number;
}

export const parseVisitId = (args: string[]): VisitIdOptions => ({ id: idArg(args[0]) });

export async function runShowVisit(ctx: CliContext, opts: VisitIdOptions): Promise<void> {
  const { showVisit, PURPOSE_LABEL, RESULT_LABEL } = await loadVisits();
  const v = await showVisit(await ctx.services(), opts.id);
  renderDetails(
    ctx,
    [
      [m('编号', 'id'), v.id],
      [m('日期', 'date'), v.date],
      [m('客户', 'customer'), `${v.customerName}（${v.customerCode}）`],
      [m('拜访人', 'by'), v.user],
      [m('同行', 'with'), v.companion],
      [m('目的', 'purpose'), ctx.t(PURPOSE_LABEL[v.purpose])],
      [m('状态', 'status'), v.status],
      [m('结果', 'result'), v.result ? ctx.t(RESULT_LABEL[v.result]) : null],
      [m('洽谈内容', 'notes'), v.notes],
      [m('已处理问题', 'problems handled'), v.problemsHandled],
      [m('待处理问题', 'problems open'), v.problemsOpen],
      [m('下次拜访', 'next'), v.next],
      [m('费用', 'expense'), `${v.expense}${v.expenseItem ? ` ${v.expenseItem}` : ''}`],
      [m('跟进记录', 'follow-up'), v.followupId],
    ],
    v,
  );
}

export async function runCancelVisit(ctx: CliContext, opts: VisitIdOptions): Promise<void> {
  const { cancelVisit } = await loadVisits();
  const v = await cancelVisit(await ctx.services(), opts.id);
  if (ctx.json) return printJson(ctx, v);
  ctx.out(ctx.t(m('已取消拜访 {id}', 'cancelled visit {id}'), { id: v.id }));
}

export interface DailyVisitsOptions {
  date?: string;
  for?: string;
  out?: string;
  pageLines?: number;
}

export function parseDailyVisitsOptions(_args: string[], raw: RawOptions): DailyVisitsOptions {
  return {
    date: stringOption(raw, 'date'),
    for: stringOption(raw, 'for'),
    out: stringOption(raw, 'out'),
    pageLines: raw.pageLines === undefined ? undefined : Number(raw.pageLines),
  };
}

/** 拜访日报表: `--json` is `{date, user, visits, expenseTotal}`; every other format renders the report model. */
export async function runDailyVisits(ctx: CliContext, opts: DailyVisitsOptions): Promise<void> {
  const [{ visitsDaily }, { buildVisitsDaily }, { renderReport }] = await Promise.all([
    loadVisits(),
    import('../../reports/visits.js'),
    import('../../cli/report-output.js'),
  ]);
  const daily = await visitsDaily(await ctx.services(), { date: opts.date, for: opts.for });
  if (ctx.json && !opts.out) {
    return printJson(ctx, {
      date: daily.date,
      user: daily.user,
      visits: daily.visits.map(({ expenseFen: _fen, ...v }) => v),
      expenseTotal: yuanString(daily.expenseTotalFen),
    });
  }
  renderReport(ctx, buildVisitsDaily(daily, ctx.lang), { out: opts.out, pageLines: opts.pageLines });
}

export function registerReportVisit(
  visits: Command,
  ctx: CliContext,
  run: RunVerb<ReportVisitOptions> = runReportVisit,
): Command {
  return verb(
    visits,
    ctx,
    'report <id>',
    m('填报拜访结果（同时登记一条跟进）', 'report a visit (also records a follow-up)'),
    ['crm visits report 1 --result A --notes "签订意向" --expense 120 --expense-item 招待'],
  )
    .requiredOption(
      '--result <r>',
      ctx.t(
        m(
          '结果：A 商谈成功 B 有希望 C 再度访问 D 无希望 E 继续观察',
          'result: A agreed, B promising, C visit again, D no prospect, E keep watching',
        ),
      ),
    )
    .option('--notes <text>', ctx.t(m('洽谈内容', 'what was discussed')))
    .option('--handled <text>', ctx.t(m('已处理的问题', 'problems handled')))
    .option('--open <text>', ctx.t(m('待处理的问题', 'problems left open')))
    .option('--next <date>', ctx.t(m('下次拜访日期（即下次跟进）', 'next visit date (the next follow-up)')))
    .option('--expense <yuan>', ctx.t(m('费用（元）', 'expense in yuan')))
    .option('--expense-item <text>', ctx.t(m('费用项目', 'expense item')))
    .action(act(ctx, parseReportVisitOptions, run));
}

export function registerDailyVisits(
  visits: Command,
  ctx: CliContext,
  run: RunVerb<DailyVisitsOptions> = runDailyVisits,
): Command {
  return verb(
    visits,
    ctx,
    'daily',
    m('拜访日报表（表格、CSV、JSON、打印、HTML）', 'the daily visit report (table, CSV, JSON, print, HTML)'),
    [
      'crm visits daily --date 2026-11-24',
      'crm visits daily --date 2026-11-24 --format print',
      'crm --user carol visits daily --for bob --out bob.html',
    ],
  )
    .option('--date <date>', ctx.t(m('日期（默认今天）', 'date (default today)')))
    .option('--for <user>', ctx.t(m('团队成员（经理）', 'a team member (managers)')))
    .option('--out <file>', ctx.t(m('写入文件（.html 默认为 HTML）', 'write to a file (.html implies --format html)')))
    .option('--page-lines <n>', ctx.t(m('打印格式每页行数', 'lines per page of --format print')), intOption)
    .action(act(ctx, parseDailyVisitsOptions, run));
}

export function registerVisits(program: Command, ctx: CliContext): Command {
  const visits = group(
    program,
    ctx,
    'visits',
    m('客户拜访：计划、填报、拜访日报表', 'customer visits: plan, report, the daily visit report'),
    [
      'crm visits plan --customer 110101 --date 2026-11-24 --purpose problem --with carol',
      'crm visits report 1 --result B --notes "演示新系统" --next 2026-12-01 --expense 36.5 --expense-item 交通',
      'crm visits daily --date 2026-11-24 --format print',
    ],
  );
  verb(visits, ctx, 'plan', m('计划拜访（区域拜访计划）', 'plan a visit'), [
    'crm visits plan --customer 110101 --date 2026-11-24 --purpose first',
  ])
    .requiredOption('--customer <code>', ctx.t(m('客户编码', 'customer code')))
    .option('--date <date>', ctx.t(m('拜访日期（默认今天）', 'visit date (default today)')))
    .option(
      '--purpose <p>',
      ctx.t(
        m(
          '目的：first 初次拜访 | problem 处理问题 | relationship 建立关系（默认）',
          'purpose: first | problem | relationship (default)',
        ),
      ),
    )
    .option('--with <user>', ctx.t(m('同行人', 'companion')))
    .option('--notes <text>', ctx.t(m('备注', 'notes')))
    .action(act(ctx, parsePlanVisitOptions, runPlanVisit));
  registerReportVisit(visits, ctx);
  verb(visits, ctx, 'list', m('列出拜访', 'list visits'), [
    'crm visits list --from 2026-11-01',
    'crm --user carol visits list --team',
  ])
    .option('--for <user>', ctx.t(m('团队成员（经理）', 'a team member (managers)')))
    .option('--team', ctx.t(m('整个团队（经理）', 'the whole team (managers)')))
    .option('--from <date>', ctx.t(m('起始日期', 'first date')))
    .option('--to <date>', ctx.t(m('结束日期', 'last date')))
    .option('--status <s>', 'planned | reported | cancelled')
    .action(act(ctx, parseListVisitsOptions, runListVisits));
  verb(visits, ctx, 'show <id>', m('查看拜访记录', 'show a visit')).action(act(ctx, parseVisitId, runShowVisit));
  verb(visits, ctx, 'cancel <id>', m('取消计划的拜访', 'cancel a planned visit')).action(
    act(ctx, parseVisitId, runCancelVisit),
  );
  registerDailyVisits(visits, ctx);
  return visits;
}
