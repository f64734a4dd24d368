import type { Command } from 'commander';
import { act, group, intOption, type RawOptions, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderRows } from '../../cli/output.js';
import type { CarePlan } from '../../services/service/care.js';

const loadCare = () => import('../../services/service/care.js');

export interface AddCareOptions {
  name: string;
  rule: string;
  every?: string;
  grade?: string;
  method?: string;
}

export function parseAddCare(_args: string[], raw: RawOptions): AddCareOptions {
  return {
    name: stringOption(raw, 'name') ?? '',
    rule: stringOption(raw, 'rule') ?? '',
    every: stringOption(raw, 'every'),
    grade: stringOption(raw, 'grade'),
    method: stringOption(raw, 'method'),
  };
}

export async function runAddCare(ctx: CliContext, o: AddCareOptions): Promise<void> {
  const plan = await (await loadCare()).addCarePlan(await ctx.services(), o);
  if (ctx.json) {
    printJson(ctx, plan);
    return;
  }
  ctx.out(ctx.t(m('关怀计划 {id}（{name}）已添加', 'care plan {id} ({name}) added'), { id: plan.id, name: plan.name }));
}

const planColumns = [
  { key: 'id', label: m('编号', 'id'), align: 'right' as const },
  { key: 'name', label: m('名称', 'name') },
  { key: 'rule', label: m('规则', 'rule') },
  { key: 'every', label: m('周期', 'every') },
  { key: 'grade', label: m('等级', 'grade') },
  { key: 'method', label: m('方式', 'method') },
  { key: 'active', label: m('启用', 'active') },
];

export function registerCare(program: Command, ctx: CliContext): Command {
  const care = group(
    program,
    ctx,
    'care',
    m(
      '客户关怀计划：到期的关怀联系由每日作业生成为待跟进',
      'care plans: the daily job makes due care contacts as due follow-ups',
    ),
    [
      'crm care add --name "A 类客户季度关怀" --rule periodic --every quarter --grade A --method visit',
      'crm care add --name "首单周年" --rule anniversary',
      'crm jobs run care-plans --date 2026-11-23',
    ],
  );
  verb(care, ctx, 'add', m('添加关怀计划', 'add a care plan'), [
    'crm care add --name "A 类客户季度关怀" --rule periodic --every quarter --grade A',
  ])
    .requiredOption('--name <text>', ctx.t(m('名称', 'name')))
    .requiredOption('--rule <rule>', 'periodic | anniversary')
    .option('--every <period>', 'month | quarter | year (periodic)')
    .option('--grade <g>', ctx.t(m('只针对该等级客户', 'only customers of this grade')))
    .option('--method <m>', 'phone | visit | email | sms | meeting', 'phone')
    .action(act(ctx, parseAddCare, runAddCare));
  verb(care, ctx, 'list', m('列出关怀计划', 'list care plans'), ['crm care list']).action(
    act(
      ctx,
      () => ({}),
      async (c) => {
        renderRows<CarePlan>(c, planColumns, await (await loadCare()).listCarePlans(await c.services()), {
          empty: m('没有关怀计划', 'no care plans'),
        });
      },
    ),
  );
  for (const [name, active] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    verb(
      care,
      ctx,
      `${name} <id>`,
      active ? m('启用关怀计划', 'enable a care plan') : m('停用关怀计划', 'disable a care plan'),
      [`crm care ${name} 1`],
    ).action(
      act(
        ctx,
        (args) => ({ id: Number(args[0]) }),
        async (c, o: { id: number }) => {
          const plan = await (await loadCare()).setCarePlanActive(await c.services(), o.id, active);
          if (c.json) {
            printJson(c, plan);
            return;
          }
          c.out(
            c.t(
              active
                ? m('关怀计划 {id} 已启用', 'care plan {id} enabled')
                : m('关怀计划 {id} 已停用', 'care plan {id} disabled'),
              {
                id: plan.id,
              },
            ),
          );
        },
      ),
    );
  }
  verb(care, ctx, 'contacts', m('已生成的关怀联系', 'care contacts created'), ['crm care contacts --plan 1'])
    .option('--plan <id>', ctx.t(m('关怀计划编号', 'care plan id')), intOption)
    .action(
      act(
        ctx,
        (_a, raw) => ({ plan: raw.plan === undefined ? undefined : Number(raw.plan) }),
        async (c, o: { plan?: number }) => {
          renderRows(
            c,
            [
              { key: 'plan', label: m('计划', 'plan'), align: 'right' },
              { key: 'planName', label: m('计划名称', 'plan name') },
              { key: 'customer', label: m('客户', 'customer') },
              { key: 'period', label: m('期间', 'period') },
              { key: 'dueDate', label: m('到期日', 'due') },
              { key: 'owner', label: m('负责人', 'owner') },
            ],
            await (await loadCare()).listCareContacts(await c.services(), o),
            { empty: m('没有关怀联系', 'no care contacts') },
          );
        },
      ),
    );
  return care;
}
