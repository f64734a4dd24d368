import type { Command } from 'commander';
import { act, group, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderDetails, renderRows } from '../../cli/output.js';
import type { SurveySummary } from '../../services/service/surveys.js';

const loadSurveys = () => import('../../services/service/surveys.js');

function printSurvey(ctx: CliContext, s: SurveySummary): void {
  renderDetails(
    ctx,
    [
      [m('编号', 'id'), s.id],
      [m('名称', 'name'), s.name],
      [
        m('条件', 'filters'),
        Object.entries(s.filters)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ') || '-',
      ],
      [m('邀请', 'invited'), s.invited],
      [m('回复', 'responded'), s.responded],
      [m('回复率', 'response rate'), `${s.responseRate}%`],
      [m('平均分', 'average'), s.average ?? '-'],
      [m('分布 1–5', 'scores 1–5'), Object.values(s.distribution).join(' / ')],
      [
        m('按等级', 'by grade'),
        s.byGrade.map((g) => `${g.grade}: ${g.responded}/${g.invited}${g.average ? ` ${g.average}` : ''}`).join('; '),
      ],
    ],
    s,
  );
}

export interface AddSurveyOptions {
  name: string;
  grade?: string;
  region?: string;
  industry?: string;
  owner?: string;
}

export function parseAddSurvey(_args: string[], raw: RawOptions): AddSurveyOptions {
  return {
    name: stringOption(raw, 'name') ?? '',
    grade: stringOption(raw, 'grade'),
    region: stringOption(raw, 'region'),
    industry: stringOption(raw, 'industry'),
    owner: stringOption(raw, 'owner'),
  };
}

export async function runAddSurvey(ctx: CliContext, o: AddSurveyOptions): Promise<void> {
  const s = await (await loadSurveys()).addSurvey(await ctx.services(), o);
  if (ctx.json) return printJson(ctx, s);
  ctx.out(
    ctx.t(m('调查 {id}（{name}）已创建：邀请 {n} 个客户', 'survey {id} ({name}) created: {n} customers invited'), {
      id: s.id,
      name: s.name,
      n: s.invited,
    }),
  );
}

export interface RespondSurveyOptions {
  survey: string;
  customer: string;
  score: string;
  comment?: string;
  replace: boolean;
}

export function parseRespondSurvey(args: string[], raw: RawOptions): RespondSurveyOptions {
  return {
    survey: args[0] ?? '',
    customer: stringOption(raw, 'customer') ?? '',
    score: stringOption(raw, 'score') ?? '',
    comment: stringOption(raw, 'comment'),
    replace: Boolean(raw.replace),
  };
}

export async function runRespondSurvey(ctx: CliContext, o: RespondSurveyOptions): Promise<void> {
  const r = await (await loadSurveys()).respondSurvey(await ctx.services(), o.survey, o);
  if (ctx.json) return printJson(ctx, r);
  ctx.out(
    ctx.t(
      r.replaced
        ? m(
            '调查 {survey}：客户 {customer} 的回答已更正为 {score} 分',
            'survey {survey}: {customer} now answers {score}',
          )
        : m('调查 {survey}：已记录客户 {customer} {score} 分', 'survey {survey}: {customer} answered {score}'),
      { survey: r.survey, customer: r.customer, score: r.score },
    ),
  );
}

export function registerSurveys(
  program: Command,
  ctx: CliContext,
  respond: RunVerb<RespondSurveyOptions> = runRespondSurvey,
): Command {
  const surveys = group(program, ctx, 'surveys', m('满意度调查', 'satisfaction surveys'), [
    'crm surveys add --name "2026 年度满意度调查" --grade A',
    'crm surveys respond 1 --customer 110101001 --score 5',
    'crm surveys show 1 --json',
  ]);
  verb(surveys, ctx, 'add', m('创建调查并邀请符合条件的客户', 'create a survey and invite the matching customers'), [
    'crm surveys add --name "A 类客户回访" --grade A --region 北京',
  ])
    .requiredOption('--name <text>', ctx.t(m('名称', 'name')))
    .option('--grade <g>', ctx.t(m('客户等级', 'customer grade')))
    .option('--region <r>', ctx.t(m('地区', 'region')))
    .option('--industry <i>', ctx.t(m('行业', 'industry')))
    .option('--owner <user>', ctx.t(m('负责人', 'owner')))
    .action(act(ctx, parseAddSurvey, runAddSurvey));
  verb(surveys, ctx, 'respond <survey>', m('记录一个客户的回答（1–5 分）', "record one customer's answer (1–5)"), [
    'crm surveys respond 1 --customer 110101001 --score 4 --comment "响应及时"',
  ])
    .requiredOption('--customer <code>', ctx.t(m('客户编码', 'customer code')))
    .requiredOption('--score <1..5>', ctx.t(m('满意度 1–5', 'score 1–5')))
    .option('--comment <text>', ctx.t(m('意见', 'comment')))
    .option('--replace', ctx.t(m('更正已有回答（记入审计）', 'replace an earlier answer (audited)')))
    .action(act(ctx, parseRespondSurvey, respond));
  verb(
    surveys,
    ctx,
    'show <survey>',
    m('回复率、平均分、分布、按等级', 'response rate, average, distribution, by grade'),
    ['crm surveys show 1 --json'],
  ).action(
    act(
      ctx,
      (args) => ({ survey: args[0] ?? '' }),
      async (c, o: { survey: string }) => {
        printSurvey(c, await (await loadSurveys()).showSurvey(await c.services(), o.survey));
      },
    ),
  );
  verb(surveys, ctx, 'list', m('列出调查', 'list surveys'), ['crm surveys list']).action(
    act(
      ctx,
      () => ({}),
      async (c) => {
        const rows = await (await loadSurveys()).listSurveys(await c.services());
        renderRows(
          c,
          [
            { key: 'id', label: m('编号', 'id'), align: 'right' },
            { key: 'name', label: m('名称', 'name') },
            { key: 'invited', label: m('邀请', 'invited'), align: 'right' },
            { key: 'responded', label: m('回复', 'responded'), align: 'right' },
            { key: 'responseRate', label: m('回复率%', 'rate %'), align: 'right' },
            { key: 'average', label: m('平均分', 'average'), align: 'right' },
          ],
          rows,
          { empty: m('没有调查', 'no surveys') },
        );
      },
    ),
  );
  return surveys;
}
