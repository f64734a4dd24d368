import type { Command } from 'commander';
import { act, group, intOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderDetails, renderRows } from '../../cli/output.js';
import { parseDateArg } from '../../domain/clock.js';
import { usageError } from '../../domain/errors.js';
import { parseYuan } from '../../domain/money.js';
import { LEAD_STATUS } from '../../domain/vocabulary.js';
import type { LeadRecord } from '../../services/customers/leads.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadCustomersLeads = () => import('../../services/customers/leads.js');

const columns: Column<LeadRecord>[] = [
  { key: 'id', label: m('编号', 'id'), align: 'right' },
  { key: 'name', label: m('名称', 'name') },
  { key: 'contactName', label: m('联系人', 'contact') },
  { key: 'phone', label: m('电话', 'phone') },
  { key: 'source', label: m('来源', 'source') },
  { key: 'status', label: m('状态', 'status'), words: LEAD_STATUS },
  { key: 'owner', label: m('负责人', 'owner') },
  { key: 'customerCode', label: m('客户', 'customer') },
];

function printLead(ctx: CliContext, l: LeadRecord, json: unknown = l): void {
  renderDetails(
    ctx,
    [
      [m('编号', 'id'), l.id],
      [m('名称', 'name'), l.name],
      [m('联系人', 'contact'), l.contactName],
      [m('电话', 'phone'), l.phone],
      [m('邮箱', 'email'), l.email],
      [m('来源', 'source'), l.source],
      [m('状态', 'status'), l.status],
      [m('负责人', 'owner'), l.owner],
      [m('客户', 'customer'), l.customerCode],
      [m('作废原因', 'disqualified because'), l.disqualifyReason],
      [m('备注', 'note'), l.note],
    ],
    json,
  );
}

export function registerLeads(program: Command, ctx: CliContext): void {
  const leads = group(
    program,
    ctx,
    'leads',
    m('线索：潜在客户，查重后转化为客户', 'leads: prospects, converted into customers after a duplicate check'),
    [
      'crm leads add --name "朝阳区教委" --contact 李明 --phone 010-85550001 --source 展会',
      'crm leads convert 1 --code 110105001 --opportunity "2027 年度服务" --amount 120000',
    ],
  );

  verb(leads, ctx, 'add', m('新增线索', 'add a lead'), [
    'crm leads add --name "朝阳区教委" --contact 李明 --phone 010-85550001 --source 展会',
  ])
    .requiredOption('--name <name>', ctx.t(m('单位或个人名称', 'company or person name')))
    .option('--contact <name>', ctx.t(m('联系人姓名', 'contact name')))
    .option('--phone <text>', ctx.t(m('电话', 'phone')))
    .option('--email <text>', ctx.t(m('邮箱', 'email')))
    .option('--source <text>', ctx.t(m('来源', 'source')))
    .option('--owner <user>', ctx.t(m('负责人（默认自己）', 'owner (default: you)')))
    .option('--note <text>', ctx.t(m('备注', 'note')))
    .action(
      act(ctx, async (opts) => {
        const { addLead } = await loadCustomersLeads();
        const svc = await ctx.services();
        const l = await addLead(svc, {
          name: opts.name,
          contactName: opts.contact,
          phone: opts.phone,
          email: opts.email,
          source: opts.source,
          owner: opts.owner,
          note: opts.note,
        });
        if (ctx.json) return printJson(ctx, l);
        ctx.out(ctx.t(m('已新增线索 {id} {name}', 'added lead {id} {name}'), { id: l.id, name: l.name }));
      }),
    );

  verb(leads, ctx, 'list', m('列出线索（按数据范围，新的在前）', 'list leads (within your scope, newest first)'), [
    'crm leads list --status new',
    'crm leads list --search 教委 --json',
  ])
    .option(
      '--status <status>',
      ctx.t(m('new | working | converted | disqualified', 'new | working | converted | disqualified')),
    )
    .option('--owner <user>', ctx.t(m('负责人', 'owner')))
    .option('--search <text>', ctx.t(m('按名称、联系人、电话、邮箱查找', 'search name, contact, phone, email')))
    .option('--limit <n>', ctx.t(m('最多几条（默认 100）', 'at most this many (default 100)')), intOption)
    .option('--offset <n>', ctx.t(m('跳过几条', 'skip this many')), intOption)
    .action(
      act(ctx, async (opts) => {
        const { listLeads } = await loadCustomersLeads();
        const svc = await ctx.services();
        const rows = await listLeads(svc, {
          status: opts.status,
          owner: opts.owner,
          search: opts.search,
          limit: opts.limit,
          offset: opts.offset,
        });
        renderRows(ctx, columns, rows, { empty: m('没有线索', 'no leads') });
      }),
    );

  verb(leads, ctx, 'show <id>', m('显示线索及其跟进', 'show a lead with its follow-ups'), ['crm leads show 1']).action(
    act<[string]>(ctx, async (id) => {
      const { showLead } = await loadCustomersLeads();
      const svc = await ctx.services();
      const l = await showLead(svc, intOption(id));
      printLead(ctx, l, l);
      if (ctx.json) return;
      for (const f of l.followups)
        ctx.out(`  ${ctx.t(m('跟进', 'follow-up'))}: ${f.at} ${f.method} ${f.user}: ${f.content}`);
    }),
  );

  verb(
    leads,
    ctx,
    'convert <id>',
    m(
      '转化为客户（查重：同编码或同名称、电话、邮箱即拒绝，除非 --link）；可同时建联系人和商机',
      'convert into a customer (refused on the same code, name, phone or email unless --link); optionally a contact and an opportunity',
    ),
    [
      'crm leads convert 1 --code 110105001',
      'crm leads convert 1 --code 110105001 --opportunity "2027 年度服务" --amount 120000 --close-date 2027-03-31',
      'crm leads convert 2 --link 110105001',
    ],
  )
    .option('--code <code>', ctx.t(m('新客户编码', 'code of the new customer')))
    .option('--name <name>', ctx.t(m('新客户名称（默认线索名称）', "name of the new customer (default: the lead's)")))
    .option('--link <code>', ctx.t(m('关联到已有客户，不新建', 'attach to this existing customer instead')))
    .option('--owner <user>', ctx.t(m('客户负责人（默认线索负责人）', "the customer's owner (default: the lead's)")))
    .option('--no-contact', ctx.t(m('不从线索建联系人', 'do not create a contact from the lead')))
    .option('--opportunity <name>', ctx.t(m('同时新建商机（初始阶段）', 'also create an opportunity (first stage)')))
    .option('--amount <yuan>', ctx.t(m('商机金额（元）', 'opportunity amount (yuan)')))
    .option('--close-date <date>', ctx.t(m('商机预计成交日期', 'expected close date of the opportunity')))
    .action(
      act<[string]>(ctx, async (id, opts) => {
        const { convertLead } = await loadCustomersLeads();
        const svc = await ctx.services();
        if (opts.opportunity && opts.amount === undefined) {
          throw usageError(m('新建商机需要 --amount', 'an opportunity needs --amount'));
        }
        const r = await convertLead(svc, intOption(id), {
          code: opts.code,
          name: opts.name,
          link: opts.link,
          owner: opts.owner,
          contact: opts.contact === false ? false : undefined,
          opportunity: opts.opportunity
            ? {
                name: String(opts.opportunity),
                amountFen: parseYuan(String(opts.amount), { field: '--amount', allowZero: false }),
                closeDate: opts.closeDate ? parseDateArg(String(opts.closeDate), '--close-date') : undefined,
              }
            : undefined,
        });
        if (ctx.json) return printJson(ctx, r);
        ctx.out(
          ctx.t(
            r.created
              ? m('线索 {id} 已转化为客户 {code} {name}', 'lead {id} converted into customer {code} {name}')
              : m('线索 {id} 已关联到客户 {code} {name}', 'lead {id} linked to customer {code} {name}'),
            { id: r.lead.id, code: r.customer.code, name: r.customer.name },
          ),
        );
        if (r.contactId) ctx.out(`  ${ctx.t(m('联系人', 'contact'))}: ${r.contactId}`);
        if (r.opportunityId) ctx.out(`  ${ctx.t(m('商机', 'opportunity'))}: ${r.opportunityId}`);
        if (r.followupsMoved) ctx.out(`  ${ctx.t(m('转入跟进', 'follow-ups moved'))}: ${r.followupsMoved}`);
      }),
    );

  verb(leads, ctx, 'disqualify <id>', m('作废线索（需原因）', 'disqualify a lead (with a reason)'), [
    'crm leads disqualify 3 --reason "重复登记"',
  ])
    .option('--reason <text>', ctx.t(m('原因', 'reason')))
    .action(
      act<[string]>(ctx, async (id, opts) => {
        const { disqualifyLead } = await loadCustomersLeads();
        const svc = await ctx.services();
        const l = await disqualifyLead(svc, intOption(id), opts.reason ?? '');
        if (ctx.json) return printJson(ctx, l);
        ctx.out(ctx.t(m('线索 {id} 已作废', 'lead {id} disqualified'), { id: l.id }));
      }),
    );
}
