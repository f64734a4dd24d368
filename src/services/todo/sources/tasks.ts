import { m } from '../../../domain/i18n.js';
import { registerTodoSource } from '../registry.js';
import { endOfSoon, ids } from './common.js';

/** Open tasks assigned to the user: overdue, or due within `todo.soonDays` days. */
registerTodoSource({
  kind: 'task',
  label: m('任务', 'Tasks'),
  async collect(svc, q) {
    const rows: Record<string, unknown>[] = await svc
      .db('tasks as t')
      .join('users as u', 'u.id', 't.assignee_id')
      .whereIn('t.assignee_id', ids(q))
      .where('t.status', 'open')
      .whereNotNull('t.due_at')
      .where('t.due_at', '<', endOfSoon(q))
      .select('t.id', 't.title', 't.due_at', 't.priority', 'u.name as assignee');
    const now = q.now.toISOString();
    return rows.map((r) => ({
      kind: 'task' as const,
      title: m(
        `任务 ${r.id}：${r.title}${r.priority === 'high' ? '（紧急）' : ''}`,
        `task ${r.id}: ${r.title}${r.priority === 'high' ? ' (high)' : ''}`,
      ),
      due: String(r.due_at),
      ref: `task:${r.id}`,
      command: `crm tasks done ${r.id}`,
      user: String(r.assignee),
      overdue: String(r.due_at) < now,
    }));
  },
});
