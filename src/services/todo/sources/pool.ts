import { addDays, compareDates } from '../../../domain/clock.js';
import { m } from '../../../domain/i18n.js';
import { POOL_DUE_COLUMNS, poolDue, poolReturnRules } from '../../customers/pool.js';
import { registerTodoSource } from '../registry.js';
import { arg, ids, startOf } from './common.js';

/** Customers that return to the public pool soon (the same rule as the pool-return job), with the date. */
registerTodoSource({
  kind: 'pool-return',
  label: m('即将退回公海的客户', 'Customers about to return to the pool'),
  async collect(svc, q) {
    const rules = await poolReturnRules(svc);
    if (!rules.noFollow && !rules.noDeal) return [];
    const horizon = addDays(q.date, rules.warnDays > 0 ? rules.warnDays : q.soonDays);
    const rows: Record<string, unknown>[] = await svc
      .db('customers as c')
      .join('users as u', 'u.id', 'c.owner_id')
      .whereIn('c.owner_id', ids(q))
      .whereNot('c.status', 'deleted')
      .select(...POOL_DUE_COLUMNS, 'u.name as owner');
    return rows.flatMap((r) => {
      const found = poolDue(r, rules, q.timeZone);
      if (!found || compareDates(found.due, horizon) > 0) return [];
      return [
        {
          kind: 'pool-return' as const,
          title: m(
            `${r.name}（${r.code}）将于 ${found.due} 退回公海`,
            `${r.name} (${r.code}) returns to the pool on ${found.due}`,
          ),
          due: startOf(found.due, q.timeZone),
          ref: `customer:${r.code}`,
          command: `crm followups add --customer ${arg(String(r.code))} --method phone --content …`,
          user: String(r.owner),
          overdue: compareDates(found.due, q.date) <= 0,
        },
      ];
    });
  },
});
