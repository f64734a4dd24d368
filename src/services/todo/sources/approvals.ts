import { m } from '../../../domain/i18n.js';
import { formatYuan, parseFen } from '../../../domain/money.js';
import { resolveActor, scopeUserIds } from '../../users.js';
import { registerTodoSource } from '../registry.js';
import { arg } from './common.js';

/** Orders submitted for approval that this user may decide: their team's (a manager) or any (an admin). */
registerTodoSource({
  kind: 'approval',
  label: m('待我审批', 'Waiting for my approval'),
  async collect(svc, q) {
    const out = [];
    for (const u of q.users) {
      const actor = await resolveActor(svc.db, u.name);
      if (actor.role !== 'admin' && actor.role !== 'manager') continue;
      const query = svc
        .db('orders as o')
        .join('customers as c', 'c.id', 'o.customer_id')
        .join('users as w', 'w.id', 'o.owner_id')
        .where({ 'o.status': 'submitted', 'o.needs_approval': true })
        .whereNot('o.owner_id', actor.id)
        .select('o.number', 'o.total_fen', 'o.submitted_at', 'c.name', 'w.name as owner');
      const scope = actor.role === 'admin' ? null : await scopeUserIds({ db: svc.db, actor });
      if (scope) query.whereIn('o.owner_id', scope);
      const rows: Record<string, unknown>[] = await query;
      for (const r of rows) {
        out.push({
          kind: 'approval' as const,
          title: m(
            `审批订单 ${r.number}：${r.name}，¥${formatYuan(parseFen(r.total_fen))}（${r.owner} 提交）`,
            `approve order ${r.number}: ${r.name}, ¥${formatYuan(parseFen(r.total_fen))} (submitted by ${r.owner})`,
          ),
          due: r.submitted_at ? String(r.submitted_at) : null,
          ref: `order:${r.number}`,
          command: `crm orders approve ${arg(String(r.number))}`,
          user: u.name,
          overdue: false,
        });
      }
    }
    return out;
  },
});
