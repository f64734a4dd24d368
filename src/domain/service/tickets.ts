/**
 * Tickets (服务工单): the kinds, priorities, channels and statuses of customer service, their Chinese names,
 * and which step is allowed from which status. Pure rules; the services apply them.
 */
import { CrmError, ExitCode, type L10n } from '../errors.js';
import { m } from '../i18n.js';

export const KINDS = ['complaint', 'fault', 'request', 'enquiry'] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_LABELS: Record<Kind, L10n> = {
  complaint: m('投诉', 'complaint'),
  fault: m('故障', 'fault'),
  request: m('业务受理', 'request'),
  enquiry: m('咨询', 'enquiry'),
};

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_LABELS: Record<Priority, L10n> = {
  urgent: m('紧急', 'urgent'),
  high: m('高', 'high'),
  normal: m('普通', 'normal'),
  low: m('低', 'low'),
};

export const CHANNELS = ['phone', 'visit', 'letter', 'email', 'web'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, L10n> = {
  phone: m('电话', 'phone'),
  visit: m('来访', 'visit'),
  letter: m('信函', 'letter'),
  email: m('邮件', 'email'),
  web: m('网站', 'web'),
};

export const STATUSES = ['open', 'responded', 'resolved', 'closed', 'reopened'] as const;
export type Status = (typeof STATUSES)[number];
export const STATUS_LABELS: Record<Status, L10n> = {
  open: m('待响应', 'open'),
  responded: m('处理中', 'responded'),
  resolved: m('已解决', 'resolved'),
  closed: m('已关闭', 'closed'),
  reopened: m('已重开', 'reopened'),
};

/** The steps of a ticket's life, as recorded in its history. */
export type Step =
  | 'received'
  | 'assigned'
  | 'responded'
  | 'noted'
  | 'resolved'
  | 'closed'
  | 'reopened'
  | 'revisited'
  | 'escalated';

export const STEP_LABELS: Record<Step, L10n> = {
  received: m('受理', 'received'),
  assigned: m('分派', 'assigned'),
  responded: m('响应', 'responded'),
  noted: m('记录', 'noted'),
  resolved: m('解决', 'resolved'),
  closed: m('关闭', 'closed'),
  reopened: m('重开', 'reopened'),
  revisited: m('回访', 'revisited'),
  escalated: m('升级', 'escalated'),
};

/** From which statuses each step is allowed (assign and note: any status but closed). */
export const ALLOWED_FROM: Record<'assign' | 'respond' | 'note' | 'resolve' | 'close' | 'reopen', readonly Status[]> = {
  assign: ['open', 'responded', 'resolved', 'reopened'],
  note: ['open', 'responded', 'resolved', 'reopened'],
  respond: ['open'],
  resolve: ['responded', 'reopened'],
  close: ['resolved'],
  reopen: ['resolved', 'closed'],
};

const WHAT_TO_DO: Record<Status, L10n> = {
  open: m('先用 "crm tickets respond N --content …" 响应', 'respond first: "crm tickets respond N --content …"'),
  responded: m(
    '处理完成后用 "crm tickets resolve N --resolution …"',
    'when it is done: "crm tickets resolve N --resolution …"',
  ),
  resolved: m(
    '回访用 "crm tickets revisit N --satisfaction 1..5"，或用 "crm tickets close N" 关闭',
    'record the return visit with "crm tickets revisit N --satisfaction 1..5", or "crm tickets close N"',
  ),
  closed: m(
    '已关闭的工单只能用 "crm tickets reopen N --reason …" 重开',
    'a closed ticket can only be reopened: "crm tickets reopen N --reason …"',
  ),
  reopened: m(
    '重开后再次解决：crm tickets resolve N --resolution …',
    'resolve it again: "crm tickets resolve N --resolution …"',
  ),
};

export function transitionRefused(number: string, step: keyof typeof ALLOWED_FROM, status: Status): CrmError {
  const allowed = ALLOWED_FROM[step];
  return new CrmError(
    'E4108',
    {
      zh: `工单 ${number} 当前为“${STATUS_LABELS[status].zh}”，不能${STEP_ZH[step]}（只能从 ${allowed.map((s) => STATUS_LABELS[s].zh).join('、')} 状态）`,
      en: `ticket ${number} is ${status}: it cannot be ${STEP_EN[step]} (only from ${allowed.join(', ')})`,
    },
    ExitCode.conflict,
    WHAT_TO_DO[status],
  );
}

const STEP_ZH = { assign: '分派', note: '记录', respond: '响应', resolve: '解决', close: '关闭', reopen: '重开' };
const STEP_EN = {
  assign: 'assigned',
  note: 'noted',
  respond: 'responded to',
  resolve: 'resolved',
  close: 'closed',
  reopen: 'reopened',
};

export function checkTransition(number: string, step: keyof typeof ALLOWED_FROM, status: Status): void {
  if (!ALLOWED_FROM[step].includes(status)) throw transitionRefused(number, step, status);
}

function choice<T extends string>(
  value: string,
  values: readonly T[],
  labels: Record<T, L10n>,
  code: string,
  what: L10n,
): T {
  const v = value.trim();
  const lower = v.toLowerCase() as T;
  if (values.includes(lower)) return lower;
  const byZh = values.find((k) => labels[k].zh === v);
  if (byZh) return byZh;
  const list = values.map((k) => `${k} (${labels[k].zh})`).join(', ');
  throw new CrmError(code, { zh: `${what.zh}无效：${value}`, en: `unknown ${what.en}: ${value}` }, ExitCode.usage, {
    zh: `可选：${list}`,
    en: `one of ${list}`,
  });
}

export const parseKind = (v: string): Kind => choice(v, KINDS, KIND_LABELS, 'E4101', m('工单类型', 'ticket kind'));
export const parsePriority = (v: string): Priority =>
  choice(v, PRIORITIES, PRIORITY_LABELS, 'E4102', m('优先级', 'priority'));
export const parseChannel = (v: string): Channel =>
  choice(v, CHANNELS, CHANNEL_LABELS, 'E4103', m('受理渠道', 'channel'));
export const parseStatus = (v: string): Status => choice(v, STATUSES, STATUS_LABELS, 'E4117', m('工单状态', 'status'));

/** A satisfaction score: a whole number 1–5. */
export function parseScore(value: number | string): number {
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < 1 || n > 5) {
    throw new CrmError(
      'E4110',
      { zh: `满意度须为 1 到 5 的整数：${value}`, en: `a satisfaction score is a whole number from 1 to 5: ${value}` },
      ExitCode.usage,
      { zh: '1 非常不满意 … 5 非常满意', en: '1 very dissatisfied … 5 very satisfied' },
    );
  }
  return n;
}

/**
 * A ticket number from `service.numberPattern`: {YYYY} {MM} {DD} {YYYYMMDD} of the business date, {SEQn} the
 * day's sequence padded to n digits.
 */
export function formatNumber(pattern: string, date: string, seq: number): string {
  const [y, mo, d] = date.split('-') as [string, string, string];
  return pattern
    .replace(/\{YYYYMMDD\}/g, `${y}${mo}${d}`)
    .replace(/\{YYYY\}/g, y)
    .replace(/\{MM\}/g, mo)
    .replace(/\{DD\}/g, d)
    .replace(/\{SEQ(\d)\}/g, (_, n: string) => String(seq).padStart(Number(n), '0'));
}

/** The part of a number before its sequence (numbers of one day share it), for finding the day's last one. */
export function numberPrefix(pattern: string, date: string): string {
  const at = pattern.search(/\{SEQ\d\}/);
  return formatNumber(at < 0 ? pattern : pattern.slice(0, at), date, 0);
}

export function checkNumberPattern(pattern: string): string | null {
  if (!/\{SEQ[1-9]\}/.test(pattern)) return 'a pattern with a sequence {SEQ1}..{SEQ9}, e.g. CS{YYYYMMDD}-{SEQ4}';
  if (!/\{(YYYYMMDD|DD)\}/.test(pattern))
    return 'a pattern with the date ({YYYYMMDD} or {YYYY}{MM}{DD}), so numbers of different days differ';
  if (/\{SEQ\d\}./.test(pattern)) return 'the sequence {SEQn} at the end of the pattern';
  if (pattern.length > 40 || /\s/.test(pattern)) return 'a pattern of at most 40 characters without spaces';
  return null;
}
