import { boolSetting, intSetting, jsonSetting } from './kinds.js';
import type { SettingDef } from './types.js';

export const customerSettings: SettingDef[] = [
  intSetting('pool.returnAfterDaysWithoutFollowup', 30, {
    zh: '多少天无新跟进退回公海（0 不启用）',
    en: 'days without a new follow-up before return to the pool (0 disables)',
  }),
  intSetting('pool.returnAfterDaysWithoutDeal', 90, {
    zh: '多少天未成交退回公海（0 不启用）',
    en: 'days without a deal before return to the pool (0 disables)',
  }),
  boolSetting('pool.exemptLocked', true, { zh: '锁定客户不退回公海', en: 'locked customers are never returned' }),
  boolSetting('pool.exemptDealt', true, {
    zh: '已成交客户不退回公海',
    en: 'customers that already bought are never returned',
  }),
  intSetting('pool.warnDaysBefore', 3, { zh: '退回前几天提醒负责人', en: 'days before return to warn the owner' }),
  intSetting('pool.dailyClaimLimit', 10, {
    zh: '每人每天最多领取数（0 不限）',
    en: 'claims per user per day (0: no limit)',
  }),
  intSetting('pool.maxOwnedPerUser', 500, {
    zh: '每人最多拥有客户数（0 不限）',
    en: 'most customers one user may own (0: no limit)',
  }),
  intSetting('pool.reclaimCooldownDays', 30, {
    zh: '原负责人多少天内不得重新领取',
    en: 'days before a former owner may reclaim',
  }),
  jsonSetting(
    'customers.gradeThresholds',
    { A: 50, B: 80, C: 95, D: 99 },
    {
      zh: '客户分级累计销售占比阈值（%），其余为 E',
      en: 'grade thresholds on cumulative share of sales (%); the rest are E',
    },
    (v) => {
      if (!v || typeof v !== 'object') return 'an object like {"A":50,"B":80,"C":95,"D":99}';
      const o = v as Record<string, unknown>;
      const keys = ['A', 'B', 'C', 'D'];
      let prev = 0;
      for (const k of keys) {
        const n = o[k];
        if (typeof n !== 'number' || n <= prev || n > 100) return 'A < B < C < D, each between 0 and 100';
        prev = n;
      }
      return null;
    },
  ),
];
