import { Option } from 'commander';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { isValidDate, parseLocalDateTime } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import type { ServiceContext } from '../../services/context.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
export const loadOrders = () => import('../../services/orders/orders.js');
export const loadOrdersPayments = () => import('../../services/orders/payments.js');
export const loadOrdersPlans = () => import('../../services/orders/plans.js');
export const loadOrdersReceivables = () => import('../../services/orders/receivables.js');

/** `--opportunity`: an opportunity id, or a usage error. */
export function optionalId(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text)) {
    throw new CrmError(
      'E6120',
      m(`${flag} 应为商机编号：${text}`, `${flag} must be an opportunity id: ${text}`),
      ExitCode.usage,
    );
  }
  return Number(text);
}

/** `--at`: a local date and time (a bare date is midnight) in the business time zone. */
export async function parseAt(svc: ServiceContext, text: string): Promise<Date> {
  const tz = await svc.settings.get<string>('timezone');
  const value = text.trim();
  return parseLocalDateTime(isValidDate(value) ? `${value} 00:00` : value, tz);
}

// Both a receipt and a refund post a settlement transaction, named by these two options.
export const accountClassOption = (ctx: CliContext) =>
  new Option(
    '--account-class <class>',
    ctx.t(m('账户分类（默认 财政授权支付）', 'account class (default 财政授权支付)')),
  );
export const refOption = (ctx: CliContext) =>
  new Option(
    '--ref <ref>',
    ctx.t(m('清算流水号（唯一；省略则自动生成）', 'settlement reference (unique; generated when absent)')),
  );
