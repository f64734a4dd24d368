import { type Command, Option } from 'commander';
import { act, collect, group, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderDetails, renderRows } from '../../cli/output.js';
import { askText } from '../../cli/prompt.js';
import { isValidDate, parseLocalDateTime } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { formatYuan, parseYuan, yuanString } from '../../domain/money.js';
import { bpText, milliText } from '../../services/orders/common.js';
import type { OrderDetail, OrderSummary } from '../../services/orders/orders.js';
import type { MoneyResult, PAYMENT_METHODS } from '../../services/orders/payments.js';
import type { OverdueInstalment } from '../../services/orders/receivables.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadOrders = () => import('../../services/orders/orders.js');
const loadOrdersPayments = () => import('../../services/orders/payments.js');
const loadOrdersPlans = () => import('../../services/orders/plans.js');
const loadOrdersReceivables = () => import('../../services/orders/receivables.js');
/** For --help without loading the payments service; the type keeps it equal to the service's list. */
const PAYMENT_METHOD_NAMES: typeof PAYMENT_METHODS = ['transfer', 'cash', 'cheque', 'other'];

/** The `orders show --json` contract: amounts are yuan strings with two decimals. */
export function orderJson(d: OrderDetail) {
  return {
    number: d.number,
    customerCode: d.customerCode,
    customerName: d.customerName,
    owner: d.owner,
    status: d.status,
    orderDate: d.orderDate,
    signedAt: d.signedAt,
    startDate: d.startDate,
    endDate: d.endDate,
    opportunityId: d.opportunityId,
    needsApproval: d.needsApproval,
    approvedBy: d.approvedBy,
    rejectReason: d.rejectReason,
    cancelReason: d.cancelReason,
    items: d.items.map((i) => ({
      line: i.line,
      productCode: i.productCode,
      productName: i.productName,
      quantity: milliText(i.quantityMilli),
      unitPrice: yuanString(i.unitPriceFen),
      discountPercent: bpText(i.discountBp),
      subtotal: yuanString(i.subtotalFen),
    })),
    total: yuanString(d.totalFen),
    received: yuanString(d.receivedFen),
    refunded: yuanString(d.refundedFen),
    outstanding: yuanString(d.outstandingFen),
    plan: d.plan.map((p) => ({
      number: p.number,
      dueDate: p.dueDate,
      amount: yuanString(p.amountFen),
      paid: yuanString(p.paidFen),
      status: p.status,
    })),
    transactions: d.transactions.map((t) => ({
      ref: t.ref,
      kind: t.kind,
      amount: yuanString(t.amountFen),
      at: t.at,
      businessDate: t.businessDate,
      clearingStatus: t.clearingStatus,
      clearingDate: t.clearingDate,
      method: t.method,
      instalment: t.instalment,
      reason: t.reason,
    })),
  };
}

export function summaryJson(o: OrderSummary) {
  return {
    number: o.number,
    customerCode: o.customerCode,
    customerName: o.customerName,
    owner: o.owner,
    status: o.status,
    orderDate: o.orderDate,
    total: yuanString(o.totalFen),
    received: yuanString(o.receivedFen),
    refunded: yuanString(o.refundedFen),
    outstanding: yuanString(o.outstandingFen),
  };
}

const columns: Column<OrderSummary>[] = [
  { key: 'number', label: m('订单号', 'number') },
  { key: 'customerCode', label: m('客户', 'customer') },
  { key: 'owner', label: m('负责人', 'owner') },
  { key: 'status', label: m('状态', 'status') },
  { key: 'orderDate', label: m('日期', 'date') },
  { key: 'total', label: m('总额', 'total'), align: 'right', value: (o) => yuanString(o.totalFen) },
  {
    key: 'received',
    label: m('已收', 'received'),
    align: 'right',
    value: (o) => yuanString(o.receivedFen - o.refundedFen),
  },
  { key: 'outstanding', label: m('未收', 'outstanding'), align: 'right', value: (o) => yuanString(o.outstandingFen) },
];

export function printOrder(ctx: CliContext, d: OrderDetail): void {
  if (ctx.json) {
    printJson(ctx, orderJson(d));
    return;
  }
  renderDetails(
    ctx,
    [
      [m('订单号', 'number'), d.number],
      [m('客户', 'customer'), `${d.customerCode} ${d.customerName}`],
      [m('负责人', 'owner'), d.owner],
      [
        m('状态', 'status'),
        d.status + (d.status === 'submitted' && d.needsApproval ? ctx.t(m('（待审批）', ' (awaiting approval)')) : ''),
      ],
      [m('签订日期', 'signed'), d.signedAt],
      [m('合同期', 'term'), d.startDate || d.endDate ? `${d.startDate ?? ''} – ${d.endDate ?? ''}` : null],
      [m('审批人', 'approved by'), d.approvedBy],
      [m('驳回原因', 'rejected because'), d.rejectReason],
      [m('取消原因', 'cancelled because'), d.cancelReason],
      [m('总额', 'total'), formatYuan(d.totalFen)],
      [m('已收', 'received'), formatYuan(d.receivedFen)],
      [m('已退', 'refunded'), formatYuan(d.refundedFen)],
      [m('未收', 'outstanding'), formatYuan(d.outstandingFen)],
    ],
    null,
  );
  ctx.out('');
  for (const i of d.items) {
    ctx.out(
      `  ${i.line}. ${i.productCode} ${i.productName}  ${milliText(i.quantityMilli)}${i.unit ?? ''} × ${formatYuan(i.unitPriceFen)}` +
        `${i.discountBp ? ` −${bpText(i.discountBp)}%` : ''} = ${formatYuan(i.subtotalFen)}`,
    );
  }
  if (d.plan.length) {
    ctx.out(ctx.t(m('回款计划：', 'payment plan:')));
    for (const p of d.plan) {
      ctx.out(
        `  #${p.number} ${p.dueDate}  ${formatYuan(p.amountFen)}  ${ctx.t(m('已付', 'paid'))} ${formatYuan(p.paidFen)}  ${p.status}`,
      );
    }
  }
  if (d.transactions.length) {
    ctx.out(ctx.t(m('回款与退款：', 'receipts and refunds:')));
    for (const t of d.transactions) {
      ctx.out(
        `  ${t.ref}  ${t.kind}  ${formatYuan(t.amountFen)}  ${t.businessDate}  ${t.clearingStatus}${t.reason ? `  ${t.reason}` : ''}`,
      );
    }
  }
}

function statusLine(ctx: CliContext, d: OrderDetail): void {
  if (ctx.json) {
    printJson(ctx, orderJson(d));
    return;
  }
  ctx.out(
    ctx.t(m('订单 {number}：{status}，总额 {total}', 'order {number}: {status}, total {total}'), {
      number: d.number,
      status: d.status,
      total: formatYuan(d.totalFen),
    }),
  );
}

function optionalId(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text)) {
    throw new CrmError(
      'E6120',
      m(`${flag} 应为商机编号：${text}`, `${flag} must be an opportunity id: ${text}`),
      ExitCode.usage,
    );
  }
  return Number(text);
}

/** On a terminal, ask for what is missing; in scripts a missing --customer or --item is a usage error. */
async function askItems(ctx: CliContext): Promise<string[]> {
  const items: string[] = [];
  if (!ctx.interactive) return items;
  for (;;) {
    const answer = await askText(
      ctx,
      '--item',
      items.length
        ? m(
            '下一行（产品编码:数量[:单价[:折扣%]]，回车结束）',
            'next line (PRODUCT:QTY[:PRICE[:DISCOUNT%]], empty to finish)',
          )
        : m('订单行（产品编码:数量[:单价[:折扣%]]）', 'order line (PRODUCT:QTY[:PRICE[:DISCOUNT%]])'),
      { required: items.length === 0 },
    );
    if (!answer) return items;
    items.push(answer);
  }
}

export function registerOrderCommands(program: Command, ctx: CliContext): Command {
  const orders = group(
    program,
    ctx,
    'orders',
    m('订单与合同：审批、回款计划、回款与退款', 'orders and contracts: approval, payment plans, receipts and refunds'),
    [
      'crm orders create --customer C001 --item P-100:2 --item S-200:1:11000:5% --signed-at 2026-11-20',
      'crm orders submit SO20261123-0001',
      'crm orders show SO20261123-0001 --json',
    ],
  );

  verb(orders, ctx, 'create', m('创建订单（草稿）', 'create an order (draft)'), [
    'crm orders create --customer C001 --item P-100:2.5:1999.90:12.5% --number HT-2026-001',
  ])
    .option('--customer <code>', ctx.t(m('客户编码', 'customer code')))
    .option(
      '--item <spec>',
      ctx.t(m('订单行 产品编码:数量[:单价[:折扣%]]，可重复', 'line PRODUCT:QTY[:UNIT_PRICE[:DISCOUNT%]], repeatable')),
      collect,
      [],
    )
    .option(
      '--number <n>',
      ctx.t(m('订单号（默认按设置 orders.numberPattern 生成）', 'order number (default: from orders.numberPattern)')),
    )
    .option('--opportunity <id>', ctx.t(m('来源商机编号', 'the opportunity it comes from')))
    .option('--signed-at <date>', ctx.t(m('签订日期', 'date signed')))
    .option('--start <date>', ctx.t(m('合同开始日期', 'contract start')))
    .option('--end <date>', ctx.t(m('合同结束日期', 'contract end')))
    .option('--owner <user>', ctx.t(m('负责人（默认客户负责人）', "owner (default: the customer's owner)")))
    .action(
      act(ctx, async (opts) => {
        const { createOrder } = await loadOrders();
        const customer =
          opts.customer ?? (await askText(ctx, '--customer', m('客户编码', 'customer code'), { required: true }));
        let items = opts.item as string[];
        if (!items.length) items = await askItems(ctx);
        const svc = await ctx.services();
        const d = await createOrder(svc, {
          customer: String(customer),
          items,
          number: opts.number,
          opportunity: optionalId(opts.opportunity, '--opportunity'),
          signedAt: opts.signedAt,
          start: opts.start,
          end: opts.end,
          owner: opts.owner,
        });
        statusLine(ctx, d);
      }),
    );

  verb(orders, ctx, 'list', m('列出订单（按数据范围）', 'list orders (within your data scope)'), [
    'crm orders list --status approved --from 2026-11-01 --to 2026-11-30',
  ])
    .option('--customer <code>', ctx.t(m('客户编码', 'customer code')))
    .option('--owner <user>', ctx.t(m('负责人', 'owner')))
    .option('--status <status>', 'draft | submitted | approved | rejected | fulfilled | closed | cancelled')
    .option(
      '--from <date>',
      ctx.t(m('订单日期起（签订日期，否则创建日期）', 'order date from (signed date, else created)')),
    )
    .option('--to <date>', ctx.t(m('订单日期止', 'order date to')))
    .action(
      act(ctx, async (opts) => {
        const { listOrders } = await loadOrders();
        const rows = await listOrders(await ctx.services(), opts);
        renderRows(ctx, columns, rows, { json: rows.map(summaryJson), empty: m('没有订单', 'no orders') });
      }),
    );

  verb(orders, ctx, 'show <number>', m('显示订单、回款计划与回款', 'show an order, its plan and its money'), [
    'crm orders show SO20261123-0001 --json',
  ]).action(
    act<[string]>(ctx, async (number) => {
      const { showOrder } = await loadOrders();
      printOrder(ctx, await showOrder(await ctx.services(), number));
    }),
  );

  verb(orders, ctx, 'edit <number>', m('修改草稿（或被驳回的）订单', 'change a draft (or rejected) order'), [
    'crm orders edit SO20261123-0001 --item P-100:3 --signed-at 2026-11-21',
  ])
    .option('--item <spec>', ctx.t(m('替换全部订单行，可重复', 'replace all lines; repeatable')), collect, [])
    .option('--signed-at <date>', ctx.t(m('签订日期（空字符串清除）', 'date signed ("" clears)')))
    .option('--start <date>', ctx.t(m('合同开始日期', 'contract start')))
    .option('--end <date>', ctx.t(m('合同结束日期', 'contract end')))
    .option('--opportunity <id>', ctx.t(m('来源商机编号', 'the opportunity it comes from')))
    .action(
      act<[string]>(ctx, async (number, opts) => {
        const { editOrder } = await loadOrders();
        const d = await editOrder(await ctx.services(), number, {
          items: opts.item,
          signedAt: opts.signedAt,
          start: opts.start,
          end: opts.end,
          opportunity: optionalId(opts.opportunity, '--opportunity'),
        });
        printOrder(ctx, d);
      }),
    );

  verb(
    orders,
    ctx,
    'submit <number>',
    m(
      '提交：折扣或金额超过限额的需经理审批，其余直接生效',
      'submit: a discount or total above the limits waits for a manager, others are approved at once',
    ),
  ).action(
    act<[string]>(ctx, async (number) => {
      const { submitOrder } = await loadOrders();
      const d = await submitOrder(await ctx.services(), number);
      if (ctx.json) {
        printJson(ctx, orderJson(d));
        return;
      }
      ctx.out(
        d.status === 'approved'
          ? ctx.t(m('订单 {n} 已提交并自动生效', 'order {n} submitted and approved (within the limits)'), {
              n: d.number,
            })
          : ctx.t(
              m(
                '订单 {n} 已提交，等待上级经理审批',
                "order {n} submitted; it waits for the owner's manager to approve",
              ),
              {
                n: d.number,
              },
            ),
      );
    }),
  );

  verb(
    orders,
    ctx,
    'approve <number>',
    m('审批通过（负责人的上级经理或管理员）', "approve (the owner's manager or an admin)"),
  ).action(
    act<[string]>(ctx, async (number) => {
      const { approveOrder } = await loadOrders();
      statusLine(ctx, await approveOrder(await ctx.services(), number));
    }),
  );
  verb(orders, ctx, 'reject <number>', m('驳回（须写原因）', 'reject (with a reason)'), [
    'crm orders reject SO20261123-0002 --reason "折扣过大"',
  ])
    .option('--reason <text>', ctx.t(m('驳回原因', 'why')))
    .action(
      act<[string]>(ctx, async (number, opts) => {
        const { rejectOrder } = await loadOrders();
        statusLine(ctx, await rejectOrder(await ctx.services(), number, opts.reason));
      }),
    );
  verb(orders, ctx, 'fulfil <number>', m('标记已履约（交付完成）', 'mark fulfilled (delivered)')).action(
    act<[string]>(ctx, async (number) => {
      const { fulfilOrder } = await loadOrders();
      statusLine(ctx, await fulfilOrder(await ctx.services(), number));
    }),
  );
  verb(orders, ctx, 'close <number>', m('关闭已履约的订单', 'close a fulfilled order')).action(
    act<[string]>(ctx, async (number) => {
      const { closeOrder } = await loadOrders();
      statusLine(ctx, await closeOrder(await ctx.services(), number));
    }),
  );
  verb(orders, ctx, 'cancel <number>', m('取消订单（有未退款项时不可）', 'cancel an order (not while it holds money)'))
    .option('--reason <text>', ctx.t(m('取消原因', 'why')))
    .action(
      act<[string]>(ctx, async (number, opts) => {
        const { cancelOrder } = await loadOrders();
        statusLine(ctx, await cancelOrder(await ctx.services(), number, opts.reason));
      }),
    );

  verb(
    orders,
    ctx,
    'plan <number>',
    m('制定回款计划（合计不超过订单总额）', 'set the payment plan (never above the order total)'),
    ['crm orders plan SO20261123-0001 --instalment 2026-12-15:50000 --instalment 2027-03-15:40000'],
  )
    .option(
      '--instalment <date:amount>',
      ctx.t(m('一期：到期日:金额（元），可重复', 'one instalment DATE:AMOUNT (yuan); repeatable')),
      collect,
      [],
    )
    .action(
      act<[string]>(ctx, async (number, opts) => {
        const { setPlan } = await loadOrdersPlans();
        printOrder(ctx, await setPlan(await ctx.services(), number, opts.instalment));
      }),
    );

  const moneyDone = (r: MoneyResult, kind: 'receipt' | 'refund') => {
    if (ctx.json) {
      printJson(ctx, { status: r.status, ref: r.ref, order: orderJson(r.order) });
      return;
    }
    const t = r.order.transactions.find((x) => x.ref === r.ref);
    if (r.status === 'unchanged') {
      ctx.out(
        ctx.t(
          m(
            '流水号 {ref} 已登记过（内容相同，未重复记账）',
            'ref {ref} was already recorded (same content; nothing changed)',
          ),
          { ref: r.ref },
        ),
      );
    } else {
      ctx.out(
        ctx.t(
          kind === 'receipt'
            ? m(
                '已登记回款 {amount}（流水号 {ref}，清算日 {date}）',
                'receipt {amount} recorded (ref {ref}, business date {date})',
              )
            : m(
                '已登记退款 {amount}（流水号 {ref}，清算日 {date}）',
                'refund {amount} recorded (ref {ref}, business date {date})',
              ),
          { amount: formatYuan(t?.amountFen ?? 0), ref: r.ref, date: t?.businessDate ?? '' },
        ),
      );
    }
    ctx.out(
      ctx.t(m('订单 {n}：已收 {r}，已退 {f}，未收 {o}', 'order {n}: received {r}, refunded {f}, outstanding {o}'), {
        n: r.order.number,
        r: formatYuan(r.order.receivedFen),
        f: formatYuan(r.order.refundedFen),
        o: formatYuan(r.order.outstandingFen),
      }),
    );
  };
  const parseAt = async (text: string) => {
    const tz = await (await ctx.services()).settings.get<string>('timezone');
    const value = String(text).trim();
    return parseLocalDateTime(isValidDate(value) ? `${value} 00:00` : value, tz);
  };

  // Both a receipt and a refund post a settlement transaction, named by these two options.
  const accountClassOption = () =>
    new Option(
      '--account-class <class>',
      ctx.t(m('账户分类（默认 财政授权支付）', 'account class (default 财政授权支付)')),
    );
  const refOption = () =>
    new Option(
      '--ref <ref>',
      ctx.t(m('清算流水号（唯一；省略则自动生成）', 'settlement reference (unique; generated when absent)')),
    );

  verb(
    orders,
    ctx,
    'pay <number>',
    m('登记回款（生成一笔清算交易）', 'record a receipt (posts a settlement payment)'),
    [
      'crm orders pay SO20261123-0001 --amount 50000 --at "2026-11-24 10:30" --method transfer --account 6222000011112222',
      'crm orders pay SO20261123-0001 --amount 10000 --at "2026-11-24 11:00" --instalment 2 --ref BANK-20261124-0007',
    ],
  )
    .requiredOption('--amount <yuan>', ctx.t(m('金额（元）', 'amount in yuan')))
    .requiredOption(
      '--at <time>',
      ctx.t(m('到账时间 YYYY-MM-DD HH:mm（业务时区）', 'time received, YYYY-MM-DD HH:mm (business time zone)')),
    )
    .option(
      '--instalment <n>',
      ctx.t(m('记到第 n 期（默认最早未付的一期）', 'apply to instalment n (default: the oldest open one)')),
    )
    .option('--method <method>', PAYMENT_METHOD_NAMES.join(' | '), 'transfer')
    .option('--account <account>', ctx.t(m('付款账号', 'payer account')))
    .addOption(accountClassOption())
    .addOption(refOption())
    .action(
      act<[string]>(ctx, async (number, opts) => {
        const { receivePayment } = await loadOrdersPayments();
        const amountFen = parseYuan(String(opts.amount), { field: '--amount', allowZero: false });
        const at = await parseAt(opts.at);
        let instalment: number | undefined;
        if (opts.instalment !== undefined) {
          if (!/^\d{1,6}$/.test(String(opts.instalment))) {
            throw new CrmError(
              'E6153',
              m(
                `--instalment 应为期号：${opts.instalment}`,
                `--instalment must be an instalment number: ${opts.instalment}`,
              ),
              ExitCode.usage,
            );
          }
          instalment = Number(opts.instalment);
        }
        const r = await receivePayment(await ctx.services(), number, {
          amountFen,
          at,
          instalment,
          method: opts.method,
          account: opts.account,
          accountClass: opts.accountClass,
          ref: opts.ref,
        });
        moneyDone(r, 'receipt');
      }),
    );

  verb(
    orders,
    ctx,
    'refund <number>',
    m('登记退款（不超过已收减已退）', 'record a refund (never more than received minus refunded)'),
    ['crm orders refund SO20261123-0001 --amount 5000 --at "2026-11-25 09:00" --reason "多付退回"'],
  )
    .requiredOption('--amount <yuan>', ctx.t(m('金额（元）', 'amount in yuan')))
    .requiredOption('--at <time>', ctx.t(m('退款时间', 'time of the refund')))
    .requiredOption('--reason <text>', ctx.t(m('退款原因', 'why')))
    .addOption(accountClassOption())
    .addOption(refOption())
    .action(
      act<[string]>(ctx, async (number, opts) => {
        const { refundPayment } = await loadOrdersPayments();
        const r = await refundPayment(await ctx.services(), number, {
          amountFen: parseYuan(String(opts.amount), { field: '--amount', allowZero: false }),
          at: await parseAt(opts.at),
          reason: String(opts.reason),
          accountClass: opts.accountClass,
          ref: opts.ref,
        });
        moneyDone(r, 'refund');
      }),
    );

  const overdueColumns: Column<OverdueInstalment>[] = [
    { key: 'orderNumber', label: m('订单号', 'order') },
    { key: 'customerCode', label: m('客户', 'customer') },
    { key: 'owner', label: m('负责人', 'owner') },
    { key: 'instalment', label: m('期', 'instalment'), align: 'right' },
    { key: 'dueDate', label: m('到期日', 'due') },
    { key: 'outstanding', label: m('未收', 'outstanding'), align: 'right', value: (r) => yuanString(r.outstandingFen) },
    { key: 'daysOverdue', label: m('逾期天数', 'days overdue'), align: 'right' },
    { key: 'previousStatus', label: m('原状态', 'was') },
  ];
  verb(
    orders,
    ctx,
    'overdue',
    m('列出（--apply 标记）到期未付的回款计划', 'list (and with --apply mark) instalments past due'),
    ['crm orders overdue --date 2026-12-16', 'crm orders overdue --apply'],
  )
    .option('--date <date>', ctx.t(m('业务日期（默认今天）', 'business date (default: today)')))
    .option('--apply', ctx.t(m('写入逾期状态', 'write the overdue status')))
    .action(
      act(ctx, async (opts) => {
        const { markOverdue } = await loadOrdersReceivables();
        const r = await markOverdue(await ctx.services(), { date: opts.date, apply: Boolean(opts.apply) });
        renderRows(ctx, overdueColumns, r.instalments, {
          json: {
            date: r.date,
            applied: r.applied,
            marked: r.marked,
            instalments: r.instalments.map((i) => ({
              ...i,
              amount: yuanString(i.amountFen),
              paid: yuanString(i.paidFen),
              outstanding: yuanString(i.outstandingFen),
              amountFen: undefined,
              paidFen: undefined,
              outstandingFen: undefined,
            })),
          },
          empty: m('没有逾期的回款计划', 'no instalments past due'),
        });
        if (!ctx.json)
          ctx.note(
            r.applied
              ? m('{date}：新标记逾期 {n} 期', '{date}: {n} instalments newly marked overdue')
              : m(
                  '{date}：{n} 期将标记为逾期（加 --apply 写入）',
                  '{date}: {n} instalments would be marked overdue (add --apply)',
                ),
            { date: r.date, n: r.marked },
          );
      }),
    );

  return orders;
}
