import type { Command } from 'commander';
import { act, group, intOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderRows } from '../../cli/output.js';
import { parseDateArg } from '../../domain/clock.js';
import { customerColumns } from './customers.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadCustomers = () => import('../../services/customers/customers.js');
const loadCustomersPool = () => import('../../services/customers/pool.js');

export function registerPool(program: Command, ctx: CliContext): void {
  const pool = group(
    program,
    ctx,
    'pool',
    m('公海：无负责人的客户与退回规则', 'the public pool: unowned customers and the return rules'),
    ['crm pool list', 'crm pool claim 110101001', 'crm pool apply --dry-run'],
  );

  verb(pool, ctx, 'list', m('列出公海客户', 'list customers in the pool'))
    .option('--search <text>', ctx.t(m('查找', 'search')))
    .option('--limit <n>', ctx.t(m('最多几条', 'at most this many')), intOption)
    .action(
      act(ctx, async (opts) => {
        const { listCustomers } = await loadCustomers();
        const svc = await ctx.services();
        renderRows(
          ctx,
          customerColumns,
          await listCustomers(svc, { pool: true, search: opts.search, limit: opts.limit }),
          {
            empty: m('公海为空', 'the pool is empty'),
          },
        );
      }),
    );

  verb(pool, ctx, 'claim <code>', m('领取公海客户', 'claim a customer from the pool'), [
    'crm --user bob pool claim 110101001',
  ]).action(
    act<[string]>(ctx, async (code) => {
      const { claimCustomer } = await loadCustomersPool();
      const svc = await ctx.services();
      await claimCustomer(svc, code);
      ctx.out(ctx.t(m('{user} 已领取 {code}', '{user} claimed {code}'), { user: svc.actor.name, code }));
    }),
  );

  verb(pool, ctx, 'assign <code> <user>', m('分配客户（经理、管理员）', 'assign a customer (managers, admins)'), [
    'crm --user carol pool assign 110101001 dave',
  ]).action(
    act<[string, string]>(ctx, async (code, user) => {
      const { assignCustomer } = await loadCustomersPool();
      const svc = await ctx.services();
      await assignCustomer(svc, code, user);
      ctx.out(ctx.t(m('已把 {code} 分配给 {user}', 'assigned {code} to {user}'), { code, user }));
    }),
  );

  verb(pool, ctx, 'release <code>', m('放回公海', 'put a customer back in the pool'), [
    'crm --user bob pool release 110101001 --reason "不再跟进"',
  ])
    .option('--reason <text>', ctx.t(m('原因', 'reason')))
    .action(
      act<[string]>(ctx, async (code, opts) => {
        const { releaseCustomer } = await loadCustomersPool();
        const svc = await ctx.services();
        await releaseCustomer(svc, code, opts.reason);
        ctx.out(ctx.t(m('{code} 已放回公海', '{code} is back in the pool'), { code }));
      }),
    );

  verb(
    pool,
    ctx,
    'rules',
    m('显示公海规则（用 crm config set 修改）', 'show the pool rules (change them with crm config set)'),
    ['crm pool rules', 'crm config set pool.returnAfterDaysWithoutFollowup 15'],
  ).action(
    act(ctx, async () => {
      const { poolRules } = await loadCustomersPool();
      const svc = await ctx.services();
      const rules = await poolRules(svc);
      if (ctx.json) return printJson(ctx, Object.fromEntries(rules.map((r) => [r.key, r.value])));
      renderRows(
        ctx,
        [
          { key: 'key', label: m('规则', 'rule') },
          { key: 'value', label: m('值', 'value'), value: (r) => String(r.value) },
        ],
        rules,
      );
    }),
  );

  verb(
    pool,
    ctx,
    'apply',
    m(
      '按规则把到期客户退回公海（每日任务也调用它）',
      'return due customers to the pool (the daily job calls this too)',
    ),
    ['crm pool apply --date 2026-11-23 --dry-run'],
  )
    .option('--date <date>', ctx.t(m('业务日期（默认今天）', 'business date (default today)')))
    .option('--dry-run', ctx.t(m('只列出，不退回', 'list only, return nothing')))
    .action(
      act(ctx, async (opts) => {
        const { applyPoolRules } = await loadCustomersPool();
        const svc = await ctx.services();
        const r = await applyPoolRules(svc, {
          date: opts.date ? parseDateArg(String(opts.date)) : undefined,
          dryRun: Boolean(opts.dryRun),
        });
        if (ctx.json) return printJson(ctx, { ...r, dryRun: Boolean(opts.dryRun) });
        ctx.out(
          ctx.t(m('{date}：退回 {n} 个，提醒 {w} 个', '{date}: returned {n}, warned {w}'), {
            date: r.date,
            n: r.returned.length,
            w: r.warned.length,
          }),
        );
        for (const x of r.returned) ctx.out(`  ${ctx.t(m('退回', 'returned'))} ${x.code} (${x.owner}): ${x.reason}`);
        for (const x of r.warned)
          ctx.out(`  ${ctx.t(m('提醒', 'warn'))} ${x.owner}: ${x.code} ${ctx.t(m('将于', 'due'))} ${x.dueDate}`);
      }),
    );
}
