import type { Command } from 'commander';
import { act, group, intOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderRows } from '../../cli/output.js';
import { formatLocal } from '../../domain/clock.js';
import { FOLLOWUP_METHOD } from '../../domain/vocabulary.js';
import type { FollowupRecord, METHODS } from '../../services/customers/followups.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadCustomersFollowups = () => import('../../services/customers/followups.js');
/** For --help without loading the service; the type keeps it equal to the service's list. */
const METHOD_NAMES: typeof METHODS = ['phone', 'visit', 'email', 'sms', 'meeting'];

const columns: Column<FollowupRecord>[] = [
  { key: 'id', label: m('编号', 'id'), align: 'right' },
  { key: 'at', label: m('时间', 'at') },
  { key: 'customerCode', label: m('客户', 'customer') },
  { key: 'leadId', label: m('线索', 'lead') },
  { key: 'user', label: m('跟进人', 'by') },
  { key: 'method', label: m('方式', 'method'), words: FOLLOWUP_METHOD },
  { key: 'content', label: m('内容', 'content') },
  { key: 'nextAt', label: m('下次跟进', 'next') },
];

export function registerFollowups(program: Command, ctx: CliContext): void {
  const followups = group(
    program,
    ctx,
    'followups',
    m('跟进记录：客户或线索的每次联系', 'follow-ups: every contact with a customer or a lead'),
    [
      'crm followups add --customer 110101001 --method visit --content "上门演示" --next 2026-12-01',
      'crm followups list --customer 110101001',
    ],
  );

  verb(
    followups,
    ctx,
    'add',
    m('登记跟进（更新客户的最近跟进时间）', "record a follow-up (moves the customer's last follow-up time)"),
    [
      'crm followups add --customer 110101001 --method phone --content "确认需求"',
      'crm followups add --lead 2 --method visit --content "初次拜访" --at "2026-11-20 14:30" --next 2026-11-27',
    ],
  )
    .option('--customer <code>', ctx.t(m('客户编码', 'customer code')))
    .option('--lead <id>', ctx.t(m('线索编号', 'lead id')), intOption)
    .requiredOption(
      '--method <method>',
      ctx.t(m(`方式：${METHOD_NAMES.join(' | ')}`, `method: ${METHOD_NAMES.join(' | ')}`)),
    )
    .requiredOption('--content <text>', ctx.t(m('内容', 'what was said or done')))
    .option(
      '--at <time>',
      ctx.t(m('时间（默认现在；"YYYY-MM-DD HH:mm"）', 'when (default now; "YYYY-MM-DD HH:mm", a date alone is 09:00)')),
    )
    .option('--next <time>', ctx.t(m('下次跟进时间', 'when to follow up next')))
    .action(
      act(ctx, async (opts) => {
        const { addFollowup } = await loadCustomersFollowups();
        const svc = await ctx.services();
        const f = await addFollowup(svc, {
          customer: opts.customer,
          lead: opts.lead,
          method: String(opts.method),
          content: String(opts.content),
          at: opts.at,
          next: opts.next,
        });
        if (ctx.json) return printJson(ctx, f);
        const tz = await svc.settings.get<string>('timezone');
        ctx.out(
          ctx.t(m('已登记跟进 {id}：{target} {at}', 'recorded follow-up {id}: {target} {at}'), {
            id: f.id,
            target: f.customerCode ?? `lead ${f.leadId}`,
            at: formatLocal(new Date(f.at), tz),
          }),
        );
      }),
    );

  verb(followups, ctx, 'list', m('列出跟进（新的在前）', 'list follow-ups (newest first)'), [
    'crm followups list --customer 110101001',
    'crm followups list --due',
  ])
    .option('--customer <code>', ctx.t(m('客户编码', 'customer code')))
    .option('--lead <id>', ctx.t(m('线索编号', 'lead id')), intOption)
    .option('--user <name>', ctx.t(m('跟进人', 'by this user')))
    .option('--due', ctx.t(m('只看已到下次跟进时间、之后未再跟进的', 'only those whose next follow-up is due')))
    .option('--limit <n>', ctx.t(m('最多几条（默认 100）', 'at most this many (default 100)')), intOption)
    .option('--offset <n>', ctx.t(m('跳过几条', 'skip this many')), intOption)
    .action(
      act(ctx, async (opts) => {
        const { listFollowups } = await loadCustomersFollowups();
        const svc = await ctx.services();
        const rows = await listFollowups(svc, {
          customer: opts.customer,
          lead: opts.lead,
          user: opts.user,
          due: Boolean(opts.due),
          limit: opts.limit,
          offset: opts.offset,
        });
        if (ctx.json) return printJson(ctx, rows);
        renderRows(ctx, columns, rows, { empty: m('没有跟进记录', 'no follow-ups') });
      }),
    );
}
