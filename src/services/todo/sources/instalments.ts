import { addDays, compareDates } from '../../../domain/clock.js';
import { m } from '../../../domain/i18n.js';
import { formatYuan, parseFen } from '../../../domain/money.js';
import { registerTodoSource } from '../registry.js';
import { arg, ids, startOf } from './common.js';

/** Open instalments of effective orders: overdue, or due within `todo.soonDays` days. */
registerTodoSource({
  kind: 'instalment',
  label: m('回款计划（逾期与即将到期）', 'Instalments overdue or due soon'),
  async collect(svc, q) {
    const rows: Record<string, unknown>[] = await svc
      .db('plan_instalments as pi')
      .join('orders as o', 'o.id', 'pi.order_id')
      .join('customers as c', 'c.id', 'o.customer_id')
      .join('users as u', 'u.id', 'o.owner_id')
      .whereIn('o.owner_id', ids(q))
      .whereIn('o.status', ['approved', 'fulfilled', 'closed'])
      .whereIn('pi.status', ['due', 'partly_paid', 'overdue'])
      .where('pi.due_date', '<=', addDays(q.date, q.soonDays))
      .select(
        'pi.number',
        'pi.due_date',
        'pi.amount_fen',
        'pi.paid_fen',
        'o.number as order_number',
        'c.name',
        'u.name as owner',
      );
    return rows.flatMap((r) => {
      const open = parseFen(r.amount_fen) - parseFen(r.paid_fen);
      if (open <= 0) return [];
      const due = String(r.due_date);
      const overdue = compareDates(due, q.date) < 0;
      const yuan = formatYuan(open);
      return [
        {
          kind: 'instalment' as const,
          title: overdue
            ? m(
                `订单 ${r.order_number} 第 ${r.number} 期逾期未收 ¥${yuan}（${r.name}，应于 ${due}）`,
                `order ${r.order_number} instalment ${r.number} overdue: ¥${yuan} (${r.name}, due ${due})`,
              )
            : m(
                `订单 ${r.order_number} 第 ${r.number} 期应收 ¥${yuan}（${r.name}，${due} 到期）`,
                `order ${r.order_number} instalment ${r.number}: ¥${yuan} due ${due} (${r.name})`,
              ),
          due: startOf(due, q.timeZone),
          ref: `order:${r.order_number}#${r.number}`,
          command: `crm orders pay ${arg(String(r.order_number))} --instalment ${r.number} --amount ${yuan.replace(/,/g, '')} --at …`,
          user: String(r.owner),
          overdue,
        },
      ];
    });
  },
});
