import { daysBetween, parseDateArg } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { parseFen } from '../../domain/money.js';
import { can, requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, type ServiceContext } from '../context.js';
import { scopeUserIds } from '../users.js';
import { type Row, todayDate } from './common.js';

export interface OverdueInstalment {
  orderNumber: string;
  customerCode: string;
  owner: string;
  instalment: number;
  dueDate: string;
  amountFen: number;
  paidFen: number;
  outstandingFen: number;
  daysOverdue: number;
  /** The status before this run ('due' / 'partly_paid' are newly overdue; 'overdue' already was). */
  previousStatus: string;
}

export interface OverdueResult {
  date: string;
  applied: boolean;
  /** Instalments marked overdue by this run (or that would be, without apply). */
  marked: number;
  instalments: OverdueInstalment[];
}

/**
 * Mark instalments overdue: every open instalment (due or partly paid) of an effective order whose due date
 * is before business date `date` (default today). Compared with the given date, never with the row itself.
 * Without `apply` nothing is written. The daily receivables-overdue job calls exactly this.
 */
export async function markOverdue(
  ctx: ServiceContext,
  opts: { date?: string; apply?: boolean } = {},
): Promise<OverdueResult> {
  requireCapability(ctx.actor, 'crm.read', m('查看应收款', 'read receivables'));
  const date = opts.date ? parseDateArg(opts.date, '--date') : await todayDate(ctx);
  const run = async (tx: ServiceContext): Promise<OverdueResult> => {
    const q = tx
      .db('plan_instalments as pi')
      .join('orders as o', 'o.id', 'pi.order_id')
      .join('customers as c', 'c.id', 'o.customer_id')
      .join('users as u', 'u.id', 'o.owner_id')
      .whereIn('o.status', ['approved', 'fulfilled', 'closed'])
      .whereIn('pi.status', ['due', 'partly_paid', 'overdue'])
      .where('pi.due_date', '<', date)
      .orderBy([{ column: 'pi.due_date' }, { column: 'o.number' }, { column: 'pi.number' }])
      .select('pi.*', 'o.number as order_number', 'c.code as customer_code', 'u.name as owner_name');
    const scope = opts.apply ? null : await scopeUserIds(tx);
    if (scope) q.whereIn('o.owner_id', scope);
    const rows: Row[] = await q;
    const open = rows.filter((r) => parseFen(r.paid_fen) < parseFen(r.amount_fen));
    const toMark = open.filter((r) => r.status !== 'overdue');
    if (opts.apply && toMark.length) {
      const ids = toMark.map((r) => Number(r.id));
      for (let i = 0; i < ids.length; i += 500) {
        await tx
          .db('plan_instalments')
          .whereIn('id', ids.slice(i, i + 500))
          .whereIn('status', ['due', 'partly_paid'])
          .update({ status: 'overdue' });
      }
      await audit(tx, {
        action: 'orders.overdue',
        entity: 'plan_instalment',
        entityId: date,
        after: { date, marked: toMark.map((r) => `${r.order_number}#${r.number}`) },
      });
    }
    return {
      date,
      applied: Boolean(opts.apply),
      marked: toMark.length,
      instalments: open.map((r) => ({
        orderNumber: String(r.order_number),
        customerCode: String(r.customer_code),
        owner: String(r.owner_name),
        instalment: Number(r.number),
        dueDate: String(r.due_date),
        amountFen: parseFen(r.amount_fen),
        paidFen: parseFen(r.paid_fen),
        outstandingFen: parseFen(r.amount_fen) - parseFen(r.paid_fen),
        daysOverdue: daysBetween(String(r.due_date), date),
        previousStatus: String(r.status),
      })),
    };
  };
  if (!opts.apply) return run(ctx);
  // Applying touches every order, so it is for the scheduler's roles, managers and admins.
  if (!can(ctx.actor, 'jobs.run') && !can(ctx.actor, 'crm.approve')) {
    throw new CrmError(
      'E4001',
      m(
        `权限不足：用户 ${ctx.actor.name} 不能标记逾期（--apply 需要经理、操作员或管理员）`,
        `permission denied: user ${ctx.actor.name} may not mark instalments overdue (--apply needs a manager, operator or admin)`,
      ),
      ExitCode.permission,
      m('不加 --apply 可以查看', 'leave out --apply to see the list'),
    );
  }
  return inTransaction(ctx, run);
}
