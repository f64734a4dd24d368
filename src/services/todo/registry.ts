/**
 * The to-do list's source registry. Each module that has something for a person to act on registers a source
 * (src/services/todo/sources/*.ts, one file each, listed once in src/services/todo/index.ts); the to-do list
 * asks every registered source and knows none of them.
 */
import type { L10n } from '../../domain/i18n.js';
import type { ServiceContext } from '../context.js';

/** Stable kinds (the `kind` field of `crm todo --json`); later modules add their own sources for the rest. */
export const TODO_KINDS = [
  'approval',
  'followup',
  'pool-return',
  'instalment',
  'task',
  'schedule',
  'visit',
  'ticket',
  'revisit',
  'contract',
  'worklog',
  'announcement',
] as const;
export type TodoKind = (typeof TODO_KINDS)[number];

export interface TodoItem {
  kind: TodoKind;
  /** What it is, in both languages (customer names and titles are data, the same in both). */
  title: L10n;
  /** When it is due: a UTC instant (ISO), or null (e.g. an unread announcement). */
  due: string | null;
  /** The record it is about: `customer:110101`, `order:SO…#2`, `task:3`. */
  ref: string;
  /** The command that acts on it. */
  command: string;
  /** Whose item it is (the user name). */
  user: string;
  /** Past due. */
  overdue: boolean;
}

/** What a source is asked: whose items, for which business day, and the time to compare due times with. */
export interface TodoQuery {
  users: { id: number; name: string }[];
  /** Today's business date ('YYYY-MM-DD', business time zone). */
  date: string;
  now: Date;
  timeZone: string;
  /** Setting `todo.soonDays`: how far ahead "soon due" looks. */
  soonDays: number;
}

export interface TodoSource {
  kind: TodoKind;
  /** The group heading. */
  label: L10n;
  /** Items of these users (the service has already checked the viewer may see them). */
  collect(svc: ServiceContext, q: TodoQuery): Promise<TodoItem[]>;
}

const SOURCES = new Map<TodoKind, TodoSource>();

/**
 * Register a source; registering a kind twice replaces the earlier one (a module loaded twice stays single).
 * Returns a function that removes it again (for tests).
 */
export function registerTodoSource(source: TodoSource): () => void {
  SOURCES.set(source.kind, source);
  return () => {
    if (SOURCES.get(source.kind) === source) SOURCES.delete(source.kind);
  };
}

/** The registered sources, in the list's group order (TODO_KINDS). */
export function todoSources(): TodoSource[] {
  return TODO_KINDS.flatMap((k) => {
    const s = SOURCES.get(k);
    return s ? [s] : [];
  });
}
