import { zonedDateTime } from '../../../domain/clock.js';
import { m } from '../../../domain/i18n.js';
import { loadCalendar } from '../../calendar.js';
import { registerTodoSource } from '../registry.js';
import { ids } from './common.js';

/**
 * With `worklog.requireDaily` on: a daily log missing for the previous working day, or for today when today is
 * a working day (due at 18:00).
 */
registerTodoSource({
  kind: 'worklog',
  label: m('待写日志', 'Work logs to write'),
  async collect(svc, q) {
    if (!(await svc.settings.get<boolean>('worklog.requireDaily'))) return [];
    const calendar = await loadCalendar(svc.db);
    const days: string[] = [];
    try {
      days.push(calendar.previousWorkingDay(q.date));
      if (calendar.isWorkingDay(q.date)) days.push(q.date);
    } catch {
      return []; // a date the calendar does not cover: the calendar's own warning says so
    }
    const rows: { user_id: number; log_date: string }[] = await svc
      .db('work_logs')
      .whereIn('user_id', ids(q))
      .where('kind', 'daily')
      .whereIn('log_date', days)
      .select('user_id', 'log_date');
    const have = new Set(rows.map((r) => `${r.user_id}/${r.log_date}`));
    const now = q.now.toISOString();
    return q.users.flatMap((u) =>
      days
        .filter((d) => !have.has(`${u.id}/${d}`))
        .map((d) => {
          const due = zonedDateTime(d, '18:00', q.timeZone).toISOString();
          return {
            kind: 'worklog' as const,
            title: m(`${d} 的日报未写`, `daily log for ${d} not written`),
            due,
            ref: `worklog:${d}`,
            command: `crm logs add --kind daily --date ${d} --content …`,
            user: u.name,
            overdue: due < now,
          };
        }),
    );
  },
});
