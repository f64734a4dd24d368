import { m } from '../../../domain/i18n.js';
import { registerTodoSource } from '../registry.js';
import { endOfToday, ids, startOf } from './common.js';

/** Today's schedule: entries the user owns or takes part in that overlap today. */
registerTodoSource({
  kind: 'schedule',
  label: m('今日日程', "Today's schedule"),
  async collect(svc, q) {
    const who = ids(q);
    const overlap = (qb: import('knex').Knex.QueryBuilder) =>
      qb
        .where('s.status', 'active')
        .where('s.start_at', '<', endOfToday(q))
        .where('s.end_at', '>', startOf(q.date, q.timeZone));
    const owned: Record<string, unknown>[] = await overlap(
      svc.db('schedules as s').join('users as u', 'u.id', 's.owner_id').whereIn('s.owner_id', who),
    ).select('s.id', 's.title', 's.start_at', 's.place', 'u.name as user_name');
    const shared: Record<string, unknown>[] = await overlap(
      svc
        .db('schedule_participants as p')
        .join('schedules as s', 's.id', 'p.schedule_id')
        .join('users as u', 'u.id', 'p.user_id')
        .whereIn('p.user_id', who),
    ).select('s.id', 's.title', 's.start_at', 's.place', 'u.name as user_name');
    const rows = [...owned, ...shared];
    return rows.map((r) => ({
      kind: 'schedule' as const,
      title: m(
        `日程 ${r.id}：${r.title}${r.place ? `（${r.place}）` : ''}`,
        `schedule ${r.id}: ${r.title}${r.place ? ` (${r.place})` : ''}`,
      ),
      due: String(r.start_at),
      ref: `schedule:${r.id}`,
      command: `crm schedule show ${r.id}`,
      user: String(r.user_name),
      overdue: false,
    }));
  },
});
