/**
 * Tasks (任务): a title, an assignee (default the creator; a sales user assigns only to themselves, a manager
 * within their team), a due time, a priority, optional links to a customer, order or opportunity, and people to
 * inform (知会, cc). Every write is audited.
 */
import { ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { userIdByName } from '../customers/common.js';
import { scopeUserIds } from '../users.js';
import {
  customerLink,
  OfficeErrors,
  officeError,
  opportunityLink,
  orderLink,
  parseOfficeTime,
  type Row,
  readCap,
  str,
  timeZoneOf,
  userInScope,
  writeCap,
} from './common.js';

export const PRIORITIES = ['low', 'normal', 'high'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface TaskInput {
  title: string;
  description?: string;
  assignee?: string;
  /** 'YYYY-MM-DD HH:mm' in the business time zone; a date alone means 18:00 that day. */
  due?: string;
  priority?: string;
  customer?: string;
  order?: string;
  opportunity?: number;
  cc?: string[];
}

export interface TaskRecord {
  id: number;
  title: string;
  description: string | null;
  assignee: string;
  creator: string | null;
  due: string | null;
  priority: Priority;
  customerCode: string | null;
  orderNumber: string | null;
  opportunityId: number | null;
  cc: string[];
  status: 'open' | 'done';
  doneAt: string | null;
  createdAt: string;
  updatedAt: string;
}

function parsePriority(p: string | undefined): Priority {
  const v = (p ?? 'normal').trim().toLowerCase();
  const alias: Record<string, Priority> = { 低: 'low', 普通: 'normal', 高: 'high', 紧急: 'high' };
  const found = (PRIORITIES as readonly string[]).includes(v) ? (v as Priority) : alias[v];
  if (!found) {
    throw officeError(
      OfficeErrors.badPriority,
      m(`优先级无效：${p}（可选：low, normal, high）`, `invalid priority: ${p} (one of low, normal, high)`),
    );
  }
  return found;
}

function taskQuery(svc: ServiceContext) {
  return svc
    .db('tasks as t')
    .join('users as a', 'a.id', 't.assignee_id')
    .leftJoin('users as cr', 'cr.id', 't.creator_id')
    .leftJoin('customers as c', 'c.id', 't.customer_id')
    .leftJoin('orders as o', 'o.id', 't.order_id')
    .select(
      't.*',
      'a.name as assignee_name',
      'cr.name as creator_name',
      'c.code as customer_code',
      'o.number as order_number',
    );
}

async function toRecords(svc: ServiceContext, rows: Row[]): Promise<TaskRecord[]> {
  const ids = rows.map((r) => Number(r.id));
  const cc = new Map<number, string[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const found: { task_id: number; name: string }[] = await svc
      .db('task_cc as x')
      .join('users as u', 'u.id', 'x.user_id')
      .whereIn('x.task_id', ids.slice(i, i + 500))
      .orderBy('u.name')
      .select('x.task_id', 'u.name');
    for (const f of found) cc.set(Number(f.task_id), [...(cc.get(Number(f.task_id)) ?? []), f.name]);
  }
  return rows.map((r) => ({
    id: Number(r.id),
    title: String(r.title),
    description: str(r.description),
    assignee: String(r.assignee_name),
    creator: str(r.creator_name),
    due: str(r.due_at),
    priority: String(r.priority) as Priority,
    customerCode: str(r.customer_code),
    orderNumber: str(r.order_number),
    opportunityId: r.opportunity_id == null ? null : Number(r.opportunity_id),
    cc: cc.get(Number(r.id)) ?? [],
    status: String(r.status) as 'open' | 'done',
    doneAt: str(r.done_at),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  }));
}

async function loadTask(svc: ServiceContext, id: number): Promise<TaskRecord> {
  const row = await taskQuery(svc).where('t.id', id).first();
  if (!row) {
    throw officeError(
      OfficeErrors.taskNotFound,
      m(`任务不存在：${id}`, `no such task: ${id}`),
      ExitCode.noData,
      m('用 "crm tasks list" 查看任务编号', 'see "crm tasks list" for task ids'),
    );
  }
  const [rec] = await toRecords(svc, [row]);
  const scope = await scopeUserIds(svc);
  const visible =
    scope === null ||
    scope.includes(Number(row.assignee_id)) ||
    Number(row.creator_id) === svc.actor.id ||
    rec!.cc.includes(svc.actor.name);
  if (!visible) {
    throw officeError(
      OfficeErrors.taskOutOfScope,
      m(`任务 ${id} 不在你的范围内`, `task ${id} is outside your scope`),
      ExitCode.permission,
      m(
        '只能查看指派给自己（经理：团队）、自己创建或知会自己的任务',
        'you see tasks assigned to you (a manager: your team), created by you, or cc’d to you',
      ),
    );
  }
  return rec!;
}

/** May the actor change this task: its creator, its assignee, or a manager of the assignee (or an admin). */
async function requireTaskWriter(svc: ServiceContext, id: number): Promise<{ rec: TaskRecord; row: Row }> {
  writeCap(svc);
  const rec = await loadTask(svc, id);
  const row = (await svc.db('tasks').where({ id }).first()) as Row;
  const scope = await scopeUserIds(svc);
  const ok =
    Number(row.creator_id) === svc.actor.id ||
    Number(row.assignee_id) === svc.actor.id ||
    (scope !== null ? scope.includes(Number(row.assignee_id)) : svc.actor.role === 'admin');
  if (!ok) {
    throw officeError(
      OfficeErrors.taskOutOfScope,
      m(
        `不能修改任务 ${id}：只有创建人、执行人或其上级可以`,
        `you may not change task ${id}: only its creator, its assignee or their manager may`,
      ),
      ExitCode.permission,
    );
  }
  return { rec, row };
}

export async function addTask(svc: ServiceContext, input: TaskInput): Promise<TaskRecord> {
  writeCap(svc);
  const title = input.title?.trim() ?? '';
  if (!title) throw officeError(OfficeErrors.emptyTitle, m('任务标题不能为空', 'the task title is empty'));
  const tz = await timeZoneOf(svc);
  const due = input.due ? parseOfficeTime(input.due, tz, '--due', '18:00').toISOString() : null;
  const priority = parsePriority(input.priority);
  return inTransaction(svc, async (tx) => {
    const assigneeId = input.assignee ? await userInScope(tx, input.assignee, m('指派', 'assignee')) : tx.actor.id;
    const customerId = input.customer ? (await customerLink(tx, input.customer)).id : null;
    const orderId = input.order ? await orderLink(tx, input.order) : null;
    const oppId = input.opportunity !== undefined ? await opportunityLink(tx, input.opportunity) : null;
    const ccIds = [...new Set(await Promise.all((input.cc ?? []).map((n) => userIdByName(tx.db, n))))];
    const now = nowIso(tx.clock);
    const [id] = await tx.db('tasks').insert({
      title: title.slice(0, 200),
      description: input.description?.trim() || null,
      assignee_id: assigneeId,
      creator_id: tx.actor.id > 0 ? tx.actor.id : null,
      due_at: due,
      priority,
      customer_id: customerId,
      order_id: orderId,
      opportunity_id: oppId,
      status: 'open',
      created_at: now,
      updated_at: now,
    });
    for (const u of ccIds) await tx.db('task_cc').insert({ task_id: Number(id), user_id: u });
    const rec = await loadTask(tx, Number(id));
    await audit(tx, { action: 'tasks.add', entity: 'task', entityId: Number(id), after: rec });
    return rec;
  });
}

export interface TaskQuery {
  mine?: boolean;
  created?: boolean;
  cc?: boolean;
  overdue?: boolean;
  /** Include done tasks. */
  all?: boolean;
}

/** Tasks the actor may see (assigned in scope, created by them, cc'd to them), filtered; due first. */
export async function listTasks(svc: ServiceContext, q: TaskQuery = {}): Promise<TaskRecord[]> {
  readCap(svc);
  const query = taskQuery(svc);
  const me = svc.actor.id;
  if (q.mine) query.where('t.assignee_id', me);
  if (q.created) query.where('t.creator_id', me);
  if (q.cc)
    query.whereExists(function () {
      this.from('task_cc as x').whereRaw('x.task_id = t.id').where('x.user_id', me);
    });
  if (!q.mine && !q.created && !q.cc) {
    const scope = await scopeUserIds(svc);
    if (scope !== null) {
      query.where((w) => {
        w.whereIn('t.assignee_id', scope)
          .orWhere('t.creator_id', me)
          .orWhereExists(function () {
            this.from('task_cc as x').whereRaw('x.task_id = t.id').where('x.user_id', me);
          });
      });
    }
  }
  if (q.overdue) query.where('t.status', 'open').whereNotNull('t.due_at').where('t.due_at', '<', nowIso(svc.clock));
  else if (!q.all) query.where('t.status', 'open');
  // Due first (tasks without a due time last), then by id.
  query.orderByRaw('case when t.due_at is null then 1 else 0 end').orderBy('t.due_at').orderBy('t.id');
  return toRecords(svc, await query);
}

export async function showTask(svc: ServiceContext, id: number): Promise<TaskRecord> {
  readCap(svc);
  return loadTask(svc, id);
}

export interface TaskEdit {
  title?: string;
  description?: string;
  assignee?: string;
  due?: string;
  priority?: string;
  customer?: string;
  order?: string;
  opportunity?: number;
  addCc?: string[];
}

export async function editTask(svc: ServiceContext, id: number, input: TaskEdit): Promise<TaskRecord> {
  const tz = await timeZoneOf(svc);
  return inTransaction(svc, async (tx) => {
    const { rec: before } = await requireTaskWriter(tx, id);
    const patch: Row = {};
    if (input.title !== undefined) {
      if (!input.title.trim())
        throw officeError(OfficeErrors.emptyTitle, m('任务标题不能为空', 'the task title is empty'));
      patch.title = input.title.trim().slice(0, 200);
    }
    if (input.description !== undefined) patch.description = input.description.trim() || null;
    if (input.assignee !== undefined) patch.assignee_id = await userInScope(tx, input.assignee, m('指派', 'assignee'));
    if (input.due !== undefined) patch.due_at = parseOfficeTime(input.due, tz, '--due', '18:00').toISOString();
    if (input.priority !== undefined) patch.priority = parsePriority(input.priority);
    if (input.customer !== undefined) patch.customer_id = (await customerLink(tx, input.customer)).id;
    if (input.order !== undefined) patch.order_id = await orderLink(tx, input.order);
    if (input.opportunity !== undefined) patch.opportunity_id = await opportunityLink(tx, input.opportunity);
    patch.updated_at = nowIso(tx.clock);
    await tx.db('tasks').where({ id }).update(patch);
    for (const n of input.addCc ?? []) {
      const uid = await userIdByName(tx.db, n);
      if (!(await tx.db('task_cc').where({ task_id: id, user_id: uid }).first())) {
        await tx.db('task_cc').insert({ task_id: id, user_id: uid });
      }
    }
    const after = await loadTask(tx, id);
    await audit(tx, { action: 'tasks.edit', entity: 'task', entityId: id, before, after });
    return after;
  });
}

function setStatus(svc: ServiceContext, id: number, status: 'open' | 'done'): Promise<TaskRecord> {
  return inTransaction(svc, async (tx) => {
    const { rec: before } = await requireTaskWriter(tx, id);
    if (before.status === status) {
      throw officeError(
        OfficeErrors.taskState,
        status === 'done'
          ? m(`任务 ${id} 已经完成`, `task ${id} is already done`)
          : m(`任务 ${id} 尚未完成，无需重开`, `task ${id} is open; nothing to reopen`),
        ExitCode.conflict,
        m(
          '用 "crm tasks show ID" 查看状态；done 与 reopen 互为撤销',
          'see "crm tasks show ID"; done and reopen undo each other',
        ),
      );
    }
    const now = nowIso(tx.clock);
    await tx
      .db('tasks')
      .where({ id })
      .update({ status, done_at: status === 'done' ? now : null, updated_at: now });
    const after = await loadTask(tx, id);
    await audit(tx, {
      action: status === 'done' ? 'tasks.done' : 'tasks.reopen',
      entity: 'task',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

export const completeTask = (svc: ServiceContext, id: number) => setStatus(svc, id, 'done');
export const reopenTask = (svc: ServiceContext, id: number) => setStatus(svc, id, 'open');

export async function deleteTask(svc: ServiceContext, id: number): Promise<TaskRecord> {
  return inTransaction(svc, async (tx) => {
    const { rec: before } = await requireTaskWriter(tx, id);
    await tx.db('task_cc').where({ task_id: id }).delete();
    await tx.db('tasks').where({ id }).delete();
    await audit(tx, { action: 'tasks.delete', entity: 'task', entityId: id, before });
    return before;
  });
}
