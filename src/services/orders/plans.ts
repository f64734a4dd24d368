import { compareDates, parseDateArg } from '../../domain/clock.js';
import { ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { parseFen, parseYuan, sumFen, yuanString } from '../../domain/money.js';
import { requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, type ServiceContext } from '../context.js';
import { OrderErrors, orderError } from './common.js';
import { type Instalment, moneyOfOrder, type OrderDetail, orderRow, planOf, showOrder } from './orders.js';

export type InstalmentStatus = Instalment['status'];

/**
 * An instalment's status after its paid amount changed: paid when fully paid; an overdue one stays overdue
 * until paid; else partly paid or due. Only markOverdue (the daily job) makes an instalment overdue.
 */
export function instalmentStatus(i: {
  amountFen: number;
  paidFen: number;
  status: InstalmentStatus;
}): InstalmentStatus {
  if (i.status === 'void') return 'void';
  if (i.paidFen >= i.amountFen) return 'paid';
  if (i.status === 'overdue') return 'overdue';
  return i.paidFen > 0 ? 'partly_paid' : 'due';
}

export function parseInstalment(spec: string, index: number): { dueDate: string; amountFen: number } {
  const where = `--instalment ${index + 1} "${spec}"`;
  const sep = spec.indexOf(':');
  if (sep < 0) {
    throw orderError(
      OrderErrors.badInstalment,
      m(`${where}：格式应为 日期:金额`, `${where}: expected DATE:AMOUNT`),
      ExitCode.usage,
      m('例如 --instalment 2026-12-31:50000', 'e.g. --instalment 2026-12-31:50000'),
    );
  }
  const dueDate = parseDateArg(spec.slice(0, sep), where);
  const amountFen = parseYuan(spec.slice(sep + 1), { field: where, allowZero: false });
  return { dueDate, amountFen };
}

/** Allowed statuses for planning: anything not cancelled or closed. */
const PLANNABLE = ['draft', 'submitted', 'approved', 'rejected', 'fulfilled'];

/**
 * Set (or replace) an order's payment plan 回款计划. The plan never exceeds the order total. A plan can be
 * replaced until a receipt has been applied to one of its instalments; money already received before the
 * plan is applied to the new instalments oldest first.
 */
export async function setPlan(ctx: ServiceContext, number: string, specs: string[]): Promise<OrderDetail> {
  requireCapability(ctx.actor, 'crm.write', m('制定回款计划', 'set payment plans'));
  if (!specs.length) {
    throw orderError(OrderErrors.badInstalment, m('至少需要一期 --instalment', 'give at least one --instalment'));
  }
  const parsed = specs.map((s, i) => parseInstalment(s, i));
  parsed.sort((a, b) => compareDates(a.dueDate, b.dueDate));
  await inTransaction(ctx, async (tx) => {
    const row = await orderRow(tx, number);
    const orderId = Number(row.id);
    if (!PLANNABLE.includes(String(row.status))) {
      throw orderError(
        OrderErrors.badStatus,
        m(
          `订单 ${number} 状态为 ${row.status}，不能制定回款计划`,
          `order ${number} is ${row.status}; it cannot get a plan`,
        ),
        ExitCode.conflict,
      );
    }
    const total = parseFen(row.total_fen);
    const planned = sumFen(parsed.map((p) => p.amountFen));
    if (planned > total) {
      throw orderError(
        OrderErrors.planExceedsTotal,
        m(
          `回款计划合计 ${yuanString(planned)} 超过订单总额 ${yuanString(total)}`,
          `the plan adds up to ${yuanString(planned)}, more than the order total ${yuanString(total)}`,
        ),
        ExitCode.usage,
      );
    }
    const before = await planOf(tx.db, orderId);
    if (before.length) {
      const used = await tx
        .db('order_payments')
        .whereIn(
          'instalment_id',
          before.map((b) => b.id),
        )
        .first('id');
      if (used) {
        throw orderError(
          OrderErrors.planHasReceipts,
          m(
            `订单 ${number} 的回款计划已有回款记录，不能替换`,
            `order ${number}'s plan already has receipts applied; it cannot be replaced`,
          ),
          ExitCode.conflict,
          m(
            '回款计划一旦收款即固定；如需调整，请退款后再改，或联系管理员',
            'a plan is fixed once money is applied to it; refund first to change it',
          ),
        );
      }
      await tx.db('plan_instalments').where({ order_id: orderId }).delete();
    }
    const money = await moneyOfOrder(tx.db, orderId);
    let unallocated = money.received - money.refunded;
    const rows = parsed.map((p, i) => {
      const paid = Math.max(0, Math.min(p.amountFen, unallocated));
      unallocated -= paid;
      return {
        order_id: orderId,
        number: i + 1,
        due_date: p.dueDate,
        amount_fen: p.amountFen,
        paid_fen: paid,
        status: instalmentStatus({ amountFen: p.amountFen, paidFen: paid, status: 'due' }),
      };
    });
    await tx.db('plan_instalments').insert(rows);
    await audit(tx, {
      action: 'orders.plan',
      entity: 'order',
      entityId: number,
      before: before.map((b) => ({ number: b.number, dueDate: b.dueDate, amountFen: b.amountFen })),
      after: rows.map((r) => ({ number: r.number, dueDate: r.due_date, amountFen: r.amount_fen })),
    });
  });
  return showOrder(ctx, number);
}
