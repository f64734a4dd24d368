import type { Command } from 'commander';
import { act, collect, listOption, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import type { SubmitInput } from '../../services/approvals/requests.js';
import { statusLine } from './render.js';
import { loadRequests } from './shared.js';

export type SubmitRequestOptions = SubmitInput;

export function parseSubmitRequestOptions(_args: string[], raw: RawOptions): SubmitRequestOptions {
  return {
    type: stringOption(raw, 'type') ?? '',
    title: stringOption(raw, 'title'),
    amount: stringOption(raw, 'amount'),
    from: stringOption(raw, 'from'),
    to: stringOption(raw, 'to'),
    customer: stringOption(raw, 'customer'),
    items: listOption(raw, 'item'),
    attendees: stringOption(raw, 'attendees'),
    note: stringOption(raw, 'note'),
    cc: listOption(raw, 'cc'),
  };
}

export async function runSubmitRequest(ctx: CliContext, opts: SubmitRequestOptions): Promise<void> {
  const { submitRequest } = await loadRequests();
  statusLine(ctx, await submitRequest(await ctx.services(), opts));
}

export function registerSubmitRequest(
  approvals: Command,
  ctx: CliContext,
  run: RunVerb<SubmitRequestOptions> = runSubmitRequest,
): Command {
  return verb(
    approvals,
    ctx,
    'submit',
    m(
      '提交申请：expense/loan 需 --amount；travel/leave/overtime 需 --from --to；reception/gift 需 --customer 与 --item；visit 需 --customer --from',
      'submit a request: expense/loan need --amount; travel/leave/overtime --from --to; reception/gift --customer and --item; visit --customer --from',
    ),
    [
      'crm approvals submit --type expense --title "11月北京出差报销" --amount 6200.00',
      'crm approvals submit --type leave --title "年假" --from 2026-12-01 --to 2026-12-03',
      'crm approvals submit --type reception --title "招待市财政局" --customer C001 --item 午餐:1500 --item 酒水:600 --attendees "张三,李四"',
      'crm approvals submit --type gift --title "新年礼品" --customer C001 --item 茶叶礼盒:4:1200',
    ],
  )
    .requiredOption(
      '--type <type>',
      'order | expense | travel | leave | overtime | loan | general | reception | gift | visit',
    )
    .option('--title <text>', ctx.t(m('标题', 'title')))
    .option('--amount <yuan>', ctx.t(m('金额（元）', 'amount (yuan)')))
    .option('--from <date>', ctx.t(m('开始日期', 'from date')))
    .option('--to <date>', ctx.t(m('结束日期', 'to date')))
    .option('--customer <code>', ctx.t(m('客户编码', 'customer code')))
    .option(
      '--item <spec>',
      ctx.t(m('明细 名称:预算 或 名称:数量:预算（可重复）', 'item NAME:BUDGET or NAME:QTY:BUDGET (repeatable)')),
      collect,
    )
    .option('--attendees <names>', ctx.t(m('同席人员（招待）', 'attendees (reception)')))
    .option('--note <text>', ctx.t(m('备注', 'note')))
    .option('--cc <user>', ctx.t(m('知会的用户（可重复）', 'user to copy (repeatable)')), collect)
    .action(act(ctx, parseSubmitRequestOptions, run));
}
