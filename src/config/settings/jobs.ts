import { JOB_CATALOG } from '../../jobs/catalog.js';
import { boolSetting, intSetting, stringSetting, timeSetting } from './kinds.js';
import type { SettingDef } from './types.js';

/** Per job: `jobs.<name>.schedule` (HH:mm, business time zone) and `jobs.<name>.enabled`. */
const perJob: SettingDef[] = JOB_CATALOG.flatMap((job) => [
  timeSetting(`jobs.${job.name}.schedule`, job.defaultTime, {
    zh: `作业 ${job.name} 的运行时间（HH:mm，业务时区）`,
    en: `time the ${job.name} job runs (HH:mm, business time zone)`,
  }),
  boolSetting(`jobs.${job.name}.enabled`, true, {
    zh: `作业 ${job.name} 是否由调度器运行`,
    en: `whether the scheduler runs the ${job.name} job`,
  }),
]);

export const jobSettings: SettingDef[] = [
  intSetting(
    'jobs.catchUpDays',
    7,
    { zh: '补跑最多回溯的工作日数', en: 'most working days a catch-up goes back' },
    0,
    60,
  ),
  stringSetting('jobs.user', '', {
    zh: '调度器以哪个用户身份运行作业（空：第一个管理员）',
    en: 'user the scheduler runs jobs as (empty: the first admin)',
  }),
  intSetting(
    'jobs.leaseSeconds',
    120,
    {
      zh: '作业租约秒数：进程停止续约超过该时长即视为已死，可被接管（环境变量 CRM_JOBS_LEASE_MS 优先）',
      en: 'job lease in seconds: a run whose process stops renewing it for this long counts as dead and may be taken over (CRM_JOBS_LEASE_MS wins)',
    },
    1,
    86_400,
  ),
  ...perJob,
  stringSetting('reports.dir', '', {
    zh: '作业生成报表的目录（空：数据目录下 reports/）',
    en: 'directory for reports written by jobs (empty: reports/ under the data directory)',
  }),
];
