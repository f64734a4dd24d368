import type { Knex } from 'knex';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { parseFen } from '../../domain/money.js';
import type { ServiceContext } from '../context.js';
import { dateArg, parseSettlementKind, read, statusArg } from './common.js';
import { type PostedTransaction, type TransactionKind, toPosted } from './ledger.js';

/**
 * `crm settlement transactions list|show`: how the operator answers a budget unit that calls about one payment.
 * Filters combine; without --from/--to every business date counts. Totals cover every match, not only the
 * listed page, and are summed in the database.
 */
export interface TransactionFilter {
  ref?: string;
  /** A unit's code: a first-level unit includes its sub-units; a sub-unit, its own subtree. */
  unit?: string;
  /** Exactly this customer. */
  customer?: string;
  from?: string;
  to?: string;
  kind?: string;
  status?: string;
  late?: boolean;
  minFen?: number;
  maxFen?: number;
  limit?: number;
}

/** A posted transaction as the lookup shows it: with its customer's code and name and where it came from. */
export interface TransactionItem extends Omit<PostedTransaction, 'id' | 'customerId'> {
  customerCode: string;
  customerName: string;
  source: string;
}

export interface TransactionDetail extends TransactionItem {
  payerAccount: string | null;
  memo: string | null;
  importBatchId: string | null;
  clearingFile: string | null;
  voucherNumber: string | null;
  createdAt: string;
}

export interface KindTotal {
  count: number;
  totalFen: number;
}

export interface TransactionList {
  items: TransactionItem[];
  payments: KindTotal;
  refunds: KindTotal;
  /** More matched than `limit`: the totals still count them all. */
  truncated: boolean;
}

export const DEFAULT_TRANSACTION_LIMIT = 200;

export async function listTransactions(ctx: ServiceContext, filter: TransactionFilter): Promise<TransactionList> {
  read(ctx);
  const limit = filter.limit ?? DEFAULT_TRANSACTION_LIMIT;
  const { scope } = await filtered(ctx.db, filter);
  const rows: Record<string, unknown>[] = await scope
    .clone()
    .join('customers as c', 'c.id', 't.customer_id')
    .select('t.*', 'c.code as customer_code', 'c.name as customer_name')
    .orderBy([
      { column: 't.business_date', order: 'asc' },
      { column: 't.occurred_at', order: 'asc' },
      { column: 't.id', order: 'asc' },
    ])
    .limit(limit + 1);
  const sums: { kind: string; n: unknown; total: unknown }[] = await scope
    .clone()
    .groupBy('t.kind')
    .select('t.kind', ctx.db.raw('count(*) as n'), ctx.db.raw('coalesce(sum(t.amount_fen), 0) as total'));
  const total = (kind: TransactionKind): KindTotal => {
    const s = sums.find((r) => r.kind === kind);
    return { count: Number(s?.n ?? 0), totalFen: s ? parseFen(s.total) : 0 };
  };
  return {
    items: rows.slice(0, limit).map(toItem),
    payments: total('payment'),
    refunds: total('refund'),
    truncated: rows.length > limit,
  };
}

export async function showTransaction(ctx: ServiceContext, ref: string): Promise<TransactionDetail> {
  read(ctx);
  const row: Record<string, unknown> | undefined = await ctx
    .db('settlement_transactions as t')
    .join('customers as c', 'c.id', 't.customer_id')
    .leftJoin('clearing_files as f', 'f.id', 't.clearing_file_id')
    .where('t.ref', ref)
    .first('t.*', 'c.code as customer_code', 'c.name as customer_name', 'f.name as file_name', 'f.voucher_number');
  if (!row) {
    throw new CrmError(
      'E7140',
      { zh: `没有流水号为 ${ref} 的交易`, en: `no transaction with ref ${ref}` },
      ExitCode.noData,
      {
        zh: '用 "crm settlement transactions list --unit 单位编码" 按单位查找',
        en: 'search by unit with "crm settlement transactions list --unit CODE"',
      },
    );
  }
  return {
    ...toItem(row),
    payerAccount: row.payer_account == null ? null : String(row.payer_account),
    memo: row.memo == null ? null : String(row.memo),
    importBatchId: row.import_batch_id == null ? null : String(row.import_batch_id),
    clearingFile: row.file_name == null ? null : String(row.file_name),
    voucherNumber: row.voucher_number == null ? null : String(row.voucher_number),
    createdAt: String(row.created_at),
  };
}

function toItem(r: Record<string, unknown>): TransactionItem {
  const { id: _id, customerId: _customerId, ...posted } = toPosted(r);
  return {
    ...posted,
    customerCode: String(r.customer_code),
    customerName: String(r.customer_name),
    source: String(r.source),
  };
}

/** Wrapped: an awaited query builder would run. */
async function filtered(db: Knex, f: TransactionFilter): Promise<{ scope: Knex.QueryBuilder }> {
  const q = db('settlement_transactions as t');
  if (f.ref) q.where('t.ref', f.ref);
  if (f.from) q.where('t.business_date', '>=', dateArg(f.from, '--from'));
  if (f.to) q.where('t.business_date', '<=', dateArg(f.to, '--to'));
  if (f.from && f.to && f.from > f.to) {
    throw new CrmError(
      'E7144',
      { zh: `--from ${f.from} 晚于 --to ${f.to}`, en: `--from ${f.from} is after --to ${f.to}` },
      ExitCode.usage,
    );
  }
  if (f.kind) q.where('t.kind', parseSettlementKind(f.kind));
  if (f.status) q.where('t.clearing_status', statusArg(f.status));
  if (f.late !== undefined) q.where('t.late', f.late ? 1 : 0);
  if (f.minFen !== undefined) q.where('t.amount_fen', '>=', f.minFen);
  if (f.maxFen !== undefined) q.where('t.amount_fen', '<=', f.maxFen);
  if (f.customer) q.where('t.customer_id', (await customerByCode(db, f.customer, '--customer')).id);
  if (f.unit) {
    const unit = await customerByCode(db, f.unit, '--unit');
    // Transactions carry their first-level unit's code (frozen at posting): a first-level unit is one equality;
    // a sub-unit is its subtree.
    if (unit.parentId === null) q.where('t.unit_code', unit.code);
    else q.whereIn('t.customer_id', await subtree(db, unit.id));
  }
  return { scope: q };
}

async function customerByCode(
  db: Knex,
  code: string,
  flag: string,
): Promise<{ id: number; code: string; parentId: number | null }> {
  const row = await db('customers').where({ code }).first('id', 'code', 'parent_id');
  if (!row) {
    throw new CrmError(
      'E7142',
      { zh: `${flag}：没有编码为 ${code} 的单位`, en: `${flag}: no unit with code ${code}` },
      ExitCode.noData,
    );
  }
  return { id: Number(row.id), code: String(row.code), parentId: row.parent_id == null ? null : Number(row.parent_id) };
}

/** The unit and every unit below it (breadth first, one query per level). */
async function subtree(db: Knex, rootId: number): Promise<number[]> {
  const all = [rootId];
  let level = [rootId];
  while (level.length) {
    const next: number[] = (await db('customers').whereIn('parent_id', level).select('id')).map((r: { id: unknown }) =>
      Number(r.id),
    );
    all.push(...next);
    level = next;
  }
  return all;
}
