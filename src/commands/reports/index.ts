import type { Command } from 'commander';
import { act, group, intOption, type Opts, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderRows } from '../../cli/output.js';
import type { ReportModel } from '../../reports/model.js';
import type { ServiceContext } from '../../services/context.js';
import type { ReportOptions, TargetRecord } from '../../services/reports/index.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadRender = () => import('../../cli/report-output.js');
const loadReports = () => import('../../services/reports/index.js');
const loadServiceReports = () => import('../../services/service/reports.js');

function common(cmd: Command, ctx: CliContext, opts: { period?: boolean; owner?: boolean } = {}): Command {
  if (opts.period !== false) {
    cmd
      .option('--from <date>', ctx.t(m('起始业务日期 YYYY-MM-DD', 'first business date YYYY-MM-DD')))
      .option('--to <date>', ctx.t(m('结束业务日期 YYYY-MM-DD', 'last business date YYYY-MM-DD')))
      .option(
        '--period <preset>',
        ctx.t(
          m(
            '期间：this-month（默认）| last-month | this-quarter | this-year',
            'period: this-month (default) | last-month | this-quarter | this-year',
          ),
        ),
      );
  }
  if (opts.owner !== false) {
    cmd
      .option('--owner <user>', ctx.t(m('只看一位客户经理', 'one account manager only')))
      .option('--team <manager>', ctx.t(m('一位经理及其下属', 'a manager and everyone below them')));
  }
  return cmd
    .option('--out <file>', ctx.t(m('写入文件（.html 默认为 HTML）', 'write to a file (.html implies --format html)')))
    .option('--page-lines <n>', ctx.t(m('打印格式每页行数', 'lines per page of --format print')), intOption);
}

const reportOpts = (o: Opts): ReportOptions => ({
  from: o.from,
  to: o.to,
  period: o.period,
  owner: o.owner,
  team: o.team,
});

type ReportsService = Awaited<ReturnType<typeof loadReports>>;

/** An action that builds one report with the reports service (loaded only when the verb runs) and renders it. */
function runner(
  ctx: CliContext,
  build: (reports: ReportsService, svc: ServiceContext, o: Opts) => Promise<ReportModel>,
) {
  return act(ctx, async (o) => {
    const [reports, { renderReport }] = await Promise.all([loadReports(), loadRender()]);
    const svc = await ctx.services();
    renderReport(ctx, await build(reports, svc, o), { out: o.out, pageLines: o.pageLines });
  });
}

export function registerReports(program: Command, ctx: CliContext): Command {
  const cmd = group(
    program,
    ctx,
    'reports',
    {
      zh: '报表：销售漏斗、业绩、排名、客户分级与画像、回款账龄',
      en: 'reports: funnel, performance, rankings, grading and portraits, receivables ageing',
    },
    [
      'crm reports funnel',
      'crm reports performance --period last-month --team carol',
      'crm reports ranking --by receipts --top 5',
      'crm reports performance --format html --out performance.html',
    ],
  );

  common(
    verb(
      cmd,
      ctx,
      'funnel',
      m(
        '销售漏斗：各阶段商机数、金额、加权金额，转化率、赢单率、预测',
        'sales funnel: opportunities per stage, weighted amounts, conversion, win rate, forecast',
      ),
      ['crm reports funnel --period this-quarter', 'crm reports funnel --json'],
    ),
    ctx,
  ).action(runner(ctx, (reports, svc, o) => reports.funnelReport(svc, reportOpts(o))));

  common(
    verb(
      cmd,
      ctx,
      'service',
      m(
        '客户服务：按类型与优先级（或 --by handler 按处理人）受理、解决、未结、超时、达标率、解决工时、满意度',
        'customer service per kind and priority (or --by handler): received, resolved, open, breached, met %, hours to resolve, satisfaction',
      ),
      [
        'crm reports service --from 2026-11-01 --to 2026-11-30',
        'crm reports service --by handler --format html --out service.html',
      ],
    ),
    ctx,
  )
    .option('--by <what>', 'kind | handler', 'kind')
    .action(
      act(ctx, async (o) => {
        const [{ serviceReport }, { renderReport }] = await Promise.all([loadServiceReports(), loadRender()]);
        renderReport(ctx, await serviceReport(await ctx.services(), { ...reportOpts(o), by: o.by }), {
          out: o.out,
          pageLines: o.pageLines,
        });
      }),
    );

  common(
    verb(
      cmd,
      ctx,
      'satisfaction',
      m('客户满意度月度趋势（回访与调查）', 'monthly satisfaction trend (return visits and surveys)'),
      ['crm reports satisfaction --months 12', 'crm reports satisfaction --format html --out satisfaction.html'],
    ),
    ctx,
    { period: false },
  )
    .option('--months <n>', ctx.t(m('最近几个月（默认 12）', 'how many months back (default 12)')), intOption, 12)
    .action(
      act(ctx, async (o) => {
        const [{ satisfactionReport }, { renderReport }] = await Promise.all([loadServiceReports(), loadRender()]);
        renderReport(ctx, await satisfactionReport(await ctx.services(), { ...reportOpts(o), months: o.months }), {
          out: o.out,
          pageLines: o.pageLines,
        });
      }),
    );

  common(
    verb(
      cmd,
      ctx,
      'performance',
      m(
        '客户经理业绩：新增客户、跟进、订单、回款、退款、净回款',
        'per account manager: new customers, follow-ups, orders, receipts, refunds, net received',
      ),
      ['crm reports performance --from 2026-11-01 --to 2026-11-30', 'crm reports performance --team carol --csv'],
    ),
    ctx,
  ).action(runner(ctx, (reports, svc, o) => reports.performanceReport(svc, reportOpts(o))));

  common(
    verb(cmd, ctx, 'ranking', m('排名（默认前 10）', 'ranking (top 10 by default)'), [
      'crm reports ranking --by orders-amount',
      'crm reports ranking --by products-sold --top 3',
    ]),
    ctx,
  )
    .option('--by <metric>', 'orders-amount | receipts | new-customers | followups | products-sold', 'orders-amount')
    .option('--top <n>', ctx.t(m('显示前 N 名', 'show the first N')), intOption, 10)
    .action(runner(ctx, (reports, svc, o) => reports.rankingReport(svc, { ...reportOpts(o), by: o.by, top: o.top })));

  common(
    verb(
      cmd,
      ctx,
      'grading',
      m(
        '客户分级 A–E 分布及销售占比；--grade 列出该级客户',
        'A–E distribution and share of sales; --grade lists that grade’s customers',
      ),
      ['crm reports grading', 'crm reports grading --grade A --top 20'],
    ),
    ctx,
  )
    .option('--grade <grade>', ctx.t(m('列出某一级的客户', 'list the customers of one grade')))
    .option('--top <n>', ctx.t(m('最多列出 N 个客户', 'at most N customers')), intOption)
    .action(
      runner(ctx, (reports, svc, o) => reports.gradingReport(svc, { ...reportOpts(o), grade: o.grade, top: o.top })),
    );

  common(
    verb(
      cmd,
      ctx,
      'portrait',
      m(
        '客户画像：按行业、地区、来源或等级的客户数与销售额',
        'customer portrait: customers and sales per industry, region, source or grade',
      ),
      ['crm reports portrait --by region'],
    ),
    ctx,
  )
    .option('--by <field>', 'industry | region | source | grade', 'industry')
    .action(runner(ctx, (reports, svc, o) => reports.portraitReport(svc, { ...reportOpts(o), by: o.by })));

  common(
    verb(
      cmd,
      ctx,
      'products',
      m('产品销售：数量、金额，最好与最差', 'product sales: quantity and amount, best and worst'),
      ['crm reports products --top 10', 'crm reports products --bottom 5', 'crm reports products --by category'],
    ),
    ctx,
  )
    .option('--by <level>', 'product | category', 'product')
    .option('--top <n>', ctx.t(m('最好的 N 个', 'the best N')), intOption)
    .option('--bottom <n>', ctx.t(m('最差的 N 个', 'the worst N')), intOption)
    .action(
      runner(ctx, (reports, svc, o) =>
        reports.productsReport(svc, { ...reportOpts(o), by: o.by, top: o.top, bottom: o.bottom }),
      ),
    );

  common(
    verb(cmd, ctx, 'targets', m('月度目标与实际、完成率', 'monthly targets against actuals, completion'), [
      'crm reports targets --period this-quarter',
    ]),
    ctx,
  ).action(runner(ctx, (reports, svc, o) => reports.targetsReport(svc, reportOpts(o))));

  common(
    verb(
      cmd,
      ctx,
      'receivables',
      m(
        '应收未收与逾期账龄（0–30、31–60、61–90、90 天以上）',
        'outstanding receivables and overdue ageing (0-30, 31-60, 61-90, over 90 days)',
      ),
      ['crm reports receivables --as-of 2026-11-30'],
    ),
    ctx,
    { period: false },
  )
    .option('--as-of <date>', ctx.t(m('截至日期（默认今天）', 'as of this date (default today)')))
    .action(
      runner(ctx, (reports, svc, o) => reports.receivablesReport(svc, { owner: o.owner, team: o.team, asOf: o.asOf })),
    );

  common(
    verb(
      cmd,
      ctx,
      'pool',
      m(
        '公海统计：每月退回、释放、领取、分配，当前公海客户数',
        'public pool: returned, released, claimed, assigned per month; pool size now',
      ),
      ['crm reports pool --period this-year'],
    ),
    ctx,
  ).action(runner(ctx, (reports, svc, o) => reports.poolReport(svc, reportOpts(o))));

  common(
    verb(
      cmd,
      ctx,
      'settlement',
      m(
        '清算日报：每日待清算与已清算金额、清算文件、凭证',
        'settlement per day: pending and cleared totals by kind, files, vouchers',
      ),
      [
        'crm reports settlement --from 2026-11-01 --to 2026-11-30',
        'crm reports settlement --period this-month --format print',
      ],
    ),
    ctx,
    { owner: false },
  ).action(
    runner(ctx, (reports, svc, o) => reports.settlementReport(svc, { from: o.from, to: o.to, period: o.period })),
  );

  common(
    verb(
      cmd,
      ctx,
      'visits',
      m('拜访统计：每位拜访人按目的、结果计数，费用', 'visits per user by purpose and result, with expenses'),
      ['crm reports visits --from 2026-11-01 --to 2026-11-30', 'crm reports visits --period this-month --format print'],
    ),
    ctx,
  ).action(
    act(ctx, async (o) => {
      const [{ visitStats }, { buildVisitStats }, { renderReport }] = await Promise.all([
        import('../../services/office/visits.js'),
        import('../../reports/visits.js'),
        loadRender(),
      ]);
      const svc = await ctx.services();
      const stats = await visitStats(svc, reportOpts(o));
      renderReport(
        ctx,
        buildVisitStats({ from: stats.from, to: stats.to, owner: o.owner ?? null, team: o.team ?? null }, stats.rows),
        { out: o.out, pageLines: o.pageLines },
      );
    }),
  );

  common(
    verb(
      cmd,
      ctx,
      'approvals',
      m(
        '审批统计：--by type 按类型与状态（默认）、approver 按审批人、spending 报销招待礼品的预算与实际',
        'approvals: --by type (counts per status, the default), approver, or spending (budgets against actual)',
      ),
      ['crm reports approvals --from 2026-11-01 --to 2026-11-30', 'crm reports approvals --by spending --format csv'],
    ),
    ctx,
    { owner: false },
  )
    .option('--by <view>', 'type | approver | spending')
    .action(
      act(ctx, async (o) => {
        const [{ approvalsReport }, { renderReport }] = await Promise.all([
          import('../../services/approvals/report.js'),
          loadRender(),
        ]);
        const model = await approvalsReport(await ctx.services(), {
          from: o.from,
          to: o.to,
          period: o.period,
          by: o.by,
        });
        renderReport(ctx, model, { out: o.out, pageLines: o.pageLines });
      }),
    );

  registerTargets(program, ctx);
  return cmd;
}

const targetColumns: Column<TargetRecord>[] = [
  { key: 'user', label: m('用户', 'user') },
  { key: 'month', label: m('月份', 'month') },
  { key: 'ordersAmount', label: m('订单金额目标', 'orders amount'), align: 'right' },
  { key: 'receipts', label: m('回款目标', 'receipts'), align: 'right' },
];

/** `crm targets set|list`: monthly targets per user (the `reports targets` report compares them). */
function registerTargets(program: Command, ctx: CliContext): void {
  const targets = group(program, ctx, 'targets', m('月度业绩目标', 'monthly targets'), [
    'crm targets set bob --month 2026-11 --orders-amount 500000 --receipts 300000',
    'crm targets list --month 2026-11',
  ]);
  verb(
    targets,
    ctx,
    'set <user>',
    m(
      '设置一位用户某月的目标（管理员，或经理为其团队）',
      'set a user’s targets for a month (admins, or managers for their team)',
    ),
  )
    .requiredOption('--month <YYYY-MM>', ctx.t(m('月份', 'month')))
    .option('--orders-amount <yuan>', ctx.t(m('订单金额目标（元）', 'orders amount target (yuan)')))
    .option('--receipts <yuan>', ctx.t(m('回款目标（元）', 'receipts target (yuan)')))
    .action(
      act<[string]>(ctx, async (user, o) => {
        const { setTarget } = await loadReports();
        const svc = await ctx.services();
        const t = await setTarget(svc, { user, month: o.month, ordersAmount: o.ordersAmount, receipts: o.receipts });
        if (ctx.json) return printJson(ctx, t);
        ctx.out(
          ctx.t(
            m(
              '已设置 {user} {month} 的目标：订单 {orders} 元，回款 {receipts} 元',
              'targets of {user} for {month}: orders {orders}, receipts {receipts}',
            ),
            {
              user: t.user,
              month: t.month,
              orders: t.ordersAmount,
              receipts: t.receipts,
            },
          ),
        );
      }),
    );
  verb(targets, ctx, 'list', m('列出目标（默认今年）', 'list targets (this year by default)'))
    .option('--month <YYYY-MM>', ctx.t(m('只看一个月', 'one month only')))
    .option('--period <preset>', ctx.t(m('期间', 'period')))
    .option('--from <date>', ctx.t(m('起始日期', 'first date')))
    .option('--to <date>', ctx.t(m('结束日期', 'last date')))
    .option('--owner <user>', ctx.t(m('只看一位用户', 'one user only')))
    .option('--team <manager>', ctx.t(m('一位经理及其下属', 'a manager and their team')))
    .action(
      act(ctx, async (o) => {
        const { listTargets } = await loadReports();
        const svc = await ctx.services();
        renderRows(ctx, targetColumns, await listTargets(svc, { ...reportOpts(o), month: o.month }), {
          empty: m('没有目标', 'no targets'),
        });
      }),
    );
}
