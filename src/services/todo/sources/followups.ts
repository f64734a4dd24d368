import { m } from '../../../domain/i18n.js';
import { registerTodoSource } from '../registry.js';
import { arg, endOfToday, ids } from './common.js';

/** Follow-ups whose next time has come (by the end of today) and that nobody followed up since. */
registerTodoSource({
  kind: 'followup',
  label: m('到期跟进', 'Follow-ups due'),
  async collect(svc, q) {
    const rows: Record<string, unknown>[] = await svc
      .db('followups as f')
      .join('customers as c', 'c.id', 'f.customer_id')
      .join('users as u', 'u.id', 'c.owner_id')
      .whereIn('c.owner_id', ids(q))
      .whereNot('c.status', 'deleted')
      .whereNotNull('f.next_at')
      .where('f.next_at', '<', endOfToday(q))
      .whereNotExists(function () {
        this.from('followups as g').whereRaw('g.customer_id = f.customer_id').whereRaw('g.at > f.at');
      })
      .select('f.id', 'f.next_at', 'f.content', 'c.code', 'c.name', 'u.name as owner');
    const now = q.now.toISOString();
    return rows.map((r) => ({
      kind: 'followup' as const,
      title: m(`跟进 ${r.name}（${r.code}）：${r.content}`, `follow up ${r.name} (${r.code}): ${r.content}`),
      due: String(r.next_at),
      ref: `customer:${r.code}`,
      command: `crm followups add --customer ${arg(String(r.code))} --method phone --content …`,
      user: String(r.owner),
      overdue: String(r.next_at) < now,
    }));
  },
});
