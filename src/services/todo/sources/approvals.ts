import { APPROVAL_TYPE } from '../../../domain/approvals/vocabulary.js';
import { m } from '../../../domain/i18n.js';
import { registerTodoSource } from '../registry.js';

/**
 * Requests waiting for this user's decision, from the approval engine: orders, expenses, leave, receptions, …
 * (the steps they may decide themselves, as a delegate, or by a flow that names them), oldest first.
 */
registerTodoSource({
  kind: 'approval',
  label: m('待我审批', 'Waiting for my approval'),
  async collect(svc, q) {
    const { pendingApprovalsFor } = await import('../../approvals/requests.js');
    const out = [];
    for (const u of q.users) {
      for (const p of await pendingApprovalsFor(svc, u.name)) {
        const type = APPROVAL_TYPE[p.type] ?? { zh: p.type, en: p.type };
        out.push({
          kind: 'approval' as const,
          title: m(
            `审批${type.zh} ${p.id}：${p.title}（${p.requester} 提交）`,
            `approve ${type.en} ${p.id}: ${p.title} (submitted by ${p.requester})`,
          ),
          due: p.waitingSince,
          ref: `approval:${p.id}`,
          command: p.command,
          user: u.name,
          overdue: false,
        });
      }
    }
    return out;
  },
});
