import type { L10n } from '../domain/errors.js';

/**
 * The business-day settings a settlement job's time follows. The 08:30 open and the 15:30 cutoff live in
 * `settlement.openAt` / `settlement.cutoffAt` (src/config/settings/settlement.ts) and nowhere else: the jobs
 * run at those times (or a few minutes after), so the cutoff job freezes the day exactly when
 * `businessDateOf` starts sending transactions to the next day.
 */
export type BusinessDayTime = 'settlement.openAt' | 'settlement.cutoffAt';

export interface JobTimeAnchor {
  setting: BusinessDayTime;
  afterMinutes: number;
}

/**
 * The product's jobs: names, default times (business time zone) and whether they run only on working days.
 * Pure data, so settings can declare `jobs.<name>.schedule` / `jobs.<name>.enabled` without loading the jobs.
 * The order is the day's order: instances of one date run in this order.
 */
export interface JobCatalogEntry {
  name: string;
  /** The time with the default settings (for anchored jobs: the anchor's default plus the offset). */
  defaultTime: string;
  /** When set, an empty `jobs.<name>.schedule` means: this setting's time plus the offset. */
  follows?: JobTimeAnchor;
  workingDaysOnly: boolean;
  /** Every hour of the working day (`service.workingHours`) instead of once a day at `defaultTime`. */
  hourly?: boolean;
  description: L10n;
}

export const JOB_CATALOG: readonly JobCatalogEntry[] = [
  {
    name: 'pool-return',
    defaultTime: '01:00',
    workingDaysOnly: false,
    description: { zh: '公海回收规则（每天）', en: "the public pool's return rules (every day)" },
  },
  {
    name: 'receivables-overdue',
    defaultTime: '01:10',
    workingDaysOnly: false,
    description: { zh: '标记逾期回款计划（每天）', en: 'mark overdue instalments (every day)' },
  },
  {
    name: 'care-plans',
    defaultTime: '01:20',
    workingDaysOnly: false,
    description: {
      zh: '客户关怀：生成到期的关怀联系（每天）',
      en: 'care plans: create the due care contacts (every day)',
    },
  },
  {
    name: 'approvals-reminders',
    defaultTime: '08:00',
    workingDaysOnly: true,
    description: {
      zh: '审批催办：提醒等待过久的审批人，超时升级给再上一级',
      en: 'approval reminders: remind approvers of steps waiting too long, escalate the longest-waiting',
    },
  },
  {
    name: 'daily-digest',
    defaultTime: '08:00',
    workingDaysOnly: true,
    description: {
      zh: '待办晨报：每人的待办文件，配置了邮件时发送邮件（工作日）',
      en: "morning digest: everyone's to-do list as a file, and by e-mail when mail is set up (working days)",
    },
  },
  {
    name: 'start-of-service',
    defaultTime: '08:30',
    follows: { setting: 'settlement.openAt', afterMinutes: 0 },
    workingDaysOnly: true,
    description: { zh: '启动财政划拨服务（开启当日）', en: 'start of service: open today for transactions' },
  },
  {
    name: 'pending-summary',
    defaultTime: '08:35',
    follows: { setting: 'settlement.openAt', afterMinutes: 5 },
    workingDaysOnly: true,
    description: {
      zh: '上一工作日待清算汇总清单与清算分类统计表（打印与 CSV 文件）',
      en: "the previous working day's pending summary list and classification table (printable and CSV files)",
    },
  },
  {
    name: 'cutoff',
    defaultTime: '15:30',
    follows: { setting: 'settlement.cutoffAt', afterMinutes: 0 },
    workingDaysOnly: true,
    description: { zh: '停止财政划拨服务（当日截止）', en: 'cutoff: today takes no more transactions' },
  },
  {
    name: 'clearing-files',
    defaultTime: '15:35',
    follows: { setting: 'settlement.cutoffAt', afterMinutes: 5 },
    workingDaysOnly: true,
    description: {
      zh: '生成清算文件，再生成已清算与待清算汇总清单',
      en: 'clearing files, then the cleared and pending summary lists',
    },
  },
  {
    name: 'service-escalation',
    defaultTime: '09:00',
    workingDaysOnly: true,
    hourly: true,
    description: {
      zh: '服务工单超时升级（工作时间每小时）',
      en: 'escalate late service tickets (every hour of the working day)',
    },
  },
];

export const JOB_NAMES: readonly string[] = JOB_CATALOG.map((j) => j.name);

/** `HH:mm` plus some minutes, within the day (the offsets are small; a time past midnight is refused). */
export function addMinutes(time: string, minutes: number): string {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const total = h * 60 + m + minutes;
  if (total < 0 || total >= 24 * 60) throw new RangeError(`${time} + ${minutes} min leaves the day`);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}
