/**
 * What the customer-service services share: the service levels read from settings, loading a ticket within
 * the actor's data scope, the history, and the record commands print. Tickets are seen by whoever sees the
 * customer (its owner, their managers, the roles that read everything) and by their handler.
 */
import type { Knex } from 'knex';
import type { ServiceLevels } from '../../config/settings/service.js';
import type { WorkingCalendar } from '../../domain/calendar.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { requireCapability } from '../../domain/roles.js';
import { addWorkingMinutes, hoursToMinutes, parseWorkingHours, type WorkingHours } from '../../domain/service/sla.js';
import type { Priority, Status, Step } from '../../domain/service/tickets.js';
import { loadCalendar } from '../calendar.js';
import type { ServiceContext } from '../context.js';
import { scopeUserIds } from '../users.js';

export interface SlaContext {
  tz: string;
  calendar: WorkingCalendar;
  hours: WorkingHours;
  levels: ServiceLevels;
}

export async function slaContext(svc: ServiceContext): Promise<SlaContext> {
  return {
    tz: await svc.settings.get<string>('timezone'),
    calendar: await loadCalendar(svc.db),
    hours: parseWorkingHours(await svc.settings.get<string>('service.workingHours')),
    levels: await svc.settings.get<ServiceLevels>('service.sla'),
  };
}

export function dueTimes(sla: SlaContext, priority: Priority, from: Date): { response: Date; resolve: Date } {
  const level = sla.levels[priority];
  return {
    response: addWorkingMinutes(from, hoursToMinutes(level.respond), sla.calendar, sla.hours, sla.tz),
    resolve: addWorkingMinutes(from, hoursToMinutes(level.resolve), sla.calendar, sla.hours, sla.tz),
  };
}

export const readCap = (svc: ServiceContext) =>
  requireCapability(svc.actor, 'crm.read', { zh: '查看服务工单', en: 'read service tickets' });
export const writeCap = (svc: ServiceContext) =>
  requireCapability(svc.actor, 'crm.write', { zh: '处理服务工单', en: 'work on service tickets' });

export type TicketRow = Record<string, unknown> & {
  id: number;
  number: string;
  status: Status;
  priority: Priority;
  customer_id: number;
  handler_id: number | null;
  owner_id: number | null;
};

export function ticketQuery(db: Knex): Knex.QueryBuilder {
  return db('tickets as t')
    .join('customers as c', 'c.id', 't.customer_id')
    .leftJoin('users as h', 'h.id', 't.handler_id')
    .leftJoin('contacts as k', 'k.id', 't.contact_id')
    .leftJoin('orders as o', 'o.id', 't.order_id')
    .select(
      't.*',
      'c.code as customer_code',
      'c.name as customer_name',
      'c.owner_id as owner_id',
      'h.name as handler_name',
      'k.name as contact_name',
      'o.number as order_number',
    );
}

/** Limit a ticket query to the actor's data scope (null scope: everything). */
export function scoped(q: Knex.QueryBuilder, scope: number[] | null): Knex.QueryBuilder {
  if (scope !== null) q.where((w) => w.whereIn('c.owner_id', scope).orWhereIn('t.handler_id', scope));
  return q;
}

export function ticketNotFound(number: string): CrmError {
  return new CrmError('E4100', { zh: `工单不存在：${number}`, en: `no such ticket: ${number}` }, ExitCode.noData, {
    zh: '用 "crm tickets list" 查找工单编号',
    en: 'find the number with "crm tickets list"',
  });
}

export function ticketOutOfScope(number: string): CrmError {
  return new CrmError(
    'E4112',
    { zh: `工单 ${number} 不在你的数据范围内`, en: `ticket ${number} is outside your data scope` },
    ExitCode.permission,
    {
      zh: '请联系工单处理人、客户负责人或其上级',
      en: "ask the ticket's handler, the customer's owner or their manager",
    },
  );
}

/** Load a ticket by number, checking the actor may see it. */
export async function loadTicket(svc: ServiceContext, number: string): Promise<TicketRow> {
  const row = (await ticketQuery(svc.db).where('t.number', number.trim()).first()) as TicketRow | undefined;
  if (!row) throw ticketNotFound(number);
  const scope = await scopeUserIds(svc);
  if (scope !== null) {
    const owner = row.owner_id == null ? null : Number(row.owner_id);
    const handler = row.handler_id == null ? null : Number(row.handler_id);
    if (!(owner !== null && scope.includes(owner)) && !(handler !== null && scope.includes(handler)))
      throw ticketOutOfScope(number);
  }
  return row;
}

export async function addEvent(
  tx: ServiceContext,
  ticketId: number,
  step: Step,
  content: string | null,
  detail?: Record<string, unknown>,
  at?: string,
): Promise<void> {
  await tx.db('ticket_events').insert({
    ticket_id: ticketId,
    at: at ?? tx.clock.now().toISOString(),
    user_id: tx.actor.id > 0 ? tx.actor.id : null,
    user_name: tx.actor.name,
    step,
    content,
    detail_json: detail ? JSON.stringify(detail) : null,
  });
}

export const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
