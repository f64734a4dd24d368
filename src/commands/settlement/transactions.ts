import type { Command } from 'commander';
import { act, group, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, printJson, renderDetails, renderRows } from '../../cli/output.js';
import { formatLocal } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { formatYuan, parseYuan, yuanString } from '../../domain/money.js';
import { KIND_LABEL, STATUS_LABEL } from '../../services/settlement/common.js';
import type { TransactionDetail, TransactionFilter, TransactionItem } from '../../services/settlement/transactions.js';

/** Where a transaction came from: a bank feed, or an order's receipt or refund. */
const SOURCE_LABEL: Record<string, { zh: string; en: string }> = {
  feed: m('银行流水', 'bank feed'),
  order: m('订单回款/退款', 'order receipt or refund'),
};

const loadTransactions = () => import('../../services/settlement/transactions.js');

export type TransactionListOptions = TransactionFilter;

export function parseTransactionListOptions(_args: string[], raw: RawOptions): TransactionListOptions {
  const yuan = (flag: string) => {
    const v = stringOption(raw, flag);
    return v === undefined ? undefined : parseYuan(v, { field: `--${flag}` });
  };
  const limit = stringOption(raw, 'limit');
  if (limit !== undefined && !/^[1-9]\d*$/.test(limit)) {
    throw new CrmError(
      'E7143',
      { zh: `--limit 应为正整数："${limit}"`, en: `--limit must be a positive whole number: "${limit}"` },
      ExitCode.usage,
    );
  }
  return {
    ref: stringOption(raw, 'ref'),
    unit: stringOption(raw, 'unit'),
    customer: stringOption(raw, 'customer'),
    from: stringOption(raw, 'from'),
    to: stringOption(raw, 'to'),
    kind: stringOption(raw, 'kind'),
    status: stringOption(raw, 'status'),
    late: raw.late === true ? true : undefined,
    minFen: yuan('min'),
    maxFen: yuan('max'),
    limit: limit === undefined ? undefined : Number(limit),
  };
}

/** The `--json` contract: a list of transactions, amounts as yuan strings, times as UTC ISO strings. */
export function transactionJson(t: TransactionItem) {
  return {
    ref: t.ref,
    kind: t.kind,
    amount: yuanString(t.amountFen),
    customerCode: t.customerCode,
    customerName: t.customerName,
    unitCode: t.unitCode,
    unitName: t.unitName,
    accountClass: t.accountClass,
    occurredAt: t.occurredAt,
    businessDate: t.businessDate,
    clearingStatus: t.clearingStatus,
    clearingDate: t.clearingDate,
    late: t.late,
  };
}

export async function runTransactionList(ctx: CliContext, opts: TransactionListOptions): Promise<void> {
  const { listTransactions } = await loadTransactions();
  const svc = await ctx.services();
  const list = await listTransactions(svc, opts);
  if (ctx.json) return printJson(ctx, list.items.map(transactionJson));
  const timeZone = await svc.settings.get<string>('timezone');
  const columns: Column<TransactionItem>[] = [
    { key: 'ref', label: m('流水号', 'ref') },
    { key: 'kind', label: m('类型', 'kind'), value: (t) => ctx.t(KIND_LABEL[t.kind]) },
    { key: 'amount', label: m('金额', 'amount'), align: 'right', value: (t) => formatYuan(t.amountFen) },
    { key: 'customerCode', label: m('单位', 'unit'), value: (t) => `${t.customerCode} ${t.customerName}` },
    { key: 'unitCode', label: m('一级单位', 'first-level unit') },
    { key: 'occurredAt', label: m('交易时间', 'time'), value: (t) => formatLocal(new Date(t.occurredAt), timeZone) },
    { key: 'businessDate', label: m('营业日', 'business day') },
    {
      key: 'clearingStatus',
      label: m('状态', 'status'),
      value: (t) => ctx.t(STATUS_LABEL[t.clearingStatus]) + (t.clearingDate ? ` ${t.clearingDate}` : ''),
    },
    { key: 'late', label: m('迟到', 'late'), value: (t) => (t.late ? ctx.t(m('是', 'yes')) : '') },
  ];
  renderRows(ctx, columns, list.items, { empty: m('没有符合条件的交易', 'no transactions match') });
  // Totals for people: under the table on a terminal, on stderr when stdout is piped (it stays rows only).
  const say =
    ctx.format() === 'table' ? (text: string) => ctx.out(text) : (text: string) => ctx.io.stderr.write(`${text}\n`);
  say(
    ctx.t(
      m('合计：划款 {pn} 笔 {pt} 元；退款 {rn} 笔 {rt} 元', 'total: {pn} payments, {pt} yuan; {rn} refunds, {rt} yuan'),
      {
        pn: list.payments.count,
        pt: formatYuan(list.payments.totalFen),
        rn: list.refunds.count,
        rt: formatYuan(list.refunds.totalFen),
      },
    ),
  );
  if (list.truncated) {
    ctx.note(
      m(
        '只列出前 {n} 笔（合计包括全部）；用 --limit 或更多条件缩小范围',
        'only the first {n} are listed (the totals count all); narrow with --limit or more filters',
      ),
      { n: list.items.length },
    );
  }
}

export interface TransactionShowOptions {
  ref: string;
}

export function parseTransactionShowOptions(args: string[]): TransactionShowOptions {
  return { ref: String(args[0]) };
}

export async function runTransactionShow(ctx: CliContext, opts: TransactionShowOptions): Promise<void> {
  const { showTransaction } = await loadTransactions();
  const svc = await ctx.services();
  const t: TransactionDetail = await showTransaction(svc, opts.ref);
  const timeZone = await svc.settings.get<string>('timezone');
  renderDetails(
    ctx,
    [
      [m('流水号', 'ref'), t.ref],
      [m('类型', 'kind'), ctx.t(KIND_LABEL[t.kind])],
      [m('金额', 'amount'), formatYuan(t.amountFen)],
      [m('单位', 'unit'), `${t.customerCode} ${t.customerName}`],
      [m('一级单位', 'first-level unit'), `${t.unitCode} ${t.unitName}`],
      [m('账户分类', 'account class'), t.accountClass],
      [m('付款账号', 'payer account'), t.payerAccount],
      [m('摘要', 'memo'), t.memo],
      [m('交易时间', 'time'), formatLocal(new Date(t.occurredAt), timeZone)],
      [m('营业日', 'business day'), t.businessDate],
      [m('迟到', 'late'), t.late ? ctx.t(m('是', 'yes')) : ctx.t(m('否', 'no'))],
      [m('状态', 'status'), ctx.t(STATUS_LABEL[t.clearingStatus])],
      [m('清算日期', 'cleared on'), t.clearingDate],
      [m('清算文件', 'clearing file'), t.clearingFile],
      [m('凭证号', 'voucher'), t.voucherNumber],
      [m('来源', 'source'), ctx.t(SOURCE_LABEL[t.source] ?? m(t.source, t.source))],
      [m('登记时间', 'recorded at'), formatLocal(new Date(t.createdAt), timeZone)],
    ],
    {
      ...transactionJson(t),
      payerAccount: t.payerAccount,
      memo: t.memo,
      clearingFile: t.clearingFile,
      voucherNumber: t.voucherNumber,
      source: t.source,
      createdAt: t.createdAt,
    },
  );
}

export function registerTransactions(
  settlement: Command,
  ctx: CliContext,
  runs: { list?: RunVerb<TransactionListOptions>; show?: RunVerb<TransactionShowOptions> } = {},
): Command {
  const transactions = group(
    settlement,
    ctx,
    'transactions',
    m('查找交易：单位来电询问某笔款项时用', 'find transactions: for when a budget unit calls about a payment'),
    [
      'crm settlement transactions list --unit 110000001 --from 2026-11-01',
      'crm settlement transactions list --ref BANK-123 --json',
      'crm settlement transactions show BANK-123',
    ],
  );
  verb(
    transactions,
    ctx,
    'list',
    m('按条件列出交易，底部为划款与退款合计', 'list transactions by filters, with payment and refund totals'),
    [
      'crm settlement transactions list --unit 110000001',
      'crm settlement transactions list --kind 退款 --status pending --late',
      'crm settlement transactions list --min 1000 --max 5000 --from 2026-11-20 --to 2026-11-23',
    ],
  )
    .option('--ref <ref>', ctx.t(m('流水号', 'transaction ref')))
    .option(
      '--unit <code>',
      ctx.t(m('单位编码（一级单位含其下属单位）', 'unit code (a first-level unit includes its sub-units)')),
    )
    .option('--customer <code>', ctx.t(m('只看这一个单位', 'exactly this unit')))
    .option('--from <date>', ctx.t(m('营业日起（含）', 'from business day (inclusive)')))
    .option('--to <date>', ctx.t(m('营业日止（含）', 'to business day (inclusive)')))
    .option('--kind <kind>', ctx.t(m('类型：payment 划款 | refund 退款', 'kind: payment 划款 | refund 退款')))
    .option('--status <status>', ctx.t(m('pending 待清算 | cleared 已清算', 'pending | cleared')))
    .option('--late', ctx.t(m('只看迟到的交易', 'late transactions only')))
    .option('--min <yuan>', ctx.t(m('金额下限（元）', 'lowest amount (yuan)')))
    .option('--max <yuan>', ctx.t(m('金额上限（元）', 'highest amount (yuan)')))
    .option(
      '--limit <n>',
      ctx.t(m('最多列出几笔（默认 200；合计总是全部）', 'list at most this many (default 200; totals count all)')),
    )
    .action(act(ctx, parseTransactionListOptions, runs.list ?? runTransactionList));
  verb(transactions, ctx, 'show <ref>', m('显示一笔交易的全部信息', 'show one transaction in full'), [
    'crm settlement transactions show BANK-123 --json',
  ]).action(act(ctx, parseTransactionShowOptions, runs.show ?? runTransactionShow));
  return transactions;
}
