import type { Command } from 'commander';
import { act, intOption, type Opts, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderDetails, renderRows } from '../../cli/output.js';
import { askText } from '../../cli/prompt.js';
import { CUSTOMER_FIELD, CUSTOMER_STATUS, type Vocabulary, wordFor } from '../../domain/vocabulary.js';
import { parseFileEncoding } from '../../io/encoding.js';
import type { CustomerRecord } from '../../services/customers/common.js';
import type { ListQuery } from '../../services/customers/customers.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadCustomers = () => import('../../services/customers/customers.js');
const loadCustomersExport = () => import('../../services/customers/export.js');
const loadCustomersGrade = () => import('../../services/customers/grade.js');
const loadCustomersMerge = () => import('../../services/customers/merge.js');

/** What a merge moves, as its summary line names them. */
const MERGED_RECORDS: Vocabulary = {
  contacts: m('联系人', 'contacts'),
  followups: m('跟进', 'followups'),
  leads: m('线索', 'leads'),
  opportunities: m('商机', 'opportunities'),
  orders: m('订单', 'orders'),
  transactions: m('交易', 'transactions'),
  children: m('下级单位', 'children'),
};

export const customerColumns: Column<CustomerRecord>[] = [
  { key: 'code', label: m('编码', 'code') },
  { key: 'name', label: m('名称', 'name') },
  { key: 'parentCode', label: m('上级', 'parent') },
  { key: 'firstLevelCode', label: m('一级单位', 'first level') },
  { key: 'owner', label: m('负责人', 'owner') },
  { key: 'grade', label: m('等级', 'grade') },
  { key: 'status', label: m('状态', 'status'), words: CUSTOMER_STATUS },
  { key: 'region', label: m('地区', 'region') },
  { key: 'phone', label: m('电话', 'phone') },
  { key: 'lastFollowupAt', label: m('最近跟进', 'last follow-up'), time: true },
];

function fieldOptions(cmd: Command, ctx: CliContext): Command {
  return cmd
    .option('--name <name>', ctx.t(m('名称', 'name')))
    .option('--parent <code>', ctx.t(m('上级客户编码', 'parent customer code')))
    .option('--owner <user>', ctx.t(m('负责人', 'owner')))
    .option('--industry <text>', ctx.t(m('行业', 'industry')))
    .option('--region <text>', ctx.t(m('地区', 'region')))
    .option('--address <text>', ctx.t(m('地址', 'address')))
    .option('--phone <text>', ctx.t(m('电话', 'phone')))
    .option('--email <text>', ctx.t(m('邮箱', 'email')))
    .option('--source <text>', ctx.t(m('来源', 'source')))
    .option(
      '--grade <A-E|auto>',
      ctx.t(m('等级（手工指定；auto 恢复自动分级）', 'grade (set by hand; auto: back to automatic grading)')),
    )
    .option('--note <text>', ctx.t(m('备注', 'note')));
}

export function filterOptions(cmd: Command, ctx: CliContext): Command {
  return cmd
    .option('--owner <user>', ctx.t(m('负责人', 'owner')))
    .option('--grade <A-E>', ctx.t(m('等级', 'grade')))
    .option('--industry <text>', ctx.t(m('行业', 'industry')))
    .option('--region <text>', ctx.t(m('地区', 'region')))
    .option('--status <status>', ctx.t(m('状态：active | locked | deleted', 'status: active | locked | deleted')))
    .option('--parent <code>', ctx.t(m('上级编码', 'parent code')))
    .option('--pool', ctx.t(m('只看公海（无负责人）', 'only the pool (no owner)')))
    .option('--search <text>', ctx.t(m('按名称、编码、电话、联系人查找', 'search name, code, phone, contact')))
    .option(
      '--sort <field>',
      ctx.t(
        m(
          '排序：code name grade owner lastFollowupAt createdAt（- 为倒序）',
          'sort: code name grade owner lastFollowupAt createdAt (- for descending)',
        ),
      ),
    );
}

export function listQueryOf(opts: Opts): ListQuery {
  return {
    owner: opts.owner,
    grade: opts.grade,
    industry: opts.industry,
    region: opts.region,
    status: opts.status,
    parent: opts.parent,
    pool: Boolean(opts.pool),
    search: opts.search,
    sort: opts.sort,
    limit: opts.limit,
    offset: opts.offset,
  };
}

function printCustomer(ctx: CliContext, c: CustomerRecord): void {
  renderDetails(
    ctx,
    [
      [m('编码', 'code'), c.code],
      [m('名称', 'name'), c.name],
      [m('上级', 'parent'), c.parentCode],
      [m('一级单位', 'first level'), c.firstLevelCode],
      [m('负责人', 'owner'), c.owner ?? ctx.t(m('（公海）', '(pool)'))],
      [m('等级', 'grade'), c.grade ? `${c.grade}${c.gradeManual ? ctx.t(m('（手工）', ' (manual)')) : ''}` : null],
      [m('状态', 'status'), wordFor(ctx.lang, CUSTOMER_STATUS, c.status)],
      [m('行业', 'industry'), c.industry],
      [m('地区', 'region'), c.region],
      [m('地址', 'address'), c.address],
      [m('电话', 'phone'), c.phone],
      [m('邮箱', 'email'), c.email],
      [m('来源', 'source'), c.source],
      [m('最近跟进', 'last follow-up'), ctx.localTime(c.lastFollowupAt)],
      [m('建档时间', 'created'), ctx.localTime(c.createdAt)],
      [m('更新时间', 'updated'), ctx.localTime(c.updatedAt)],
      [m('备注', 'note'), c.note],
    ],
    c,
  );
}

const input = (opts: Opts) => ({
  name: opts.name,
  parent: opts.parent,
  owner: opts.owner,
  industry: opts.industry,
  region: opts.region,
  address: opts.address,
  phone: opts.phone,
  email: opts.email,
  source: opts.source,
  grade: opts.grade,
  note: opts.note,
});

export function registerCustomerVerbs(customers: Command, ctx: CliContext): void {
  fieldOptions(
    verb(
      customers,
      ctx,
      'add',
      m('新增客户（终端中会询问缺少的项）', 'add a customer (asks for what is missing on a terminal)'),
      ['crm customers add --code 110101001 --name "北京市东城区财政局" --parent 110101 --owner bob --grade B'],
    ).option('--code <code>', ctx.t(m('客户编码（国标码）', 'customer code (national standard code)'))),
    ctx,
  ).action(
    act(ctx, async (opts) => {
      const { addCustomer } = await loadCustomers();
      const svc = await ctx.services();
      const code = opts.code ?? (await askText(ctx, '--code', m('客户编码', 'customer code'), { required: true }));
      const name = opts.name ?? (await askText(ctx, '--name', m('客户名称', 'customer name'), { required: true }));
      const c = await addCustomer(svc, { ...input(opts), code, name });
      if (ctx.json) return printJson(ctx, c);
      ctx.out(ctx.t(m('已新增客户 {code} {name}', 'added customer {code} {name}'), { code: c.code, name: c.name }));
    }),
  );

  verb(
    customers,
    ctx,
    'show <code>',
    m('显示客户、联系人、最近跟进与订单汇总', 'show a customer with contacts, recent follow-ups and orders'),
    ['crm customers show 110101001 --json'],
  ).action(
    act<[string]>(ctx, async (code) => {
      const { showCustomer } = await loadCustomers();
      const svc = await ctx.services();
      const c = await showCustomer(svc, code);
      if (ctx.json) return printJson(ctx, c);
      printCustomer(ctx, c);
      for (const k of c.contacts)
        ctx.out(
          `  ${ctx.t(m('联系人', 'contact'))}: ${k.name}${k.primary ? ' *' : ''} ${k.mobile ?? k.phone ?? ''} ${k.email ?? ''}`.trimEnd(),
        );
      for (const f of c.followups)
        ctx.out(`  ${ctx.t(m('跟进', 'follow-up'))}: ${f.at} ${f.method} ${f.user}: ${f.content}`);
      ctx.out(`  ${ctx.t(m('订单', 'orders'))}: ${c.orders.count}`);
      if (c.service.tickets || c.service.lastSurveyScore !== null)
        ctx.out(
          `  ${ctx.t(
            m(
              '服务：工单 {tickets}（未结 {open}），投诉 {complaints}（未结 {openComplaints}），回访满意度 {satisfaction}，最近调查 {survey}',
              'service: tickets {tickets} ({open} open), complaints {complaints} ({openComplaints} open), return-visit satisfaction {satisfaction}, last survey {survey}',
            ),
            {
              tickets: c.service.tickets,
              open: c.service.open,
              complaints: c.service.complaints,
              openComplaints: c.service.openComplaints,
              satisfaction: c.service.satisfaction ?? '-',
              survey: c.service.lastSurveyScore ?? '-',
            },
          )}`,
        );
    }),
  );

  fieldOptions(
    verb(customers, ctx, 'edit <code>', m('修改客户', 'edit a customer'), [
      'crm customers edit 110101001 --grade A --phone 010-65550000',
    ]),
    ctx,
  )
    .option(
      '--clear-grade',
      ctx.t(m('清除手工等级（恢复自动分级）', 'clear the manual grade (back to automatic grading)')),
    )
    .action(
      act<[string]>(ctx, async (code, opts) => {
        const { editCustomer } = await loadCustomers();
        const svc = await ctx.services();
        const c = await editCustomer(svc, code, { ...input(opts), clearGrade: Boolean(opts.clearGrade) });
        if (ctx.json) return printJson(ctx, c);
        printCustomer(ctx, c);
      }),
    );

  filterOptions(
    verb(customers, ctx, 'list', m('列出客户（按数据范围）', 'list customers (within your data scope)'), [
      'crm customers list --owner bob --grade A',
      'crm customers list --search 财政 --json',
      'crm customers list --pool',
    ]),
    ctx,
  )
    .option('--limit <n>', ctx.t(m('最多几条（默认 100）', 'at most this many (default 100)')), intOption)
    .option('--offset <n>', ctx.t(m('跳过几条', 'skip this many')), intOption)
    .action(
      act(ctx, async (opts) => {
        const { listCustomers } = await loadCustomers();
        const svc = await ctx.services();
        renderRows(ctx, customerColumns, await listCustomers(svc, listQueryOf(opts)), {
          empty: m('没有符合条件的客户', 'no customers match'),
        });
      }),
    );

  verb(
    customers,
    ctx,
    'delete <code>',
    m(
      '删除客户（软删除；有订单或交易时需管理员 --force）',
      'delete a customer (soft; with orders or transactions an admin needs --force)',
    ),
    ['crm customers delete 110101009'],
  )
    .option('--force', ctx.t(m('有订单或交易也删除（仅管理员）', 'delete even with orders or transactions (admins)')))
    .action(
      act<[string]>(ctx, async (code, opts) => {
        const { deleteCustomer } = await loadCustomers();
        const svc = await ctx.services();
        const c = await deleteCustomer(svc, code, Boolean(opts.force));
        if (ctx.json) return printJson(ctx, c);
        ctx.out(ctx.t(m('已删除客户 {code}', 'deleted customer {code}'), { code }));
      }),
    );

  for (const [name, locked] of [
    ['lock', true],
    ['unlock', false],
  ] as const) {
    verb(
      customers,
      ctx,
      `${name} <code>`,
      locked
        ? m('锁定客户（不退回公海）', 'lock a customer (never returned to the pool)')
        : m('解除锁定', 'unlock a customer'),
      [`crm customers ${name} 110101001`],
    ).action(
      act<[string]>(ctx, async (code) => {
        const { setLocked } = await loadCustomers();
        const svc = await ctx.services();
        const c = await setLocked(svc, code, locked);
        if (ctx.json) return printJson(ctx, c);
        ctx.out(`${c.code} ${wordFor(ctx.lang, CUSTOMER_STATUS, c.status)}`);
      }),
    );
  }

  verb(
    customers,
    ctx,
    'tree <code>',
    m('显示组织架构（从一级单位往下）', 'print the organisation (from the first-level unit down)'),
    ['crm customers tree 110101001'],
  ).action(
    act<[string]>(ctx, async (code) => {
      const { customerTree } = await loadCustomers();
      const svc = await ctx.services();
      const nodes = await customerTree(svc, code);
      if (ctx.json) return printJson(ctx, nodes);
      for (const n of nodes)
        ctx.out(
          `${'  '.repeat(n.depth)}${n.code} ${n.name}${n.owner ? ` (${n.owner})` : ''}${n.code === code ? ' *' : ''}`,
        );
    }),
  );

  filterOptions(
    verb(
      customers,
      ctx,
      'export',
      m('导出客户为 CSV（可再导入；防公式注入）', 'export customers to CSV (re-importable; formula-safe)'),
      [
        'crm customers export --out customers.csv --bom',
        'crm customers export --out 客户.csv --encoding gbk --owner bob --columns code,name,owner',
      ],
    ),
    ctx,
  )
    .requiredOption('--out <file>', ctx.t(m('输出文件', 'output file')))
    .option('--force', ctx.t(m('覆盖已有文件', 'overwrite an existing file')))
    .option('--encoding <enc>', ctx.t(m('utf8（默认）| gbk', 'utf8 (default) | gbk')), 'utf8')
    .option('--bom', ctx.t(m('写入 UTF-8 BOM（Excel 需要）', 'write a UTF-8 BOM (for Excel)')))
    .option('--columns <list>', ctx.t(m('逗号分隔的列', 'comma-separated columns')))
    .action(
      act(ctx, async (opts) => {
        const { exportCustomers } = await loadCustomersExport();
        const svc = await ctx.services();
        const encoding = parseFileEncoding(opts.encoding);
        const n = await exportCustomers(svc, listQueryOf({ ...opts, limit: undefined, offset: undefined }), {
          out: String(opts.out),
          force: Boolean(opts.force),
          encoding,
          bom: Boolean(opts.bom),
          columns: opts.columns
            ? String(opts.columns)
                .split(',')
                .map((s) => s.trim())
            : undefined,
          headerLang: ctx.lang,
        });
        if (ctx.json) return printJson(ctx, { file: opts.out, rows: n });
        ctx.out(
          ctx.t(m('已导出 {n} 个客户到 {file}', 'exported {n} customers to {file}'), { n, file: String(opts.out) }),
        );
      }),
    );
}

/** `customers merge` and `customers grade`. */
export function registerMergeAndGrade(customers: Command, ctx: CliContext): void {
  verb(
    customers,
    ctx,
    'merge <src> <dst>',
    m(
      '合并客户：联系人、跟进、线索、商机、订单、交易和下级单位移到 DST，SRC 标记删除（管理员、经理）',
      'merge customers: contacts, follow-ups, leads, opportunities, orders, transactions and child units move to DST; SRC is marked deleted (admins, managers)',
    ),
    ['crm customers merge 110101009 110101001'],
  ).action(
    act<[string, string]>(ctx, async (src, dst) => {
      const { mergeCustomers } = await loadCustomersMerge();
      const svc = await ctx.services();
      const r = await mergeCustomers(svc, src, dst);
      if (ctx.json) return printJson(ctx, r);
      ctx.out(ctx.t(m('已把 {src} 合并到 {dst}', 'merged {src} into {dst}'), { src, dst }));
      ctx.out(
        `  ${Object.entries(r.moved)
          .map(([k, n]) => `${wordFor(ctx.lang, MERGED_RECORDS, k)} ${n}`)
          .join(ctx.t(m('，', ', ')))}`,
      );
      if (r.filled.length) {
        const fields = r.filled.map((f) => wordFor(ctx.lang, CUSTOMER_FIELD, f)).join(ctx.t(m('、', ', ')));
        ctx.out(`  ${ctx.t(m('补全字段：', 'filled in: '))}${fields}`);
      }
    }),
  );

  verb(
    customers,
    ctx,
    'grade',
    m(
      '按销售额帕累托分级 A–E（手工等级保留；阈值见 customers.gradeThresholds）',
      'grade A–E by Pareto over sales (manual grades are kept; thresholds in customers.gradeThresholds)',
    ),
    ['crm customers grade --dry-run', 'crm customers grade --from 2026-01-01 --to 2026-12-31'],
  )
    .option('--from <date>', ctx.t(m('起始日期（默认一年前）', 'first day (default: a year ago)')))
    .option('--to <date>', ctx.t(m('结束日期（默认今天）', 'last day (default: today)')))
    .option('--dry-run', ctx.t(m('只计算，不修改', 'compute only, change nothing')))
    .option('--all', ctx.t(m('列出全部客户（默认只列出变化的）', 'list every customer (default: only changes)')))
    .action(
      act(ctx, async (opts) => {
        const { gradeCustomers } = await loadCustomersGrade();
        const svc = await ctx.services();
        const r = await gradeCustomers(svc, { from: opts.from, to: opts.to, dryRun: Boolean(opts.dryRun) });
        if (ctx.json) return printJson(ctx, r);
        const rows = opts.all ? r.rows : r.rows.filter((x) => x.changed);
        if (rows.length)
          renderRows(
            ctx,
            [
              { key: 'code', label: m('编码', 'code') },
              { key: 'name', label: m('名称', 'name') },
              { key: 'sales', label: m('销售额', 'sales'), align: 'right' },
              { key: 'cumulativeShare', label: m('累计占比%', 'cumulative %'), align: 'right' },
              { key: 'oldGrade', label: m('原等级', 'was') },
              { key: 'grade', label: m('等级', 'grade') },
              { key: 'manual', label: m('手工', 'manual') },
            ],
            rows,
          );
        ctx.note(
          r.dryRun
            ? m(
                '{from}..{to} 销售额 {total}：{n} 个客户，{changed} 个将变化，{manual} 个手工等级保留（预览，未修改）',
                '{from}..{to} sales {total}: {n} customers, {changed} would change, {manual} manual grades kept (dry run, nothing changed)',
              )
            : m(
                '{from}..{to} 销售额 {total}：{n} 个客户，{changed} 个已变化，{manual} 个手工等级保留',
                '{from}..{to} sales {total}: {n} customers, {changed} changed, {manual} manual grades kept',
              ),
          {
            from: r.from,
            to: r.to,
            total: r.totalSales,
            n: r.customers,
            changed: r.changed,
            manual: r.manualKept,
          },
        );
      }),
    );
}
