import type { Command } from 'commander';
import { act, group, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderDetails, renderRows } from '../../cli/output.js';
import { formatLocal, parseDateArg } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { formatYuan, parseYuan, yuanString } from '../../domain/money.js';
import { stageLabel } from '../../domain/stages.js';
import { OPPORTUNITY_STATUS, wordFor } from '../../domain/vocabulary.js';
import type { OpportunityRecord } from '../../services/orders/opportunities.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadOrdersOpportunities = () => import('../../services/orders/opportunities.js');

function parseId(text: string): number {
  if (!/^\d{1,9}$/.test(text)) {
    throw new CrmError('E6120', m(`商机编号无效：${text}`, `invalid opportunity id: ${text}`), ExitCode.usage);
  }
  return Number(text);
}

export function opportunityJson(o: OpportunityRecord) {
  return {
    id: o.id,
    customerCode: o.customerCode,
    customerName: o.customerName,
    name: o.name,
    amount: yuanString(o.amountFen),
    stage: o.stage,
    probability: o.probability,
    status: o.status,
    expectedCloseDate: o.expectedCloseDate,
    owner: o.owner,
    closedAt: o.closedAt,
    createdAt: o.createdAt,
    ...(o.history ? { history: o.history } : {}),
  };
}

/** Columns for people: stage names in the user's language (`--json` keeps the stable keys). */
const columns = (ctx: CliContext): Column<OpportunityRecord>[] => [
  { key: 'id', label: m('编号', 'id'), align: 'right' },
  { key: 'customerCode', label: m('客户', 'customer') },
  { key: 'name', label: m('名称', 'name') },
  { key: 'amount', label: m('金额', 'amount'), align: 'right', value: (o) => yuanString(o.amountFen) },
  { key: 'stage', label: m('阶段', 'stage'), value: (o) => ctx.t(stageLabel(o.stage)) },
  { key: 'probability', label: m('概率%', 'probability %'), align: 'right' },
  { key: 'status', label: m('状态', 'status'), words: OPPORTUNITY_STATUS },
  { key: 'expectedCloseDate', label: m('预计成交', 'expected close') },
  { key: 'owner', label: m('负责人', 'owner') },
];

async function printOpportunity(ctx: CliContext, o: OpportunityRecord): Promise<void> {
  if (ctx.json) {
    printJson(ctx, opportunityJson(o));
    return;
  }
  renderDetails(
    ctx,
    [
      [m('编号', 'id'), o.id],
      [m('客户', 'customer'), `${o.customerCode} ${o.customerName}`],
      [m('名称', 'name'), o.name],
      [m('金额', 'amount'), formatYuan(o.amountFen)],
      [m('阶段', 'stage'), `${ctx.t(stageLabel(o.stage))} (${o.probability}%)`],
      [m('状态', 'status'), wordFor(ctx.lang, OPPORTUNITY_STATUS, o.status)],
      [m('预计成交', 'expected close'), o.expectedCloseDate],
      [m('负责人', 'owner'), o.owner],
    ],
    null,
  );
  // Times as people read them: the business time zone, whatever TZ the machine has.
  const timeZone = await (await ctx.services()).settings.get<string>('timezone');
  for (const h of o.history ?? []) {
    const from = h.from ? ctx.t(stageLabel(h.from)) : '-';
    ctx.out(
      `  ${formatLocal(new Date(h.at), timeZone)}  ${from} -> ${ctx.t(stageLabel(h.to))} (${h.probability}%)  ${h.user ?? ''}`,
    );
  }
}

export function registerOpportunities(program: Command, ctx: CliContext): Command {
  const opps = group(
    program,
    ctx,
    'opportunities',
    m('销售机会（商机）：阶段、概率与阶段历史', 'sales opportunities: stages, probabilities and stage history'),
    [
      'crm opportunities add --customer C001 --name "机房扩容" --amount 300000 --stage Proposal',
      'crm opps stage 1 Negotiation',
    ],
  ).alias('opps');

  verb(opps, ctx, 'add', m('登记商机', 'add an opportunity'))
    .requiredOption('--customer <code>', ctx.t(m('客户编码', 'customer code')))
    .requiredOption('--name <text>', ctx.t(m('名称', 'name')))
    .requiredOption('--amount <yuan>', ctx.t(m('预计金额（元）', 'expected amount in yuan')))
    .option('--stage <name>', ctx.t(m('阶段（默认第一个阶段）', 'stage (default: the first)')))
    .option('--close-date <date>', ctx.t(m('预计成交日期', 'expected close date')))
    .option('--owner <user>', ctx.t(m('负责人（默认客户负责人）', "owner (default: the customer's owner)")))
    .action(
      act(ctx, async (opts) => {
        const { addOpportunity } = await loadOrdersOpportunities();
        const svc = await ctx.services();
        const o = await addOpportunity(svc, {
          customer: String(opts.customer),
          name: String(opts.name),
          amountFen: parseYuan(String(opts.amount), { field: '--amount' }),
          stage: opts.stage,
          closeDate: opts.closeDate ? parseDateArg(String(opts.closeDate), '--close-date') : undefined,
          owner: opts.owner,
        });
        if (ctx.json) {
          printJson(ctx, opportunityJson(o));
          return;
        }
        ctx.out(
          ctx.t(m('已登记商机 {id}：{name}（{stage} {p}%）', 'added opportunity {id}: {name} ({stage} {p}%)'), {
            id: o.id,
            name: o.name,
            stage: o.stage,
            p: o.probability,
          }),
        );
      }),
    );

  verb(opps, ctx, 'list', m('列出商机（按数据范围）', 'list opportunities (within your data scope)'))
    .option('--customer <code>', ctx.t(m('客户编码', 'customer code')))
    .option('--owner <user>', ctx.t(m('负责人', 'owner')))
    .option('--status <status>', 'open | won | lost')
    .option('--stage <name>', ctx.t(m('阶段', 'stage')))
    .action(
      act(ctx, async (opts) => {
        const { listOpportunities } = await loadOrdersOpportunities();
        const rows = await listOpportunities(await ctx.services(), opts);
        renderRows(ctx, columns(ctx), rows, {
          json: rows.map(opportunityJson),
          empty: m('没有商机', 'no opportunities'),
        });
      }),
    );

  verb(opps, ctx, 'show <id>', m('显示商机及阶段历史', 'show an opportunity and its stage history')).action(
    act<[string]>(ctx, async (id) => {
      const { showOpportunity } = await loadOrdersOpportunities();
      await printOpportunity(ctx, await showOpportunity(await ctx.services(), parseId(id)));
    }),
  );

  verb(
    opps,
    ctx,
    'stage <id> <stage>',
    m('改变阶段（记录时间与人）', 'move to a stage (time and user recorded)'),
  ).action(
    act<[string, string]>(ctx, async (id, stage) => {
      const { setStage } = await loadOrdersOpportunities();
      await printOpportunity(ctx, await setStage(await ctx.services(), parseId(id), stage));
    }),
  );
  verb(opps, ctx, 'won <id>', m('赢单', 'mark won')).action(
    act<[string]>(ctx, async (id) => {
      const { closeOpportunity } = await loadOrdersOpportunities();
      await printOpportunity(ctx, await closeOpportunity(await ctx.services(), parseId(id), true));
    }),
  );
  verb(opps, ctx, 'lost <id>', m('输单', 'mark lost')).action(
    act<[string]>(ctx, async (id) => {
      const { closeOpportunity } = await loadOrdersOpportunities();
      await printOpportunity(ctx, await closeOpportunity(await ctx.services(), parseId(id), false));
    }),
  );
  return opps;
}
