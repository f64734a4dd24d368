import { intSetting, stringSetting } from './kinds.js';
import type { SettingDef } from './types.js';

/** The jobs issue adds `jobs.<name>.schedule` and `jobs.<name>.enabled` here. */
export const jobSettings: SettingDef[] = [
  intSetting(
    'jobs.catchUpDays',
    7,
    { zh: '补跑最多回溯的工作日数', en: 'most working days a catch-up goes back' },
    0,
    60,
  ),
  stringSetting('reports.dir', '', {
    zh: '作业生成报表的目录（空：数据目录下 reports/）',
    en: 'directory for reports written by jobs (empty: reports/ under the data directory)',
  }),
];
