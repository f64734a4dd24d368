import type { Knex } from 'knex';
import { m } from '../../../domain/i18n.js';
import type { TodoQuery } from '../registry.js';
import { registerTodoSource } from '../registry.js';
import { endOfSoon, ids, startOf } from './common.js';

/** Tickets someone must act on: the handler's, or the customer's owner's while no handler is assigned. */
function mine(db: Knex, q: TodoQuery) {
  const users = ids(q);
  return db('tickets as t')
    .join('customers as c', 'c.id', 't.customer_id')
    .leftJoin('users as h', 'h.id', 't.handler_id')
    .leftJoin('users as o', 'o.id', 'c.owner_id')
    .where((w) =>
      w.whereIn('t.handler_id', users).orWhere((x) => x.whereNull('t.handler_id').whereIn('c.owner_id', users)),
    );
}

/** Open tickets: the next service level that runs out (respond, else resolve), overdue or within the soon window. */
registerTodoSource({
  kind: 'ticket',
  label: m('服务工单', 'Service tickets'),
  async collect(svc, q) {
    const rows: Record<string, unknown>[] = await mine(svc.db, q)
      .whereIn('t.status', ['open', 'responded', 'reopened'])
      .select(
        't.number',
        't.title',
        't.status',
        't.response_due',
        't.resolve_due',
        'h.name as handler',
        'o.name as owner',
      );
    const now = q.now.toISOString();
    const soon = endOfSoon(q);
    return rows
      .map((r) => {
        const respond = r.status !== 'responded';
        const due = String(respond ? r.response_due : r.resolve_due);
        return {
          kind: 'ticket' as const,
          title: respond
            ? m(`工单 ${r.number} 待响应：${r.title}`, `ticket ${r.number} to respond to: ${r.title}`)
            : m(`工单 ${r.number} 待解决：${r.title}`, `ticket ${r.number} to resolve: ${r.title}`),
          due,
          ref: `ticket:${r.number}`,
          command: respond
            ? `crm tickets respond ${r.number} --content "…"`
            : `crm tickets resolve ${r.number} --resolution "…"`,
          user: String(r.handler ?? r.owner),
          overdue: due < now,
        };
      })
      .filter((item) => item.due < soon);
  },
});

/** Return visits due (回访): resolved tickets whose visit date is today or earlier, or within the soon window. */
registerTodoSource({
  kind: 'revisit',
  label: m('回访', 'Return visits'),
  async collect(svc, q) {
    const soon = endOfSoon(q);
    const rows: Record<string, unknown>[] = await mine(svc.db, q)
      .where('t.status', 'resolved')
      .whereNull('t.revisited_at')
      .whereNotNull('t.revisit_due')
      .select('t.number', 't.title', 't.revisit_due', 'h.name as handler', 'o.name as owner');
    return rows
      .map((r) => ({
        kind: 'revisit' as const,
        title: m(`回访工单 ${r.number}：${r.title}`, `return visit for ticket ${r.number}: ${r.title}`),
        due: startOf(String(r.revisit_due), q.timeZone),
        ref: `revisit:${r.number}`,
        command: `crm tickets revisit ${r.number} --satisfaction 1..5`,
        user: String(r.handler ?? r.owner),
        overdue: String(r.revisit_due) < q.date,
      }))
      .filter((item) => item.due < soon);
  },
});
