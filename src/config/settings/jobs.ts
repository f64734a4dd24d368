import { JOB_CATALOG, type JobCatalogEntry } from '../../jobs/catalog.js';
import { boolSetting, intSetting, stringSetting, TIME_OF_DAY, timeSetting } from './kinds.js';
import type { SettingDef } from './types.js';

/**
 * `jobs.<name>.schedule`: HH:mm. A settlement job's is empty by default, meaning it follows the business-day
 * setting its catalog entry names (the cutoff job runs at `settlement.cutoffAt`); a value pins it.
 */
function scheduleSetting(job: JobCatalogEntry): SettingDef {
  const key = `jobs.${job.name}.schedule`;
  if (!job.follows) {
    return timeSetting(key, job.defaultTime, {
      zh: `作业 ${job.name} 的运行时间（HH:mm，业务时区）`,
      en: `time the ${job.name} job runs (HH:mm, business time zone)`,
    });
  }
  const { setting, afterMinutes } = job.follows;
  const follows = afterMinutes ? `${setting} + ${afterMinutes} min` : setting;
  const followsZh = afterMinutes ? `${setting} + ${afterMinutes} 分钟` : setting;
  return stringSetting(
    key,
    '',
    {
      zh: `作业 ${job.name} 的运行时间（HH:mm，业务时区；空：跟随 ${followsZh}）`,
      en: `time the ${job.name} job runs (HH:mm, business time zone; empty: follows ${follows})`,
    },
    /^(([01]\d|2[0-3]):[0-5]\d)?$/,
    TIME_OF_DAY,
  );
}

/** Per job: `jobs.<name>.schedule` and `jobs.<name>.enabled`. */
const perJob: SettingDef[] = JOB_CATALOG.flatMap((job) => [
  // An hourly job runs at the top of each hour of `service.workingHours`: it has no time of its own.
  ...(job.hourly ? [] : [scheduleSetting(job)]),
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
