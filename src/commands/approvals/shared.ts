import { CrmError, ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
export const loadRequests = () => import('../../services/approvals/requests.js');
export const loadFlows = () => import('../../services/approvals/flows.js');

/** A request id argument, or a usage error. */
export function requestId(text: string | undefined): number {
  if (!text || !/^\d{1,9}$/.test(text)) {
    throw new CrmError(
      'E4209',
      m(`申请编号应为数字：${text ?? ''}`, `a request id is a number: ${text ?? ''}`),
      ExitCode.usage,
      m('用 "crm approvals list" 查看申请编号', 'see "crm approvals list" for request ids'),
    );
  }
  return Number(text);
}
