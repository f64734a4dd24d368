/**
 * `crm todo`: everything that wants action, for one person (or a manager's team), from every registered source.
 * Adding a source is one file under sources/ plus one import line below.
 */

import { m } from '../../domain/i18n.js';
import { requireCapability } from '../../domain/roles.js';
import type { ServiceContext } from '../context.js';
import { targetUsers, timeZoneOf, todayOf } from '../office/common.js';
import { TODO_KINDS, type TodoItem, type TodoKind, type TodoQuery, todoSources } from './registry.js';
import './sources/approvals.js';
import './sources/followups.js';
import './sources/pool.js';
import './sources/instalments.js';
import './sources/tasks.js';
import './sources/schedules.js';
import './sources/visits.js';
import './sources/worklogs.js';
import './sources/announcements.js';
import './sources/tickets.js';

export type { TodoItem, TodoKind } from './registry.js';
export { registerTodoSource, TODO_KINDS } from './registry.js';

export interface TodoOptions {
  /** Another user's list (a manager: someone in their team). */
  for?: string;
  /** A manager's whole team. */
  team?: boolean;
  /** The business date (default today; tests and the digest pass it). */
  date?: string;
}

export interface TodoList {
  date: string;
  users: string[];
  items: TodoItem[];
  /** Group headings of the kinds present, in order. */
  groups: { kind: TodoKind; label: { zh: string; en: string }; count: number }[];
}

export async function buildTodo(svc: ServiceContext, opts: TodoOptions = {}): Promise<TodoList> {
  requireCapability(svc.actor, 'crm.read', m('查看待办', 'read the to-do list'));
  const target = await targetUsers(svc, opts);
  const q: TodoQuery = {
    users: target.ids.map((id, i) => ({ id, name: target.names[i]! })),
    date: opts.date ?? (await todayOf(svc)),
    now: svc.clock.now(),
    timeZone: await timeZoneOf(svc),
    soonDays: await svc.settings.get<number>('todo.soonDays'),
  };
  const items: TodoItem[] = [];
  const groups: TodoList['groups'] = [];
  for (const source of todoSources()) {
    const found = await source.collect(svc, q);
    if (!found.length) continue;
    found.sort(
      (a, b) =>
        (a.due ?? '9999').localeCompare(b.due ?? '9999') || a.user.localeCompare(b.user) || a.ref.localeCompare(b.ref),
    );
    items.push(...found);
    groups.push({ kind: source.kind, label: source.label, count: found.length });
  }
  return { date: q.date, users: target.names, items, groups };
}

/** The kinds in group order (for help texts). */
export const todoKinds = (): readonly TodoKind[] => TODO_KINDS;
