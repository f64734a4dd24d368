import { m } from '../../../domain/i18n.js';
import { registerTodoSource } from '../registry.js';

/** Announcements still shown (no end date, or until today or later) that the user has not read. */
registerTodoSource({
  kind: 'announcement',
  label: m('未读公告', 'Unread announcements'),
  async collect(svc, q) {
    const out = [];
    for (const u of q.users) {
      const rows: Record<string, unknown>[] = await svc
        .db('announcements as a')
        .where((w) => w.whereNull('a.until_date').orWhere('a.until_date', '>=', q.date))
        .where('a.created_at', '<=', q.now.toISOString())
        .whereNotExists(function () {
          this.from('announcement_reads as r').whereRaw('r.announcement_id = a.id').where('r.user_id', u.id);
        })
        .select('a.id', 'a.title', 'a.pinned');
      for (const r of rows) {
        out.push({
          kind: 'announcement' as const,
          title: m(`公告 ${r.id}：${r.title}`, `announcement ${r.id}: ${r.title}`),
          due: null,
          ref: `announcement:${r.id}`,
          command: `crm announcements read ${r.id}`,
          user: u.name,
          overdue: false,
        });
      }
    }
    return out;
  },
});
