/**
 * The to-do list as text people read (terminal and the morning digest), and as the flat JSON items: pure, from
 * the list and {lang, timeZone, now}.
 */
import { businessDate, formatLocal } from '../../domain/clock.js';
import { type Lang, m, tr } from '../../domain/i18n.js';
import type { TodoList } from './index.js';

export interface TodoRenderEnv {
  lang: Lang;
  timeZone: string;
  now: Date;
}

/** `crm todo --json`: a flat list with stable fields; `title` in the output language, `due` a UTC ISO string. */
export function todoJson(list: TodoList, lang: Lang) {
  return list.items.map((i) => ({
    kind: i.kind,
    title: tr(lang, i.title),
    due: i.due,
    ref: i.ref,
    command: i.command,
    user: i.user,
    overdue: i.overdue,
  }));
}

/** When an item is due, as people read it: the time alone when it is today, else date and time. */
function dueText(iso: string | null, env: TodoRenderEnv): string {
  if (!iso) return '';
  const at = new Date(iso);
  const local = formatLocal(at, env.timeZone).slice(0, 16);
  // A date-only item (a visit's day, an instalment's due date) starts at midnight: show the date alone.
  if (local.endsWith(' 00:00')) return local.slice(0, 10);
  return businessDate(at, env.timeZone) === businessDate(env.now, env.timeZone) ? local.slice(11) : local;
}

/** Grouped by kind, each item with its due time and the command that acts on it. */
export function renderTodoText(list: TodoList, env: TodoRenderEnv): string {
  const t = (msg: { zh: string; en: string }, p?: Record<string, string | number>) => tr(env.lang, msg, p);
  const team = list.users.length > 1;
  const lines: string[] = [
    t(m('{who} 的待办（{date}）：{n} 项', 'To do for {who} ({date}): {n} item(s)'), {
      who: list.users.join(', '),
      date: list.date,
      n: list.items.length,
    }),
  ];
  if (!list.items.length) {
    lines.push(t(m('没有待办事项', 'nothing to do')));
    return `${lines.join('\n')}\n`;
  }
  for (const g of list.groups) {
    lines.push('', `${t(g.label)}${env.lang === 'zh' ? `（${g.count}）` : ` (${g.count})`}`);
    for (const i of list.items.filter((x) => x.kind === g.kind)) {
      const due = dueText(i.due, env);
      const mark = i.overdue ? t(m('[逾期] ', '[overdue] ')) : '';
      const who = team ? `[${i.user}] ` : '';
      lines.push(`  ${due ? `${due}  ` : ''}${who}${mark}${t(i.title)}`);
      lines.push(`      → ${i.command}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
