/**
 * 财政拨付划款汇总清单 (summary list snapshots), 清算分类统计表 (classification, live), and the day status.
 */
import type { Knex } from 'knex';
import { actorId } from '../../domain/actor.js';
import { zonedDateTime } from '../../domain/clock.js';
import { CrmError, ExitCode, type L10n } from '../../domain/errors.js';
import { parseFen } from '../../domain/money.js';
import { audit } from '../audit.js';
import { loadCalendar } from '../calendar.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { today } from '../today.js';
import { type ClearFileResult, filesForDate } from './clearing.js';
import {
  type ClearingStatus,
  type DayState,
  dateArg,
  dayRow,
  dayState,
  operate,
  parseSettlementKind,
  read,
  type SettlementKind,
  statusArg,
} from './common.js';
import { previousWorkingDay } from './day.js';
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

export const E2033 = (date = 'D', status = 'pending|cleared') =>
  new CrmError(
    'E2033',
    {
      zh: '该项划款汇总数据未生成或无该项数据!',
      en: 'the summary list has not been generated or has no such data',
    },
    ExitCode.noData,
    {
      zh: `先 crm settlement summary generate --date ${date} --status ${status}`,
      en: `run crm settlement summary generate --date ${date} --status ${status} first`,
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
  if (!snap) throw E2033(date, status);
  if (opts.unit) await refuseSubUnit(ctx, opts.unit);
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
  // A list generated with no rows at all is an empty list (the day had nothing), not missing data.
  const filtered = Boolean(opts.kind || opts.unit);
  if (rows.length === 0 && filtered) throw E2033(date, status);
  return { date, status, generatedAt: String(snap.generated_at), rows, ...totals(rows) };
}

/** The lists are by first-level unit: a sub-unit's code names the unit to ask for instead. */
async function refuseSubUnit(ctx: ServiceContext, code: string): Promise<void> {
  let row = await ctx.db('customers').where({ code }).first('id', 'code', 'parent_id');
  if (!row || row.parent_id == null) return;
  const sub = String(row.code);
  while (row?.parent_id != null)
    row = await ctx.db('customers').where({ id: row.parent_id }).first('id', 'code', 'parent_id');
  const top = String(row?.code ?? '');
  throw new CrmError(
    'E2034',
    {
      zh: `${sub} 是下级单位；汇总清单按一级单位列出：用 --unit ${top}`,
      en: `${sub} is a sub-unit; the summary lists are by first-level unit: use --unit ${top}`,
    },
    ExitCode.usage,
  );
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
  if (opts.accountClass) {
    const known = await ctx.settings.get<string[]>('settlement.accountClasses');
    if (!known.includes(opts.accountClass)) {
      throw new CrmError(
        'E7104',
        {
          zh: `账户分类无效："${opts.accountClass}"（可选：${known.join('、')}）`,
          en: `unknown account class "${opts.accountClass}" (known: ${known.join(', ')})`,
        },
        ExitCode.usage,
      );
    }
    q.andWhere('account_class', opts.accountClass);
  }
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

export interface KindTotals {
  count: number;
  totalFen: number;
}

export interface DayStatus {
  date: string;
  state: DayState;
  forced: boolean;
  openedAt: string | null;
  cutOffAt: string | null;
  clearedAt: string | null;
  /** Transactions of business date D not yet cleared, all kinds, then payments and refunds apart. */
  pending: { count: number; totalFen: number; late: number; payments: KindTotals; refunds: KindTotals };
  /** Transactions cleared with clearing date D. */
  cleared: {
    count: number;
    totalFen: number;
    pendingDate: string | null;
    payments: KindTotals;
    refunds: KindTotals;
  };
  files: ClearFileResult[];
  vouchersLeft: { payment: number; refund: number };
  /** A command that will be accepted now, or null when there is none to run (wait, or the day is done). */
  nextStep: string | null;
  /** Why, when there is no command or it needs explaining (a day off, a future date, before the time). */
  nextNote: L10n | null;
}

/** Count and total per kind of a transaction filter, in one GROUP BY. */
async function byKind(q: Knex.QueryBuilder): Promise<{ payments: KindTotals; refunds: KindTotals }> {
  const rows: { kind: string; n: unknown; total: unknown }[] = await q
    .groupBy('kind')
    .select('kind')
    .count({ n: '*' })
    .sum({ total: 'amount_fen' });
  const of = (kind: string): KindTotals => {
    const r = rows.find((x) => x.kind === kind);
    return { count: Number(r?.n ?? 0), totalFen: r ? parseFen(r.total) : 0 };
  };
  return { payments: of('payment'), refunds: of('refund') };
}

export async function dayStatus(ctx: ServiceContext, date: string): Promise<DayStatus> {
  read(ctx);
  const d = dateArg(date);
  const row = await dayRow(ctx.db, d);
  const state = (row ? String(row.state) : 'not_opened') as DayState;
  const pendingScope = () => ctx.db('settlement_transactions').where({ business_date: d, clearing_status: 'pending' });
  const clearedScope = () => ctx.db('settlement_transactions').where({ clearing_date: d, clearing_status: 'cleared' });
  const p = await byKind(pendingScope());
  const c = await byKind(clearedScope());
  const lateRow = await pendingScope().where({ late: true }).count({ n: '*' }).first();
  const run = await ctx.db('clearing_runs').where({ voucher_date: d, state: 'completed' }).first();
  const next = await nextStepOf(ctx, d, state, run ? String(run.pending_date) : null);
  return {
    date: d,
    state,
    forced: Boolean(row && Number(row.forced)),
    openedAt: (row?.opened_at as string | null) ?? null,
    cutOffAt: (row?.cut_off_at as string | null) ?? null,
    clearedAt: (row?.cleared_at as string | null) ?? null,
    pending: {
      count: p.payments.count + p.refunds.count,
      totalFen: p.payments.totalFen + p.refunds.totalFen,
      late: Number(lateRow?.n ?? 0),
      ...p,
    },
    cleared: {
      count: c.payments.count + c.refunds.count,
      totalFen: c.payments.totalFen + c.refunds.totalFen,
      pendingDate: run ? String(run.pending_date) : null,
      ...c,
    },
    files: await filesForDate(ctx.db, d),
    vouchersLeft: await countUnused(ctx.db),
    ...next,
  };
}

/**
 * The step that will be accepted now: never a future date's, never an early one without saying so, a day off
 * named with the next working day, and "done" once the evening's lists exist.
 */
async function nextStepOf(
  ctx: ServiceContext,
  d: string,
  state: DayState,
  pendingDate: string | null,
): Promise<{ nextStep: string | null; nextNote: L10n | null }> {
  const now = await today(ctx);
  if (d > now) {
    return {
      nextStep: `crm settlement status --date ${now}`,
      nextNote: {
        zh: `${d} 晚于今天（${now}），还不能操作`,
        en: `${d} is after today (${now}): nothing can be done yet`,
      },
    };
  }
  const tz = await ctx.settings.get<string>('timezone');
  const before = async (setting: 'settlement.openAt' | 'settlement.cutoffAt') => {
    const at = await ctx.settings.get<string>(setting);
    return d === now && ctx.clock.now().getTime() < zonedDateTime(d, at, tz).getTime() ? at : null;
  };
  if (state === 'not_opened') {
    const calendar = await loadCalendar(ctx.db);
    const info = calendar.dayInfo(d);
    if (!info.workingDay) {
      let following: string | null = null;
      try {
        following = calendar.nextWorkingDay(d);
      } catch {
        following = null;
      }
      return {
        nextStep: following && following <= now ? `crm settlement status --date ${following}` : null,
        nextNote: {
          zh: `${d} 不是工作日（${info.reason.zh}）${following ? `；下一个工作日是 ${following}` : ''}`,
          en: `${d} is not a working day (${info.reason.en})${following ? `; the next working day is ${following}` : ''}`,
        },
      };
    }
    const openAt = await before('settlement.openAt');
    if (openAt) {
      return {
        nextStep: null,
        nextNote: { zh: `${openAt} 启动（作业会自动执行）`, en: `opens at ${openAt} (the job runs it)` },
      };
    }
    return { nextStep: `crm settlement open --date ${d}`, nextNote: null };
  }
  if (state === 'open') {
    const cutoffAt = await before('settlement.cutoffAt');
    if (cutoffAt) {
      return {
        nextStep: null,
        nextNote: {
          zh: `接收交易至 ${cutoffAt}，之后截止（作业会自动执行）`,
          en: `taking transactions until ${cutoffAt}, then the cutoff (the job runs it)`,
        },
      };
    }
    return { nextStep: `crm settlement cutoff --date ${d}`, nextNote: null };
  }
  if (state === 'cut_off') {
    const p = await previousWorkingDay(ctx, d);
    const pState = await dayState(ctx.db, p);
    if (pState === 'open' || pState === 'not_opened') {
      return {
        nextStep: `crm settlement cutoff --date ${p}${pState === 'not_opened' ? ' --force' : ''}`,
        nextNote: {
          zh: `清算前待清算日期 ${p} 须先截止`,
          en: `the pending date ${p} must be cut off before the clear`,
        },
      };
    }
    return { nextStep: `crm settlement clear --date ${d}`, nextNote: null };
  }
  const lists = await ctx.db('summary_snapshots').where({ date: d, status: 'cleared' }).first('id');
  if (!lists) return { nextStep: `crm settlement summary generate --date ${d} --status cleared`, nextNote: null };
  const evening = pendingDate
    ? await ctx.db('summary_snapshots').where({ date: pendingDate, status: 'pending' }).first('generated_at')
    : null;
  const clearedAt = await ctx.db('business_days').where({ date: d }).first('cleared_at');
  if (pendingDate && (!evening || String(evening.generated_at) < String(clearedAt?.cleared_at ?? ''))) {
    return { nextStep: `crm settlement summary generate --date ${pendingDate} --status pending`, nextNote: null };
  }
  return { nextStep: null, nextNote: { zh: `${d} 已全部完成`, en: `${d} is done` } };
}
