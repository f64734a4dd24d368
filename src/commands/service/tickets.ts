import type { Command } from 'commander';
import { act, group, intOption, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderDetails, renderRows } from '../../cli/output.js';
import {
  CHANNEL_LABELS,
  KIND_LABELS,
  PRIORITY_LABELS,
  STATUS_LABELS,
  STEP_LABELS,
} from '../../domain/service/tickets.js';
import type { TicketDetail, TicketRecord } from '../../services/service/tickets.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadTickets = () => import('../../services/service/tickets.js');

const label = <K extends string>(ctx: CliContext, labels: Record<K, { zh: string; en: string }>, key: string | null) =>
  key === null ? '' : labels[key as K] ? ctx.t(labels[key as K]) : key;

const metText = (ctx: CliContext, v: boolean | null) =>
  v === null ? '' : v ? ctx.t(m('达标', 'met')) : ctx.t(m('超时', 'breached'));

function columns(ctx: CliContext): Column<TicketRecord>[] {
  return [
    { key: 'number', label: m('工单号', 'number') },
    { key: 'receivedAt', label: m('受理时间', 'received'), time: true },
    { key: 'customer', label: m('客户', 'customer') },
    // Words in the terminal's table; TSV, CSV and JSON keep the codes scripts match on.
    { key: 'kind', label: m('类型', 'kind'), words: KIND_LABELS },
    { key: 'priority', label: m('优先级', 'priority'), words: PRIORITY_LABELS },
    { key: 'status', label: m('状态', 'status'), words: STATUS_LABELS },
    { key: 'handler', label: m('处理人', 'handler') },
    { key: 'title', label: m('标题', 'title') },
    { key: 'responseDue', label: m('响应时限', 'response due'), time: true },
    { key: 'responseMet', label: m('响应', 'response'), value: (r) => metText(ctx, r.responseMet) },
    { key: 'resolveDue', label: m('解决时限', 'resolve due'), time: true },
    { key: 'resolveMet', label: m('解决', 'resolution'), value: (r) => metText(ctx, r.resolveMet) },
    { key: 'revisitDue', label: m('回访日', 'revisit due') },
    { key: 'satisfaction', label: m('满意度', 'satisfaction'), align: 'right' },
  ];
}

/** `show`: the ticket's fields, then its history, one line a step. */
function printTicket(ctx: CliContext, t: TicketDetail): void {
  if (ctx.json) {
    printJson(ctx, t);
    return;
  }
  const lt = (v: string | null) => (v ? ctx.localTime(v).slice(0, 16) : '-');
  const fields: [{ zh: string; en: string }, string][] = [
    [m('工单号', 'number'), t.number],
    [m('客户', 'customer'), `${t.customer} ${t.customerName}`],
    [m('联系人', 'contact'), t.contact ?? '-'],
    [m('订单', 'order'), t.order ?? '-'],
    [m('类型', 'kind'), label(ctx, KIND_LABELS, t.kind)],
    [m('优先级', 'priority'), label(ctx, PRIORITY_LABELS, t.priority)],
    [m('渠道', 'channel'), t.channel ? label(ctx, CHANNEL_LABELS, t.channel) : '-'],
    [m('标题', 'title'), t.title],
    [m('状态', 'status'), label(ctx, STATUS_LABELS, t.status)],
    [m('处理人', 'handler'), t.handler ?? '-'],
    [m('受理时间', 'received'), lt(t.receivedAt)],
    [
      m('响应时限', 'respond by'),
      `${lt(t.responseDue)}${t.responseMet === null ? '' : ` (${metText(ctx, t.responseMet)})`}`,
    ],
    [
      m('解决时限', 'resolve by'),
      `${lt(t.resolveDue)}${t.resolveMet === null ? '' : ` (${metText(ctx, t.resolveMet)})`}`,
    ],
    [m('解决办法', 'resolution'), t.resolution ?? '-'],
    [m('改进措施', 'measures'), t.measures ?? '-'],
    [m('回访日', 'revisit due'), t.revisitDue ?? '-'],
    [m('满意度', 'satisfaction'), t.satisfaction === null ? '-' : String(t.satisfaction)],
  ];
  renderDetails(ctx, fields, t);
  ctx.out(ctx.t(m('处理记录：', 'history:')));
  for (const h of t.history) {
    const extra =
      h.step === 'escalated'
        ? ctx.t(m('{kind}超时，升级至 {to}', '{kind} overdue, escalated to {to}'), {
            kind: ctx.t(h.detail?.kind === 'response' ? m('响应', 'response') : m('解决', 'resolution')),
            to: String(h.detail?.to ?? ctx.t(m('（无上级）', '(no manager)'))),
          })
        : h.step === 'revisited'
          ? `${ctx.t(m('满意度', 'satisfaction'))} ${String(h.detail?.satisfaction)}${h.content ? `: ${h.content}` : ''}`
          : h.step === 'reopened' && h.detail?.byRevisit
            ? `${ctx.t(m('回访满意度 {score} ≤ {limit}', 'return-visit satisfaction {score} ≤ {limit}'), {
                score: String(h.detail.satisfaction),
                limit: String(h.detail.reopenAtOrBelow),
              })}${h.content ? `: ${h.content}` : ''}`
            : (h.content ?? '');
    ctx.out(`  ${lt(h.at)}  ${h.user}  ${ctx.t(STEP_LABELS[h.step])}${extra ? `  ${extra}` : ''}`);
  }
}

function printStep(ctx: CliContext, t: TicketDetail, done: { zh: string; en: string }): void {
  if (ctx.json) {
    printJson(ctx, t);
    return;
  }
  ctx.out(
    ctx.t(m('{number} {done}（状态：{status}）', '{number} {done} (status: {status})'), {
      number: t.number,
      done: ctx.t(done),
      status: label(ctx, STATUS_LABELS, t.status),
    }),
  );
}

// --- add ---------------------------------------------------------------------------------------------------

export interface AddOptions {
  customer: string;
  kind: string;
  priority: string;
  title: string;
  content: string;
  channel?: string;
  contact?: number;
  order?: string;
  at?: string;
}

export function parseAddOptions(_args: string[], raw: RawOptions): AddOptions {
  return {
    customer: stringOption(raw, 'customer') ?? '',
    kind: stringOption(raw, 'kind') ?? '',
    priority: stringOption(raw, 'priority') ?? 'normal',
    title: stringOption(raw, 'title') ?? '',
    content: stringOption(raw, 'content') ?? '',
    channel: stringOption(raw, 'channel'),
    contact: raw.contact === undefined ? undefined : Number(raw.contact),
    order: stringOption(raw, 'order'),
    at: stringOption(raw, 'at'),
  };
}

export async function runAdd(ctx: CliContext, opts: AddOptions): Promise<void> {
  const { addTicket } = await loadTickets();
  const t = await addTicket(await ctx.services(), opts);
  if (ctx.json) return printJson(ctx, t);
  ctx.out(
    ctx.t(
      m(
        '{number} 已受理：{kind}，{priority}，处理人 {handler}；响应时限 {response}，解决时限 {resolve}',
        '{number} received: {kind}, {priority}, handler {handler}; respond by {response}, resolve by {resolve}',
      ),
      {
        number: t.number,
        kind: label(ctx, KIND_LABELS, t.kind),
        priority: label(ctx, PRIORITY_LABELS, t.priority),
        handler: t.handler ?? '-',
        response: ctx.localTime(t.responseDue).slice(0, 16),
        resolve: ctx.localTime(t.resolveDue).slice(0, 16),
      },
    ),
  );
}

export function registerAdd(tickets: Command, ctx: CliContext, run: RunVerb<AddOptions> = runAdd): Command {
  return verb(
    tickets,
    ctx,
    'add',
    m(
      '受理投诉、故障、业务受理或咨询，立即编号',
      'take a complaint, fault, service request or enquiry: numbered at once',
    ),
    [
      'crm tickets add --customer 110101001 --kind complaint --priority high --title "划款延迟" --content "…"',
      'crm tickets add --customer 110101001 --kind 故障 --priority urgent --title "…" --content "…" --channel phone --at "2026-11-23 09:10"',
    ],
  )
    .requiredOption('--customer <code>', ctx.t(m('客户编码', 'customer code')))
    .requiredOption('--kind <kind>', 'complaint|fault|request|enquiry (投诉|故障|业务受理|咨询)')
    .option('--priority <p>', 'urgent|high|normal|low (紧急|高|普通|低)', 'normal')
    .requiredOption('--title <text>', ctx.t(m('标题', 'title')))
    .requiredOption('--content <text>', ctx.t(m('内容', 'content')))
    .option('--channel <c>', 'phone|visit|letter|email|web')
    .option('--contact <id>', ctx.t(m('联系人编号（该客户的）', 'contact id (of that customer)')), intOption)
    .option('--order <number>', ctx.t(m('相关订单号', 'related order number')))
    .option(
      '--at <time>',
      ctx.t(m('受理时间（默认现在，不能在未来）', 'when it came in (default: now; not in the future)')),
    )
    .action(act(ctx, parseAddOptions, run));
}

// --- simple steps: assign, respond, note, resolve, close, reopen, revisit ---------------------------------

export interface StepOptions {
  number: string;
  user?: string;
  content?: string;
  resolution?: string;
  measures?: string;
  reason?: string;
  satisfaction?: string;
  comment?: string;
}

export function parseStepOptions(args: string[], raw: RawOptions): StepOptions {
  return {
    number: args[0] ?? '',
    user: args[1],
    content: stringOption(raw, 'content'),
    resolution: stringOption(raw, 'resolution'),
    measures: stringOption(raw, 'measures'),
    reason: stringOption(raw, 'reason'),
    satisfaction: stringOption(raw, 'satisfaction'),
    comment: stringOption(raw, 'comment'),
  };
}

export async function runAssign(ctx: CliContext, o: StepOptions): Promise<void> {
  const t = await (await loadTickets()).assignTicket(await ctx.services(), o.number, o.user ?? '');
  printStep(ctx, t, m(`已分派给 ${t.handler}`, `assigned to ${t.handler}`));
}
export async function runRespond(ctx: CliContext, o: StepOptions): Promise<void> {
  const t = await (await loadTickets()).respondTicket(await ctx.services(), o.number, o.content ?? '');
  printStep(
    ctx,
    t,
    t.responseMet ? m('已响应（按时）', 'responded (in time)') : m('已响应（超时）', 'responded (late)'),
  );
}
export async function runNote(ctx: CliContext, o: StepOptions): Promise<void> {
  const t = await (await loadTickets()).noteTicket(await ctx.services(), o.number, o.content ?? '');
  printStep(ctx, t, m('已记录', 'noted'));
}
export async function runResolve(ctx: CliContext, o: StepOptions): Promise<void> {
  const t = await (await loadTickets()).resolveTicket(await ctx.services(), o.number, {
    resolution: o.resolution ?? '',
    measures: o.measures,
  });
  printStep(ctx, t, m(`已解决，${t.revisitDue} 回访`, `resolved; return visit due ${t.revisitDue}`));
}
export async function runClose(ctx: CliContext, o: StepOptions): Promise<void> {
  const t = await (await loadTickets()).closeTicket(await ctx.services(), o.number);
  printStep(ctx, t, m('已关闭', 'closed'));
}
export async function runReopen(ctx: CliContext, o: StepOptions): Promise<void> {
  const t = await (await loadTickets()).reopenTicket(await ctx.services(), o.number, o.reason ?? '');
  printStep(ctx, t, m('已重开', 'reopened'));
}
export async function runRevisit(ctx: CliContext, o: StepOptions): Promise<void> {
  const t = await (await loadTickets()).revisitTicket(await ctx.services(), o.number, {
    satisfaction: o.satisfaction ?? '',
    comment: o.comment,
  });
  printStep(
    ctx,
    t,
    t.status === 'reopened'
      ? m(
          `已回访，满意度 ${t.satisfaction ?? '-'}：不满意，工单重开`,
          `revisited, satisfaction ${t.satisfaction ?? '-'}: dissatisfied, the ticket is reopened`,
        )
      : m(`已回访，满意度 ${t.satisfaction ?? '-'}`, `revisited, satisfaction ${t.satisfaction ?? '-'}`),
  );
}

// --- list, show ----------------------------------------------------------------------------------------------

export interface ListOptions {
  status?: string;
  kind?: string;
  priority?: string;
  handler?: string;
  customer?: string;
  revisitDue: boolean;
  breached: boolean;
  limit?: number;
}

export function parseListOptions(_args: string[], raw: RawOptions): ListOptions {
  return {
    status: stringOption(raw, 'status'),
    kind: stringOption(raw, 'kind'),
    priority: stringOption(raw, 'priority'),
    handler: stringOption(raw, 'handler'),
    customer: stringOption(raw, 'customer'),
    revisitDue: Boolean(raw.revisitDue),
    breached: Boolean(raw.breached),
    limit: raw.limit === undefined ? undefined : Number(raw.limit),
  };
}

export async function runList(ctx: CliContext, o: ListOptions): Promise<void> {
  const rows = await (await loadTickets()).listTickets(await ctx.services(), o);
  renderRows(ctx, columns(ctx), rows, { empty: m('没有工单', 'no tickets') });
}

export async function runShow(ctx: CliContext, o: StepOptions): Promise<void> {
  printTicket(ctx, await (await loadTickets()).showTicket(await ctx.services(), o.number));
}

export function registerTickets(program: Command, ctx: CliContext): Command {
  const tickets = group(
    program,
    ctx,
    'tickets',
    m(
      '服务工单：投诉、故障、业务受理、咨询；服务时限、升级、回访',
      'service tickets: complaints, faults, requests, enquiries; service levels, escalation, return visits',
    ),
    [
      'crm tickets add --customer 110101001 --kind complaint --priority high --title "…" --content "…"',
      'crm tickets list --breached',
      'crm tickets list --revisit-due',
      'crm tickets show CS20261123-0001',
    ],
  );
  registerAdd(tickets, ctx);
  verb(tickets, ctx, 'assign <number> <user>', m('分派处理人', 'assign a handler'), [
    'crm tickets assign CS20261123-0001 dave',
  ]).action(act(ctx, parseStepOptions, runAssign));
  verb(tickets, ctx, 'respond <number>', m('响应（第一次答复客户）', 'respond (the first answer to the customer)'), [
    'crm tickets respond CS20261123-0001 --content "已致电客户，正在排查"',
  ])
    .requiredOption('--content <text>', ctx.t(m('响应内容', 'what was said')))
    .action(act(ctx, parseStepOptions, runRespond));
  verb(tickets, ctx, 'note <number>', m('记录处理过程', 'record what was done'), [
    'crm tickets note CS20261123-0001 --content "联系银行核对流水"',
  ])
    .requiredOption('--content <text>', ctx.t(m('内容', 'text')))
    .action(act(ctx, parseStepOptions, runNote));
  verb(
    tickets,
    ctx,
    'resolve <number>',
    m('解决：解决办法与改进措施', 'resolve: the resolution and improvement measures'),
    ['crm tickets resolve CS20261123-0001 --resolution "补发划款" --measures "截止前复核"'],
  )
    .option('--resolution <text>', ctx.t(m('解决办法（必填）', 'the resolution (required)')))
    .option('--measures <text>', ctx.t(m('改进措施', 'improvement measures (改进措施)')))
    .action(act(ctx, parseStepOptions, runResolve));
  verb(tickets, ctx, 'close <number>', m('关闭已解决的工单', 'close a resolved ticket'), [
    'crm tickets close CS20261123-0001',
  ]).action(act(ctx, parseStepOptions, runClose));
  verb(tickets, ctx, 'reopen <number>', m('重开已解决或已关闭的工单', 'reopen a resolved or closed ticket'), [
    'crm tickets reopen CS20261123-0001 --reason "客户反映仍未到账"',
  ])
    .option('--reason <text>', ctx.t(m('原因（必填）', 'why (required)')))
    .action(act(ctx, parseStepOptions, runReopen));
  verb(
    tickets,
    ctx,
    'revisit <number>',
    m('回访：满意度 1–5，低分重开工单', 'return visit: satisfaction 1–5; a low score reopens the ticket'),
    ['crm tickets revisit CS20261123-0001 --satisfaction 5 --comment "已解决"'],
  )
    .requiredOption('--satisfaction <1..5>', ctx.t(m('满意度 1–5', 'satisfaction 1–5')))
    .option('--comment <text>', ctx.t(m('客户意见', "the customer's comment")))
    .action(act(ctx, parseStepOptions, runRevisit));
  verb(tickets, ctx, 'list', m('列出工单（数据范围内）', 'list tickets (within your data scope)'), [
    'crm tickets list --status open',
    'crm tickets list --revisit-due',
    'crm tickets list --breached --json',
  ])
    .option('--status <s>', 'open|responded|resolved|closed|reopened')
    .option('--kind <k>', 'complaint|fault|request|enquiry')
    .option('--priority <p>', 'urgent|high|normal|low')
    .option('--handler <user>', ctx.t(m('处理人', 'handler')))
    .option('--customer <code>', ctx.t(m('客户编码', 'customer code')))
    .option('--revisit-due', ctx.t(m('到期未回访的', 'return visits due and not made')))
    .option('--breached', ctx.t(m('超过时限的', 'past a due time')))
    .option('--limit <n>', ctx.t(m('最多行数', 'at most N rows')), intOption)
    .action(act(ctx, parseListOptions, runList));
  verb(tickets, ctx, 'show <number>', m('工单详情与处理记录', 'a ticket with its history'), [
    'crm tickets show CS20261123-0001',
    'crm tickets show CS20261123-0001 --json',
  ]).action(act(ctx, parseStepOptions, runShow));
  return tickets;
}
