import type { Command } from 'commander';
import { act, group, intOption, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson } from '../../cli/output.js';
import { formatYuan } from '../../domain/money.js';
import { parseSettlementKind, type SettlementKind } from '../../domain/settlement/kind.js';
import { summaryModel } from '../../reports/settlement-lists.js';
import { STATUS_LABEL } from '../../services/settlement/common.js';
import { renderList, summaryJson } from './render.js';
import { loadSettlement } from './shared.js';

export interface SummaryGenerateOptions {
  date: string;
  /** pending | cleared (the service checks it). */
  status: string;
}

export function parseSummaryGenerateOptions(_args: string[], raw: RawOptions): SummaryGenerateOptions {
  return { date: String(raw.date), status: String(raw.status) };
}

export async function runSummaryGenerate(ctx: CliContext, opts: SummaryGenerateOptions): Promise<void> {
  const { generateSummary } = await loadSettlement();
  const svc = await ctx.services();
  const s = await generateSummary(svc, opts);
  if (ctx.json) return printJson(ctx, summaryJson(s));
  ctx.out(
    ctx.t(
      m(
        '已生成 {date} {status} 汇总清单：{rows} 行，{count} 笔，{total} 元',
        'generated the {status} list of {date}: {rows} rows, {count} transactions, {total} yuan',
      ),
      {
        date: s.date,
        status: ctx.t(STATUS_LABEL[s.status]),
        rows: s.rows.length,
        count: s.count,
        total: formatYuan(s.totalFen),
      },
    ),
  );
}

export interface SummaryShowOptions {
  date: string;
  status: string;
  kind?: SettlementKind;
  unit?: string;
  /** Lines per printed page; absent: the setting `settlement.pageLines`. */
  pageLines?: number;
}

export function parseSummaryShowOptions(_args: string[], raw: RawOptions): SummaryShowOptions {
  return {
    date: String(raw.date),
    status: String(raw.status),
    kind: kindOption(stringOption(raw, 'kind')),
    unit: stringOption(raw, 'unit'),
    pageLines: typeof raw.pageLines === 'number' ? raw.pageLines : undefined,
  };
}

export async function runSummaryShow(ctx: CliContext, opts: SummaryShowOptions): Promise<void> {
  const { showSummary } = await loadSettlement();
  const svc = await ctx.services();
  const s = await showSummary(svc, { date: opts.date, status: opts.status, kind: opts.kind, unit: opts.unit });
  if (s.rows.length === 0 && !ctx.json) {
    ctx.out(
      ctx.t(
        m(
          '{date} 的{status}汇总清单为空（生成于 {at}）',
          'the {status} summary list of {date} is empty (generated {at})',
        ),
        {
          date: s.date,
          status: ctx.t(STATUS_LABEL[s.status]),
          at: ctx.localTime(s.generatedAt),
        },
      ),
    );
    return;
  }
  await renderList(ctx, svc, summaryModel(s, opts.kind), summaryJson(s), opts.pageLines);
}

export function registerSummaryGenerate(
  summary: Command,
  ctx: CliContext,
  run: RunVerb<SummaryGenerateOptions> = runSummaryGenerate,
): Command {
  return verb(
    summary,
    ctx,
    'generate',
    m('生成（或重新生成）汇总清单快照', 'generate (or regenerate) a summary list snapshot'),
    ['crm settlement summary generate --date 2026-11-23 --status pending'],
  )
    .requiredOption('--date <date>', ctx.t(m('日期', 'date')))
    .requiredOption('--status <status>', 'pending | cleared')
    .action(act(ctx, parseSummaryGenerateOptions, run));
}

export function registerSummaryShow(
  summary: Command,
  ctx: CliContext,
  run: RunVerb<SummaryShowOptions> = runSummaryShow,
): Command {
  return verb(
    summary,
    ctx,
    'show',
    m('查询汇总清单（按类型、一级单位）', 'show a summary list (by kind, by first-level unit)'),
    [
      'crm settlement summary show --date 2026-11-23 --status pending --kind payment',
      'crm settlement summary show --date 2026-11-23 --status cleared --format print',
    ],
  )
    .requiredOption('--date <date>', ctx.t(m('日期', 'date')))
    .requiredOption('--status <status>', 'pending | cleared')
    .option('--kind <kind>', 'payment|划款 | refund|退款')
    .option('--unit <code>', ctx.t(m('一级单位编码', 'first-level unit code')))
    .option('--page-lines <n>', ctx.t(m('打印每页行数', 'lines per printed page')), intOption)
    .action(act(ctx, parseSummaryShowOptions, run));
}

/** `crm settlement summary generate | show`. */
export function registerSummary(settlement: Command, ctx: CliContext): Command {
  const summary = group(
    settlement,
    ctx,
    'summary',
    m('财政拨付划款汇总清单', 'the summary list (财政拨付划款汇总清单)'),
  );
  registerSummaryGenerate(summary, ctx);
  registerSummaryShow(summary, ctx);
  return summary;
}

const kindOption = (value: string | undefined) => (value === undefined ? undefined : parseSettlementKind(value));
