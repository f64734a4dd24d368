/**
 * 财政拨付划款汇总清单 (summary list snapshots), 清算分类统计表 (classification, live), and the day status.
 */
import type { Knex } from 'knex';
import { actorId } from '../../domain/actor.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { parseFen } from '../../domain/money.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { type ClearFileResult, filesForDate } from './clearing.js';
import {
  type ClearingStatus,
  type DayState,
  dateArg,
  dayRow,
  operate,
  parseSettlementKind,
  read,
  type SettlementKind,
  statusArg,
} from './common.js';
import { refuseFutureDate } from './guard.js';
import { countUnused } from './vouchers.js';

export interface SummaryRow {
  unitCode: string;
  unitName: string;
  kind: SettlementKind;
  count: number;
  totalFen: number;
}

export interface SummaryList {
  date: string;
  status: ClearingStatus;
  generatedAt: string;
  rows: SummaryRow[];
  count: number;
  totalFen: number;
}

export interface ClassifyRow {
  accountClass: string;
  kind: SettlementKind;
  count: number;
  totalFen: number;
}

export interface ClassifyTable {
  date: string;
  status: ClearingStatus;
  rows: ClassifyRow[];
  count: number;
  totalFen: number;
}

/** Transactions of a list: pending for D = business date D not yet cleared; cleared for D = clearing date D. */
function scope(q: Knex.QueryBuilder, date: string, status: ClearingStatus): Knex.QueryBuilder {
  if (status === 'pending') return q.where({ business_date: date, clearing_status: 'pending' });
  return q.where({ clearing_date: date, clearing_status: 'cleared' });
}

const totals = <T extends { count: number; totalFen: number }>(rows: T[]) => ({
  count: rows.reduce((s, r) => s + r.count, 0),
  totalFen: rows.reduce((s, r) => s + r.totalFen, 0),
});

export const E2033 = () =>
  new CrmError(
    'E2033',
    {
      zh: '该项划款汇总数据未生成或无该项数据!',
      en: 'the summary list has not been generated or has no such data',
    },
    ExitCode.noData,
    {
      zh: '先 crm settlement summary generate --date D --status pending|cleared',
      en: 'run crm settlement summary generate --date D --status pending|cleared first',
    },
  );

export const E9999 = () => new CrmError('E9999', { zh: '无满足条件记录!', en: 'no records match' }, ExitCode.noData);

/** Snapshot the summary list for (date, status), replacing an earlier one. Audited. */
export async function generateSummary(
  ctx: ServiceContext,
  opts: { date: string; status: string },
): Promise<SummaryList> {
  operate(ctx, { zh: '生成汇总清单', en: 'generate summary lists' });
  const date = dateArg(opts.date);
  await refuseFutureDate(ctx, date, { zh: '生成汇总清单', en: 'listed' });
  const status = statusArg(opts.status);
  return inTransaction(ctx, async (tx) => {
    const groups: Record<string, unknown>[] = await scope(tx.db('settlement_transactions'), date, status)
      .groupBy('unit_code', 'kind')
      .select('unit_code', 'kind')
      .max({ unit_name: 'unit_name' })
      .count({ n: '*' })
      .sum({ total: 'amount_fen' });
    const rows: SummaryRow[] = groups
      .map((g) => ({
        unitCode: String(g.unit_code),
        unitName: String(g.unit_name),
        kind: g.kind as SettlementKind,
        count: Number(g.n),
        totalFen: parseFen(g.total),
      }))
      .sort((a, b) =>
        a.unitCode !== b.unitCode ? (a.unitCode < b.unitCode ? -1 : 1) : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0,
      );
    const before = await tx.db('summary_snapshots').where({ date, status }).first();
    if (before) {
      await tx.db('summary_rows').where({ snapshot_id: before.id }).delete();
      await tx.db('summary_snapshots').where({ id: before.id }).delete();
    }
    const generatedAt = nowIso(tx.clock);
    const [id] = await tx.db('summary_snapshots').insert({
      date,
      status,
      generated_at: generatedAt,
      generated_by: actorId(tx.actor),
    });
    for (let i = 0; i < rows.length; i += 500) {
      await tx.db('summary_rows').insert(
        rows.slice(i, i + 500).map((r) => ({
          snapshot_id: id,
          unit_code: r.unitCode,
          unit_name: r.unitName,
          kind: r.kind,
          txn_count: r.count,
          total_fen: r.totalFen,
        })),
      );
    }
    const t = totals(rows);
    await audit(tx, {
      action: 'settlement.summary.generate',
      entity: 'summary_snapshot',
      entityId: `${date}:${status}`,
      before: before ? { generatedAt: before.generated_at } : undefined,
      after: { rows: rows.length, count: t.count, totalFen: t.totalFen },
    });
    return { date, status, generatedAt, rows, ...t };
  });
}

/** Read a snapshot; E2033 (no data, exit 3) when never generated or nothing matches the filter. */
export async function showSummary(
  ctx: ServiceContext,
  opts: { date: string; status: string; kind?: string | null; unit?: string | null },
): Promise<SummaryList> {
  read(ctx);
  const date = dateArg(opts.date);
  const status = statusArg(opts.status);
  const snap = await ctx.db('summary_snapshots').where({ date, status }).first();
  if (!snap) throw E2033();
  const q = ctx.db('summary_rows').where({ snapshot_id: snap.id }).orderBy(['unit_code', 'kind']);
  if (opts.kind) q.where({ kind: parseSettlementKind(opts.kind) });
  if (opts.unit) q.where({ unit_code: opts.unit });
  const rows: SummaryRow[] = (await q).map((r: Record<string, unknown>) => ({
    unitCode: String(r.unit_code),
    unitName: String(r.unit_name),
    kind: r.kind as SettlementKind,
    count: Number(r.txn_count),
    totalFen: parseFen(r.total_fen),
  }));
  if (rows.length === 0) throw E2033();
  return { date, status, generatedAt: String(snap.generated_at), rows, ...totals(rows) };
}

/** 清算分类统计表, computed live. E9999 (no data, exit 3) when nothing matches. */
export async function classify(
  ctx: ServiceContext,
  opts: { date: string; status: string; accountClass?: string | null },
): Promise<ClassifyTable> {
  read(ctx);
  const date = dateArg(opts.date);
  const status = statusArg(opts.status);
  const q = scope(ctx.db('settlement_transactions'), date, status)
    .groupBy('account_class', 'kind')
    .select('account_class', 'kind')
    .count({ n: '*' })
    .sum({ total: 'amount_fen' });
  if (opts.accountClass) q.andWhere('account_class', opts.accountClass);
  const rows: ClassifyRow[] = (await q)
    .map((g: Record<string, unknown>) => ({
      accountClass: String(g.account_class),
      kind: g.kind as SettlementKind,
      count: Number(g.n),
      totalFen: parseFen(g.total),
    }))
    .sort((a: ClassifyRow, b: ClassifyRow) =>
      a.accountClass !== b.accountClass
        ? a.accountClass < b.accountClass
          ? -1
          : 1
        : a.kind < b.kind
          ? -1
          : a.kind > b.kind
            ? 1
            : 0,
    );
  if (rows.length === 0) throw E9999();
  return { date, status, rows, ...totals(rows) };
}

export interface DayStatus {
  date: string;
  state: DayState;
  forced: boolean;
  openedAt: string | null;
  cutOffAt: string | null;
  clearedAt: string | null;
  /** Transactions of business date D not yet cleared. */
  pending: { count: number; totalFen: number; late: number };
  /** Transactions cleared with clearing date D. */
  cleared: { count: number; totalFen: number; pendingDate: string | null };
  files: ClearFileResult[];
  vouchersLeft: { payment: number; refund: number };
  nextStep: string;
}

export async function dayStatus(ctx: ServiceContext, date: string): Promise<DayStatus> {
  read(ctx);
  const d = dateArg(date);
  const row = await dayRow(ctx.db, d);
  const state = (row ? String(row.state) : 'not_opened') as DayState;
  const p = await ctx
    .db('settlement_transactions')
    .where({ business_date: d, clearing_status: 'pending' })
    .count({ n: '*' })
    .sum({ total: 'amount_fen' })
    .first();
  const lateRow = await ctx
    .db('settlement_transactions')
    .where({ business_date: d, clearing_status: 'pending', late: true })
    .count({ n: '*' })
    .first();
  const c = await ctx
    .db('settlement_transactions')
    .where({ clearing_date: d, clearing_status: 'cleared' })
    .count({ n: '*' })
    .sum({ total: 'amount_fen' })
    .first();
  const run = await ctx.db('clearing_runs').where({ voucher_date: d, state: 'completed' }).first();
  const next: Record<DayState, string> = {
    not_opened: `crm settlement open --date ${d}`,
    open: `crm settlement cutoff --date ${d}`,
    cut_off: `crm settlement clear --date ${d}`,
    cleared: `crm settlement summary generate --date ${d} --status cleared`,
  };
  return {
    date: d,
    state,
    forced: Boolean(row && Number(row.forced)),
    openedAt: (row?.opened_at as string | null) ?? null,
    cutOffAt: (row?.cut_off_at as string | null) ?? null,
    clearedAt: (row?.cleared_at as string | null) ?? null,
    pending: { count: Number(p?.n ?? 0), totalFen: parseFen(p?.total ?? null), late: Number(lateRow?.n ?? 0) },
    cleared: {
      count: Number(c?.n ?? 0),
      totalFen: parseFen(c?.total ?? null),
      pendingDate: run ? String(run.pending_date) : null,
    },
    files: await filesForDate(ctx.db, d),
    vouchersLeft: await countUnused(ctx.db),
    nextStep: next[state],
  };
}
