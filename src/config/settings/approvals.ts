import { intSetting } from './kinds.js';
import type { SettingDef } from './types.js';

export const approvalSettings: SettingDef[] = [
  intSetting(
    'approvals.remindAfterWorkingDays',
    2,
    {
      zh: '审批步骤等待超过该工作日数时提醒审批人（每步一次）',
      en: 'remind the approver of a step waiting more than this many working days (once per step)',
    },
    1,
    60,
  ),
  intSetting(
    'approvals.escalateAfterWorkingDays',
    5,
    {
      zh: '审批步骤等待超过该工作日数时升级给再上一级（每步一次）',
      en: 'escalate a step waiting more than this many working days to the next level up (once per step)',
    },
    1,
    60,
  ),
];
