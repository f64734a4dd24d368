import { m } from '../../../domain/i18n.js';
import { registerTodoSource } from '../registry.js';
import { arg, endOfToday, ids } from './common.js';

/**
 * Follow-ups whose next time has come (by the end of today) and that nobody followed up since: on customers the
 * user owns, and on leads the user owns that are not converted yet.
 */
registerTodoSource({
  kind: 'followup',
  label: m('到期跟进', 'Follow-ups due'),
  async collect(svc, q) {
    const due = endOfToday(q);
    const customers: Record<string, unknown>[] = await svc
      .db('followups as f')
      .join('customers as c', 'c.id', 'f.customer_id')
      .join('users as u', 'u.id', 'c.owner_id')
      .whereIn('c.owner_id', ids(q))
      .whereNot('c.status', 'deleted')
      .whereNotNull('f.next_at')
      .where('f.next_at', '<', due)
      .whereNotExists(function () {
        this.from('followups as g').whereRaw('g.customer_id = f.customer_id').whereRaw('g.at > f.at');
      })
      .select('f.id', 'f.next_at', 'f.content', 'c.code', 'c.name', 'u.name as owner');
    const leads: Record<string, unknown>[] = await svc
      .db('followups as f')
      .join('leads as l', 'l.id', 'f.lead_id')
      .join('users as u', 'u.id', 'l.owner_id')
      .whereIn('l.owner_id', ids(q))
      .whereNull('f.customer_id')
      .whereNotIn('l.status', ['converted', 'disqualified'])
      .whereNotNull('f.next_at')
      .where('f.next_at', '<', due)
      .whereNotExists(function () {
        this.from('followups as g').whereRaw('g.lead_id = f.lead_id').whereRaw('g.at > f.at');
      })
      .select('f.id', 'f.next_at', 'f.content', 'l.id as lead_id', 'l.name', 'u.name as owner');
    const now = q.now.toISOString();
    return [
      ...customers.map((r) => ({
        kind: 'followup' as const,
        title: m(`跟进 ${r.name}（${r.code}）：${r.content}`, `follow up ${r.name} (${r.code}): ${r.content}`),
        due: String(r.next_at),
        ref: `customer:${r.code}`,
        command: `crm followups add --customer ${arg(String(r.code))} --method phone --content …`,
        user: String(r.owner),
        overdue: String(r.next_at) < now,
      })),
      ...leads.map((r) => ({
        kind: 'followup' as const,
        title: m(
          `跟进线索 ${r.lead_id} ${r.name}：${r.content}`,
          `follow up lead ${r.lead_id} ${r.name}: ${r.content}`,
        ),
        due: String(r.next_at),
        ref: `lead:${r.lead_id}`,
        command: `crm followups add --lead ${r.lead_id} --method phone --content …`,
        user: String(r.owner),
        overdue: String(r.next_at) < now,
      })),
    ];
  },
});
