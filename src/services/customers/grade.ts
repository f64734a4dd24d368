/**
 * Customer grading (客户分级) by Pareto over sales: customers sorted by their counted order totals in a
 * period (approved, fulfilled or closed orders, signed in the period — the same rule as the reports), best
 * first. With thresholds {A:50, B:80, C:95, D:99} (setting customers.gradeThresholds), a customer's grade is
 * decided by the share of total sales held by the customers ranked before it: below 50% → A (so the customer
 * that crosses 50% is still A), below 80% → B, below 95% → C, below 99% → D, else E. Customers without sales
 * are E. A grade set by hand (`grade_manual`) is kept and reported as such.
 */
import { randomUUID } from 'node:crypto';
import { addDays, businessDate, parseDateArg } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { parseFen, yuanString } from '../../domain/money.js';
import { requireCapability } from '../../domain/roles.js';
import { percentBp, percentString } from '../../reports/common.js';
import { auditRow, auditRows } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { countedOrders } from '../reports/sql.js';

export interface GradeRow {
  code: string;
  name: string;
  sales: string; // yuan
  share: string; // percent of total, "12.34"
  cumulativeShare: string; // percent including this customer
  oldGrade: string | null;
  grade: string | null;
  manual: boolean;
  changed: boolean;
}

export interface GradeResult {
  from: string;
  to: string;
  thresholds: Record<string, number>;
  totalSales: string;
  customers: number;
  changed: number;
  manualKept: number;
  dryRun: boolean;
  batchId: string | null;
  rows: GradeRow[];
}

/** Pure: grades for sales totals sorted best first. Thresholds are percents (may have decimals). */
export function paretoGrades(totals: number[], thresholds: Record<string, number>): string[] {
  const total = totals.reduce((a, b) => a + BigInt(b), 0n);
  const cuts = (['A', 'B', 'C', 'D'] as const).map((g) => [g, BigInt(Math.round(thresholds[g]! * 100))] as const);
  let before = 0n;
  return totals.map((t) => {
    let grade = 'E';
    if (t > 0 && total > 0n) {
      // before / total < cut / 10000  ⇔  before * 10000 < cut * total
      const found = cuts.find(([, cut]) => before * 10000n < cut * total);
      if (found) grade = found[0];
    }
    before += BigInt(t);
    return grade;
  });
}

export async function gradeCustomers(
  svc: ServiceContext,
  opts: { from?: string; to?: string; dryRun?: boolean } = {},
): Promise<GradeResult> {
  if (opts.dryRun) requireCapability(svc.actor, 'crm.approve', { zh: '预览客户分级', en: 'preview customer grades' });
  else requireCapability(svc.actor, 'crm.admin', { zh: '重新计算客户分级', en: 'regrade customers' });
  const tz = await svc.settings.get<string>('timezone');
  const today = businessDate(svc.clock.now(), tz);
  const to = opts.to ? parseDateArg(opts.to, '--to') : today;
  const from = opts.from ? parseDateArg(opts.from, '--from') : addDays(to, -364);
  if (from > to) {
    throw new CrmError(
      'E3163',
      { zh: `起始日期 ${from} 晚于结束日期 ${to}`, en: `--from ${from} is after --to ${to}` },
      ExitCode.usage,
    );
  }
  const thresholds = await svc.settings.get<Record<string, number>>('customers.gradeThresholds');
  const counted = countedOrders({ from, to }, tz);
  const run = async (tx: ServiceContext): Promise<GradeResult> => {
    const sales: { id: number; total: unknown }[] = await tx
      .db('orders as o')
      .whereRaw(counted.sql, counted.bindings)
      .groupBy('o.customer_id')
      .select('o.customer_id as id')
      .sum({ total: 'o.total_fen' });
    const byId = new Map(sales.map((r) => [Number(r.id), parseFen(r.total ?? null)]));
    const customers: { id: number; code: string; name: string; grade: string | null; grade_manual: unknown }[] =
      await tx.db('customers').whereNot('status', 'deleted').select('id', 'code', 'name', 'grade', 'grade_manual');
    const ranked = customers
      .map((c) => ({ ...c, total: byId.get(Number(c.id)) ?? 0 }))
      .sort((a, b) => b.total - a.total || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const grandTotal = ranked.reduce((a, c) => a + c.total, 0);
    const grades = paretoGrades(
      ranked.map((c) => c.total),
      thresholds,
    );
    let cumulative = 0;
    const rows: GradeRow[] = ranked.map((c, i) => {
      cumulative += c.total;
      const manual = Boolean(Number(c.grade_manual));
      const grade = manual ? c.grade : grades[i]!;
      return {
        code: c.code,
        name: c.name,
        sales: yuanString(c.total),
        share: percentString(percentBp(c.total, grandTotal)),
        cumulativeShare: percentString(percentBp(cumulative, grandTotal)),
        oldGrade: c.grade ?? null,
        grade,
        manual,
        changed: !manual && grade !== (c.grade ?? null),
      };
    });
    const changedRows = rows.filter((r) => r.changed);
    let batchId: string | null = null;
    if (!opts.dryRun && changedRows.length) {
      batchId = randomUUID();
      const idOf = new Map(ranked.map((c) => [c.code, Number(c.id)]));
      const now = nowIso(tx.clock);
      for (const g of ['A', 'B', 'C', 'D', 'E']) {
        const ids = changedRows.filter((r) => r.grade === g).map((r) => idOf.get(r.code)!);
        for (let i = 0; i < ids.length; i += 500) {
          await tx
            .db('customers')
            .whereIn('id', ids.slice(i, i + 500))
            .update({ grade: g, updated_at: now });
        }
      }
      const audits = changedRows.map((r) =>
        auditRow(tx.clock, tx.actor, {
          action: 'customers.grade',
          entity: 'customer',
          entityId: r.code,
          before: { grade: r.oldGrade },
          after: { grade: r.grade, sales: r.sales, cumulativeShare: r.cumulativeShare, from, to },
          batchId,
        }),
      );
      await auditRows(tx.db, audits);
    }
    return {
      from,
      to,
      thresholds,
      totalSales: yuanString(grandTotal),
      customers: rows.length,
      changed: changedRows.length,
      manualKept: rows.filter((r) => r.manual).length,
      dryRun: Boolean(opts.dryRun),
      batchId,
      rows,
    };
  };
  return opts.dryRun ? run(svc) : inTransaction(svc, run);
}
