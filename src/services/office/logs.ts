/** Work logs (日志): daily, weekly or monthly, by their author; managers read their team's. */
import { addDays, compareDates, dayOfWeek } from '../../domain/clock.js';
import { ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import {
  customerLink,
  OfficeErrors,
  officeError,
  parseOfficeDate,
  type Row,
  readCap,
  str,
  targetUsers,
  todayOf,
  writeCap,
} from './common.js';

export const LOG_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type LogKind = (typeof LOG_KINDS)[number];
const KIND_ALIAS: Record<string, LogKind> = { 日报: 'daily', 周报: 'weekly', 月报: 'monthly' };

export interface LogRecord {
  id: number;
  user: string;
  kind: LogKind;
  /** The day (daily), the Monday of the week (weekly) or the first of the month (monthly). */
  date: string;
  content: string;
  customers: string[];
  createdAt: string;
}

function toRecord(r: Row): LogRecord {
  return {
    id: Number(r.id),
    user: String(r.user_name),
    kind: String(r.kind) as LogKind,
    date: String(r.log_date),
    content: String(r.content),
    customers: str(r.customer_codes)?.split(',').filter(Boolean) ?? [],
    createdAt: String(r.created_at),
  };
}

export interface LogInput {
  kind: string;
  content: string;
  date?: string;
  customers?: string[];
}

export async function addLog(svc: ServiceContext, input: LogInput): Promise<LogRecord> {
  writeCap(svc);
  const k = input.kind.trim().toLowerCase();
  const kind = (LOG_KINDS as readonly string[]).includes(k) ? (k as LogKind) : KIND_ALIAS[input.kind.trim()];
  if (!kind) {
    throw officeError(
      OfficeErrors.logKind,
      m(
        `日志类型无效：${input.kind}（可选：daily, weekly, monthly）`,
        `invalid log kind: ${input.kind} (one of daily, weekly, monthly)`,
      ),
    );
  }
  const content = input.content?.trim() ?? '';
  if (!content)
    throw officeError(
      OfficeErrors.logEmpty,
      m('日志内容不能为空', 'the log content is empty'),
      ExitCode.usage,
      m('用 --content 写明内容', 'pass --content TEXT'),
    );
  const today = await todayOf(svc);
  let date = await parseOfficeDate(svc, input.date, '--date');
  if (compareDates(date, today) > 0) {
    throw officeError(
      OfficeErrors.logFuture,
      m(`日志日期 ${date} 还没有到（今天 ${today}）`, `the log date ${date} has not come yet (today is ${today})`),
      ExitCode.usage,
      m('日志写已经过去或今天的工作', 'a log is about today or days gone by'),
    );
  }
  if (kind === 'weekly') date = addDays(date, -((dayOfWeek(date) + 6) % 7));
  if (kind === 'monthly') date = `${date.slice(0, 8)}01`;
  return inTransaction(svc, async (tx) => {
    const codes: string[] = [];
    for (const c of input.customers ?? []) codes.push((await customerLink(tx, c)).code);
    const now = nowIso(tx.clock);
    const [id] = await tx.db('work_logs').insert({
      user_id: tx.actor.id,
      kind,
      log_date: date,
      content,
      customer_codes: codes.length ? codes.join(',').slice(0, 500) : null,
      created_at: now,
      updated_at: now,
    });
    const rec = toRecord(
      await tx
        .db('work_logs as l')
        .join('users as u', 'u.id', 'l.user_id')
        .where('l.id', id)
        .first('l.*', 'u.name as user_name'),
    );
    await audit(tx, { action: 'logs.add', entity: 'work_log', entityId: Number(id), after: rec });
    return rec;
  });
}

export interface LogQuery {
  user?: string;
  team?: boolean;
  from?: string;
  to?: string;
  kind?: string;
}

export async function listLogs(svc: ServiceContext, q: LogQuery = {}): Promise<LogRecord[]> {
  readCap(svc);
  const target = await targetUsers(svc, { for: q.user, team: q.team });
  const query = svc
    .db('work_logs as l')
    .join('users as u', 'u.id', 'l.user_id')
    .whereIn('l.user_id', target.ids)
    .select('l.*', 'u.name as user_name');
  if (q.from) query.where('l.log_date', '>=', await parseOfficeDate(svc, q.from, '--from'));
  if (q.to) query.where('l.log_date', '<=', await parseOfficeDate(svc, q.to, '--to'));
  if (q.kind) query.where('l.kind', q.kind);
  query.orderBy('l.log_date', 'desc').orderBy('u.name').orderBy('l.id');
  return (await query).map(toRecord);
}
