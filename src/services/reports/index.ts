/**
 * Report use cases: check permission, work out the period and whose figures the actor may see
 * (data scope, narrowed by --owner or --team), run the aggregates, and hand them to a pure builder.
 */
import { parseDateArg } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { parseYuan, yuanString } from '../../domain/money.js';
import { requireCapability } from '../../domain/roles.js';
import { monthEnd, monthsOf, type Period, resolvePeriod } from '../../reports/common.js';
import { buildFunnel } from '../../reports/funnel.js';
import { buildGradeCustomers, buildGrading, buildPortrait, GRADES } from '../../reports/grading.js';
import type { ReportModel, ReportValue } from '../../reports/model.js';
import { buildPerformance } from '../../reports/performance.js';
import { buildPool } from '../../reports/pool.js';
import { buildProducts } from '../../reports/products.js';
import { buildRanking, RANKING_METRICS, type RankingMetric } from '../../reports/ranking.js';
import { buildReceivables } from '../../reports/receivables.js';
import { buildSettlement } from '../../reports/settlement.js';
import { buildTargets } from '../../reports/targets.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { today } from '../today.js';
import { scopeUserIds } from '../users.js';
import {
  customerGroups,
  customersOfGrade,
  emptyFigures,
  fen,
  funnelData,
  type MonthSales,
  monthlySales,
  ownerFigures,
  PORTRAIT_FIELDS,
  type PortraitField,
  poolMoves,
  poolSize,
  productFigures,
  query,
  receivables,
  settlementDays,
  targetRows,
  type UserLite,
  usersByIds,
} from './sql.js';

export interface ReportOptions {
  from?: string;
  to?: string;
  period?: string;
  /** One account manager (user name). */
  owner?: string;
  /** A manager: them and everyone below them. */
  team?: string;
}

interface Prepared {
  period: Period;
  tz: string;
  ids: number[] | null;
  params: Record<string, ReportValue>;
}

async function userId(ctx: ServiceContext, name: string, option: string): Promise<{ id: number; role: string }> {
  const [row] = await query(ctx.db, 'SELECT id, role FROM users WHERE name = ?', [name]);
  if (!row) {
    throw new CrmError(
      'E9103',
      { zh: `${option} 指定的用户不存在：${name}`, en: `no such user for ${option}: ${name}` },
      ExitCode.usage,
      { zh: '用 "crm users list" 查看用户', en: 'see "crm users list"' },
    );
  }
  return { id: Number(row.id), role: String(row.role) };
}

/** Everyone below a user (any depth), and the user. */
async function teamOf(ctx: ServiceContext, rootId: number): Promise<number[]> {
  const all = await query(ctx.db, 'SELECT id, supervisor_id FROM users');
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of all) {
      if (u.supervisor_id != null && ids.has(Number(u.supervisor_id)) && !ids.has(Number(u.id))) {
        ids.add(Number(u.id));
        grew = true;
      }
    }
  }
  return [...ids];
}

function outOfScope(who: string): CrmError {
  return new CrmError(
    'E9104',
    {
      zh: `数据范围之外：不能查看 ${who} 的报表`,
      en: `outside your data scope: you may not see the figures of ${who}`,
    },
    ExitCode.permission,
    {
      zh: '销售只能看自己的数据，经理能看自己团队的数据',
      en: 'a sales user sees their own figures, a manager their team’s',
    },
  );
}

/** The user ids whose figures this report covers: the actor's scope, narrowed by --owner / --team. */
export async function reportOwners(ctx: ServiceContext, opts: ReportOptions): Promise<number[] | null> {
  let ids = await scopeUserIds(ctx);
  if (opts.owner) {
    const u = await userId(ctx, opts.owner, '--owner');
    if (ids !== null && !ids.includes(u.id)) throw outOfScope(opts.owner);
    ids = [u.id];
  }
  if (opts.team) {
    const u = await userId(ctx, opts.team, '--team');
    const team = await teamOf(ctx, u.id);
    if (ids !== null && !team.some((id) => ids?.includes(id))) throw outOfScope(opts.team);
    ids = ids === null ? team : team.filter((id) => ids?.includes(id));
  }
  return ids;
}

async function prepare(ctx: ServiceContext, opts: ReportOptions): Promise<Prepared> {
  requireCapability(ctx.actor, 'crm.read', { zh: '查看报表', en: 'read reports' });
  const tz = await ctx.settings.get<string>('timezone');
  const now = await today(ctx);
  const period = resolvePeriod(opts, now);
  const ids = await reportOwners(ctx, opts);
  return {
    period,
    tz,
    ids,
    params: { from: period.from, to: period.to, owner: opts.owner ?? null, team: opts.team ?? null },
  };
}

function usageChoice(option: string, value: string, choices: readonly string[]): CrmError {
  return new CrmError(
    'E9105',
    {
      zh: `${option} 的取值无效：${value}（可选：${choices.join(', ')}）`,
      en: `invalid ${option} ${value} (one of ${choices.join(', ')})`,
    },
    ExitCode.usage,
  );
}

/** Account managers to list: the sales users and managers in scope, plus anyone else with figures. */
async function peopleFor(
  ctx: ServiceContext,
  ids: number[] | null,
  withFigures: Iterable<number>,
): Promise<UserLite[]> {
  const users = await usersByIds(ctx.db, ids);
  const figures = new Set(withFigures);
  return users.filter(
    (u) => figures.has(u.id) || (u.status === 'active' && (u.role === 'sales' || u.role === 'manager')),
  );
}

export async function funnelReport(ctx: ServiceContext, opts: ReportOptions): Promise<ReportModel> {
  const p = await prepare(ctx, opts);
  return buildFunnel(p.params, await funnelData(ctx.db, p.period, p.tz, p.ids));
}

export async function performanceReport(ctx: ServiceContext, opts: ReportOptions): Promise<ReportModel> {
  const p = await prepare(ctx, opts);
  const figures = await ownerFigures(ctx.db, p.period, p.tz, p.ids);
  const people = await peopleFor(ctx, p.ids, figures.keys());
  return buildPerformance(
    p.params,
    people.map((u) => ({ owner: u.name, ...(figures.get(u.id) ?? emptyFigures()) })),
  );
}

export async function rankingReport(
  ctx: ServiceContext,
  opts: ReportOptions & { by?: string; top?: number },
): Promise<ReportModel> {
  const by = (opts.by ?? 'orders-amount') as RankingMetric;
  if (!RANKING_METRICS.includes(by)) throw usageChoice('--by', String(opts.by), RANKING_METRICS);
  const p = await prepare(ctx, opts);
  const figures = await ownerFigures(ctx.db, p.period, p.tz, p.ids, { productsSold: by === 'products-sold' });
  const people = await peopleFor(ctx, p.ids, figures.keys());
  const value = (id: number): number => {
    const f = figures.get(id) ?? emptyFigures();
    switch (by) {
      case 'orders-amount':
        return f.ordersAmountFen;
      case 'receipts':
        return f.receiptsFen - f.refundsFen;
      case 'new-customers':
        return f.newCustomers;
      case 'followups':
        return f.followups;
      default:
        return f.productsSoldMilli;
    }
  };
  return buildRanking(
    p.params,
    by,
    opts.top ?? 10,
    people.map((u) => ({ owner: u.name, value: value(u.id) })),
  );
}

export async function gradingReport(
  ctx: ServiceContext,
  opts: ReportOptions & { grade?: string; top?: number },
): Promise<ReportModel> {
  const p = await prepare(ctx, opts);
  if (opts.grade !== undefined) {
    const grade = opts.grade.toUpperCase();
    if (!(GRADES as readonly string[]).includes(grade)) throw usageChoice('--grade', opts.grade, GRADES);
    return buildGradeCustomers(
      p.params,
      grade,
      await customersOfGrade(ctx.db, grade, p.period, p.tz, p.ids, opts.top ?? 100),
    );
  }
  return buildGrading(p.params, await customerGroups(ctx.db, 'grade', p.period, p.tz, p.ids));
}

export async function portraitReport(ctx: ServiceContext, opts: ReportOptions & { by?: string }): Promise<ReportModel> {
  const by = (opts.by ?? 'industry') as PortraitField;
  if (!PORTRAIT_FIELDS.includes(by)) throw usageChoice('--by', String(opts.by), PORTRAIT_FIELDS);
  const p = await prepare(ctx, opts);
  return buildPortrait(p.params, by, await customerGroups(ctx.db, by, p.period, p.tz, p.ids));
}

export async function productsReport(
  ctx: ServiceContext,
  opts: ReportOptions & { by?: string; top?: number; bottom?: number },
): Promise<ReportModel> {
  const by = (opts.by ?? 'product') as 'product' | 'category';
  if (by !== 'product' && by !== 'category') throw usageChoice('--by', String(opts.by), ['product', 'category']);
  const p = await prepare(ctx, opts);
  return buildProducts(p.params, by, await productFigures(ctx.db, by, p.period, p.tz, p.ids), {
    top: opts.top,
    bottom: opts.bottom,
  });
}

export async function targetsReport(ctx: ServiceContext, opts: ReportOptions): Promise<ReportModel> {
  const p = await prepare(ctx, opts);
  const months = monthsOf(p.period);
  const targets = await targetRows(ctx.db, months, p.ids);
  const names = new Map((await usersByIds(ctx.db, p.ids)).map((u) => [u.id, u.name]));
  // A month's actuals are the whole calendar month, whatever part of it the period covers.
  const sales = await monthlySales(ctx.db, months, p.tz, p.ids);
  const none = { ordersAmountFen: 0, receiptsFen: 0, refundsFen: 0 };
  const rows = [];
  for (const month of months) {
    const figures = sales.get(month) ?? new Map<number, MonthSales>();
    const monthTargets = targets.filter((t) => t.month === month);
    const userIds = new Set([...monthTargets.map((t) => t.userId), ...figures.keys()]);
    for (const id of [...userIds].sort((a, b) => String(names.get(a)).localeCompare(String(names.get(b))))) {
      const t = monthTargets.find((x) => x.userId === id);
      const f = figures.get(id) ?? none;
      if (!t && f.ordersAmountFen === 0 && f.receiptsFen === 0 && f.refundsFen === 0) continue;
      rows.push({
        owner: names.get(id) ?? String(id),
        month,
        targetOrdersFen: t?.ordersAmountFen ?? 0,
        actualOrdersFen: f.ordersAmountFen,
        targetReceiptsFen: t?.receiptsFen ?? 0,
        actualReceiptsFen: f.receiptsFen - f.refundsFen,
      });
    }
  }
  return buildTargets(p.params, rows);
}

export async function receivablesReport(
  ctx: ServiceContext,
  opts: ReportOptions & { asOf?: string },
): Promise<ReportModel> {
  requireCapability(ctx.actor, 'crm.read', { zh: '查看报表', en: 'read reports' });
  const tz = await ctx.settings.get<string>('timezone');
  const now = await today(ctx);
  const asOf = opts.asOf && opts.asOf !== 'today' ? parseDateArg(opts.asOf, '--as-of') : now;
  const ids = await reportOwners(ctx, opts);
  return buildReceivables(
    { asOf, owner: opts.owner ?? null, team: opts.team ?? null },
    await receivables(ctx.db, asOf, tz, ids),
  );
}

export async function poolReport(ctx: ServiceContext, opts: ReportOptions): Promise<ReportModel> {
  const p = await prepare(ctx, opts);
  const months = [];
  for (const month of monthsOf(p.period)) {
    const from = month === p.period.from.slice(0, 7) ? p.period.from : `${month}-01`;
    const to = month === p.period.to.slice(0, 7) ? p.period.to : monthEnd(month);
    months.push({ month, ...(await poolMoves(ctx.db, { from, to }, p.tz, p.ids)) });
  }
  return buildPool(p.params, months, await poolSize(ctx.db));
}

export async function settlementReport(ctx: ServiceContext, opts: ReportOptions): Promise<ReportModel> {
  requireCapability(ctx.actor, 'settlement.read', { zh: '查看清算报表', en: 'read settlement reports' });
  const now = await today(ctx);
  const period = resolvePeriod(opts, now);
  return buildSettlement({ from: period.from, to: period.to }, await settlementDays(ctx.db, period));
}

// ------------------------------------------------------------------------------------------------
// Targets (crm targets set / list)
// ------------------------------------------------------------------------------------------------

export interface TargetRecord {
  user: string;
  month: string;
  ordersAmount: string;
  receipts: string;
}

function checkMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) {
    throw new CrmError('E9110', { zh: `月份格式不正确："${month}"`, en: `invalid month "${month}"` }, ExitCode.usage, {
      zh: '格式为 YYYY-MM，例如 2026-11',
      en: 'use YYYY-MM, e.g. 2026-11',
    });
  }
  return month.trim();
}

/** Set (or replace) a user's monthly targets. Admins for anyone; managers for their team. Audited. */
export async function setTarget(
  ctx: ServiceContext,
  input: { user: string; month: string; ordersAmount?: string; receipts?: string },
): Promise<TargetRecord> {
  requireCapability(ctx.actor, 'crm.approve', { zh: '设置目标', en: 'set targets' });
  const month = checkMonth(input.month);
  if (input.ordersAmount === undefined && input.receipts === undefined) {
    throw new CrmError('E9111', { zh: '没有给出任何目标', en: 'no target given' }, ExitCode.usage, {
      zh: '给出 --orders-amount 和/或 --receipts',
      en: 'give --orders-amount and/or --receipts',
    });
  }
  const orders =
    input.ordersAmount === undefined ? undefined : parseYuan(input.ordersAmount, { field: '--orders-amount' });
  const receipts = input.receipts === undefined ? undefined : parseYuan(input.receipts, { field: '--receipts' });
  return inTransaction(ctx, async (tx) => {
    const u = await userId(tx, input.user, 'USER');
    const scope = await scopeUserIds(tx);
    if (scope !== null && !scope.includes(u.id)) throw outOfScope(input.user);
    const [existing] = await query(
      tx.db,
      'SELECT id, orders_amount_fen, receipts_fen FROM targets WHERE user_id = ? AND month = ?',
      [u.id, month],
    );
    const now = nowIso(tx.clock);
    const before = existing
      ? {
          user: input.user,
          month,
          ordersAmount: yuanString(fen(existing.orders_amount_fen)),
          receipts: yuanString(fen(existing.receipts_fen)),
        }
      : undefined;
    const ordersFen = orders ?? (existing ? fen(existing.orders_amount_fen) : 0);
    const receiptsFen = receipts ?? (existing ? fen(existing.receipts_fen) : 0);
    if (existing) {
      await tx
        .db('targets')
        .where({ id: existing.id })
        .update({ orders_amount_fen: ordersFen, receipts_fen: receiptsFen, updated_at: now });
    } else {
      await tx.db('targets').insert({
        user_id: u.id,
        month,
        orders_amount_fen: ordersFen,
        receipts_fen: receiptsFen,
        created_at: now,
        updated_at: now,
      });
    }
    const after: TargetRecord = {
      user: input.user,
      month,
      ordersAmount: yuanString(ordersFen),
      receipts: yuanString(receiptsFen),
    };
    await audit(tx, { action: 'targets.set', entity: 'target', entityId: `${input.user}/${month}`, before, after });
    return after;
  });
}

/** Targets of the months of a period, within data scope. */
export async function listTargets(
  ctx: ServiceContext,
  opts: ReportOptions & { month?: string },
): Promise<TargetRecord[]> {
  requireCapability(ctx.actor, 'crm.read', { zh: '查看目标', en: 'read targets' });
  const now = await today(ctx);
  const months = opts.month ? [checkMonth(opts.month)] : monthsOf(resolvePeriod({ period: 'this-year', ...opts }, now));
  const ids = await reportOwners(ctx, opts);
  const rows = await targetRows(ctx.db, months, ids);
  const names = new Map((await usersByIds(ctx.db, ids)).map((u) => [u.id, u.name]));
  return rows
    .map((t) => ({
      user: names.get(t.userId) ?? String(t.userId),
      month: t.month,
      ordersAmount: yuanString(t.ordersAmountFen),
      receipts: yuanString(t.receiptsFen),
    }))
    .sort((a, b) => a.month.localeCompare(b.month) || a.user.localeCompare(b.user));
}
