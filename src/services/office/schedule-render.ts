/** The day or week view of schedules as text people read: pure, from the view and {lang, timeZone}. */
import { addDays, businessDate, compareDates, dayOfWeek, formatLocal } from '../../domain/clock.js';
import { type Lang, m, tr } from '../../domain/i18n.js';
import type { ScheduleView } from './schedules.js';

const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function renderScheduleView(view: ScheduleView, env: { lang: Lang; timeZone: string }): string {
  const t = (msg: { zh: string; en: string }, p?: Record<string, string | number>) => tr(env.lang, msg, p);
  const lines: string[] = [];
  for (let d = view.from; compareDates(d, view.to) <= 0; d = addDays(d, 1)) {
    const wd = (env.lang === 'zh' ? WEEKDAYS_ZH : WEEKDAYS_EN)[dayOfWeek(d)];
    lines.push(`${d} ${wd}`);
    const today = view.entries.filter(
      (e) =>
        compareDates(businessDate(new Date(e.start), env.timeZone), d) <= 0 &&
        compareDates(businessDate(new Date(new Date(e.end).getTime() - 1), env.timeZone), d) >= 0,
    );
    if (!today.length) lines.push(`  ${t(m('（无日程）', '(nothing)'))}`);
    for (const e of today) {
      const when = e.allDay
        ? t(m('全天', 'all day'))
        : `${formatLocal(new Date(e.start), env.timeZone).slice(11, 16)}–${formatLocal(new Date(e.end), env.timeZone).slice(11, 16)}`;
      const extra = [
        e.place ? `@${e.place}` : '',
        e.customerCode ? t(m('客户 {c}', 'customer {c}'), { c: e.customerCode }) : '',
        e.participants.length ? t(m('参与：{p}', 'with {p}'), { p: [e.owner, ...e.participants].join(', ') }) : '',
        e.status === 'cancelled' ? t(m('已取消', 'cancelled')) : '',
      ].filter(Boolean);
      lines.push(`  ${when.padEnd(11)} [${e.id}] ${e.title}${extra.length ? `  ${extra.join('  ')}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
