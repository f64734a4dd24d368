import type { Command } from 'commander';
import { act, group, intOption, type Opts, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderRows } from '../../cli/output.js';
import type { ContactInput, ContactRecord } from '../../services/customers/contacts.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadCustomersContacts = () => import('../../services/customers/contacts.js');

const columns: Column<ContactRecord>[] = [
  { key: 'id', label: m('编号', 'id'), align: 'right' },
  { key: 'customerCode', label: m('客户', 'customer') },
  { key: 'name', label: m('姓名', 'name') },
  { key: 'title', label: m('职务', 'title') },
  { key: 'mobile', label: m('手机', 'mobile') },
  { key: 'phone', label: m('电话', 'phone') },
  { key: 'email', label: m('邮箱', 'email') },
  { key: 'primary', label: m('主联系人', 'primary') },
];

function fields(cmd: Command, ctx: CliContext): Command {
  return cmd
    .option('--title <text>', ctx.t(m('职务', 'title')))
    .option('--phone <text>', ctx.t(m('电话', 'phone')))
    .option('--mobile <text>', ctx.t(m('手机', 'mobile')))
    .option('--email <text>', ctx.t(m('邮箱', 'email')))
    .option('--primary', ctx.t(m('设为主联系人', 'make this the primary contact')));
}

const input = (opts: Opts): ContactInput => ({
  name: opts.name,
  title: opts.title,
  phone: opts.phone,
  mobile: opts.mobile,
  email: opts.email,
  primary: Boolean(opts.primary),
});

function done(ctx: CliContext, text: ReturnType<typeof m>, k: ContactRecord): void {
  if (ctx.json) printJson(ctx, k);
  else ctx.out(ctx.t(text, { id: k.id, name: k.name, customer: k.customerCode }) + (k.primary ? ' *' : ''));
}

const idArg = (value: string): number => intOption(value);

export function registerContacts(program: Command, ctx: CliContext): void {
  const contacts = group(
    program,
    ctx,
    'contacts',
    m('联系人：每个客户多个，一个主联系人', 'contacts: many per customer, one primary'),
    [
      'crm contacts add 110101001 --name 王芳 --title 科长 --mobile 13800138000 --primary',
      'crm contacts list --customer 110101001',
    ],
  );

  fields(
    verb(
      contacts,
      ctx,
      'add <customer>',
      m('新增联系人（第一个自动为主联系人）', 'add a contact (the first is primary)'),
      ['crm contacts add 110101001 --name 王芳 --title 科长 --mobile 13800138000'],
    ).requiredOption('--name <name>', ctx.t(m('姓名', 'name'))),
    ctx,
  ).action(
    act<[string]>(ctx, async (customer, opts) => {
      const { addContact } = await loadCustomersContacts();
      const svc = await ctx.services();
      const k = await addContact(svc, customer, input(opts));
      done(ctx, m('已新增联系人 {id} {name}（{customer}）', 'added contact {id} {name} ({customer})'), k);
    }),
  );

  verb(contacts, ctx, 'list', m('列出联系人（主联系人在前）', 'list contacts (primary first)'), [
    'crm contacts list --customer 110101001',
    'crm contacts list --search 王 --json',
  ])
    .option('--customer <code>', ctx.t(m('客户编码', 'customer code')))
    .option('--search <text>', ctx.t(m('按姓名、电话、邮箱查找', 'search name, phone, email')))
    .option('--limit <n>', ctx.t(m('最多几条（默认 100）', 'at most this many (default 100)')), intOption)
    .option('--offset <n>', ctx.t(m('跳过几条', 'skip this many')), intOption)
    .action(
      act(ctx, async (opts) => {
        const { listContacts } = await loadCustomersContacts();
        const svc = await ctx.services();
        const rows = await listContacts(svc, {
          customer: opts.customer,
          search: opts.search,
          limit: opts.limit,
          offset: opts.offset,
        });
        renderRows(ctx, columns, rows, { empty: m('没有联系人', 'no contacts') });
      }),
    );

  fields(
    verb(contacts, ctx, 'edit <id>', m('修改联系人', 'edit a contact'), [
      'crm contacts edit 3 --mobile 13900139000 --title 处长',
    ]).option('--name <name>', ctx.t(m('姓名', 'name'))),
    ctx,
  ).action(
    act<[string]>(ctx, async (id, opts) => {
      const { editContact } = await loadCustomersContacts();
      const svc = await ctx.services();
      const k = await editContact(svc, idArg(id), { ...input(opts), primary: opts.primary ? true : undefined });
      done(ctx, m('已修改联系人 {id} {name}（{customer}）', 'edited contact {id} {name} ({customer})'), k);
    }),
  );

  verb(contacts, ctx, 'set-primary <id>', m('设为该客户的主联系人', "make a contact its customer's primary"), [
    'crm contacts set-primary 3',
  ]).action(
    act<[string]>(ctx, async (id) => {
      const { setPrimaryContact } = await loadCustomersContacts();
      const svc = await ctx.services();
      const k = await setPrimaryContact(svc, idArg(id));
      done(ctx, m('{customer} 的主联系人：{id} {name}', 'primary contact of {customer}: {id} {name}'), k);
    }),
  );

  verb(
    contacts,
    ctx,
    'delete <id>',
    m(
      '删除联系人（删除主联系人时最早的其余联系人成为主联系人）',
      'delete a contact (the oldest other becomes primary)',
    ),
    ['crm contacts delete 3'],
  ).action(
    act<[string]>(ctx, async (id) => {
      const { deleteContact } = await loadCustomersContacts();
      const svc = await ctx.services();
      const r = await deleteContact(svc, idArg(id));
      if (ctx.json) return printJson(ctx, r);
      ctx.out(
        ctx.t(m('已删除联系人 {id} {name}', 'deleted contact {id} {name}'), { id: r.deleted.id, name: r.deleted.name }),
      );
      if (r.newPrimary)
        ctx.out(
          ctx.t(m('新的主联系人：{id} {name}', 'new primary contact: {id} {name}'), {
            id: r.newPrimary.id,
            name: r.newPrimary.name,
          }),
        );
    }),
  );
}
