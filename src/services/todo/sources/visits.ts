import { compareDates } from '../../../domain/clock.js';
import { m } from '../../../domain/i18n.js';
import { registerTodoSource } from '../registry.js';
import { ids, startOf } from './common.js';

/** Visits planned for today, and planned visits of earlier days not reported yet. */
registerTodoSource({
  kind: 'visit',
  label: m('拜访（今日计划与未填报）', 'Visits planned today or not reported'),
  async collect(svc, q) {
    const rows: Record<string, unknown>[] = await svc
      .db('visits as v')
      .join('customers as c', 'c.id', 'v.customer_id')
      .join('users as u', 'u.id', 'v.user_id')
      .whereIn('v.user_id', ids(q))
      .where('v.status', 'planned')
      .where('v.planned_date', '<=', q.date)
      .select('v.id', 'v.planned_date', 'c.code', 'c.name', 'u.name as user_name');
    return rows.map((r) => {
      const late = compareDates(String(r.planned_date), q.date) < 0;
      return {
        kind: 'visit' as const,
        title: late
          ? m(
              `拜访 ${r.id} 未填报：${r.name}（${r.code}，计划 ${r.planned_date}）`,
              `visit ${r.id} not reported: ${r.name} (${r.code}, planned ${r.planned_date})`,
            )
          : m(`拜访 ${r.id}：${r.name}（${r.code}）`, `visit ${r.id}: ${r.name} (${r.code})`),
        due: startOf(String(r.planned_date), q.timeZone),
        ref: `visit:${r.id}`,
        command: `crm visits report ${r.id} --result B --notes …`,
        user: String(r.user_name),
        overdue: late,
      };
    });
  },
});
