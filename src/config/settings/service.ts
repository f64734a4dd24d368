import { parseWorkingHours } from '../../domain/service/sla.js';
import { checkNumberPattern } from '../../domain/service/tickets.js';
import { intSetting, jsonSetting } from './kinds.js';
import type { SettingDef } from './types.js';

/** Working hours to respond and to resolve, per priority. */
export type ServiceLevels = Record<'urgent' | 'high' | 'normal' | 'low', { respond: number; resolve: number }>;

export const DEFAULT_SLA: ServiceLevels = {
  urgent: { respond: 1, resolve: 4 },
  high: { respond: 4, resolve: 16 },
  normal: { respond: 8, resolve: 40 },
  low: { respond: 16, resolve: 80 },
};

function checkSla(v: unknown): string | null {
  const expected =
    'an object like {"urgent":{"respond":1,"resolve":4},"high":{…},"normal":{…},"low":{…}} (working hours, respond ≤ resolve)';
  if (!v || typeof v !== 'object') return expected;
  for (const p of Object.keys(DEFAULT_SLA)) {
    const e = (v as Record<string, unknown>)[p] as Record<string, unknown> | undefined;
    if (!e || typeof e !== 'object') return expected;
    const { respond, resolve } = e;
    if (typeof respond !== 'number' || typeof resolve !== 'number') return expected;
    if (!(respond > 0) || !(resolve >= respond) || respond * 60 !== Math.round(respond * 60) || resolve > 10_000)
      return expected;
  }
  return null;
}

export const serviceSettings: SettingDef[] = [
  {
    key: 'service.numberPattern',
    description: {
      zh: '工单编号格式：{YYYYMMDD} 受理日期，{SEQ4} 当日流水号（4 位）',
      en: 'ticket number pattern: {YYYYMMDD} the business date, {SEQ4} the day’s sequence (4 digits)',
    },
    default: 'CS{YYYYMMDD}-{SEQ4}',
    parse(raw) {
      const v = raw.trim();
      const problem = checkNumberPattern(v);
      if (problem) throw new Error(problem);
      return v;
    },
  } satisfies SettingDef<string>,
  {
    key: 'service.workingHours',
    description: {
      zh: '服务时限计算的工作时间（HH:mm-HH:mm，业务时区，工作日）',
      en: 'working hours service levels count (HH:mm-HH:mm, business time zone, working days)',
    },
    default: '08:30-17:30',
    parse(raw) {
      parseWorkingHours(raw);
      return raw.trim().replace(/\s+/g, '');
    },
  } satisfies SettingDef<string>,
  jsonSetting(
    'service.sla',
    DEFAULT_SLA,
    {
      zh: '各优先级响应与解决时限（工作小时）',
      en: 'working hours to respond and to resolve, per priority',
    },
    checkSla,
  ),
  intSetting(
    'service.revisitAfterDays',
    3,
    { zh: '解决后几个工作日回访', en: 'working days after resolution a return visit is due' },
    0,
    60,
  ),
  intSetting(
    'service.reopenAtOrBelow',
    2,
    {
      zh: '回访满意度不高于此分值即重开工单（0 不重开）',
      en: 'a return-visit score at or below this reopens the ticket (0: never)',
    },
    0,
    5,
  ),
];
