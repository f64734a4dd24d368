// Plain JavaScript so that the spawned test CLI (crm-test-jobs.mjs) can load it without a TypeScript loader.
import fs from 'node:fs';

/**
 * Jobs for the CLI tests of leases, kill -9 and two schedulers: they take a known time and touch nothing else.
 * `test-a` (working days, 08:30) and `test-b` (every day, 01:00) each run two steps that sleep `sleepMs`;
 * `failJob`'s second step fails while the file `failFile` exists.
 *
 * @param {{ sleepMs: number; failJob?: string; failFile?: string }} opts
 * @returns {import('../../src/jobs/types.js').JobRegistry}
 */
export function testJobs({ sleepMs, failJob, failFile }) {
  const sleep = () => new Promise((r) => setTimeout(r, sleepMs));
  /** @returns {import('../../src/jobs/types.js').JobDefinition} */
  const make = (name, defaultTime, workingDaysOnly) => ({
    name,
    defaultTime,
    workingDaysOnly,
    steps: [
      {
        name: 'first',
        run: async () => {
          await sleep();
          return { slept: sleepMs };
        },
      },
      {
        name: 'second',
        run: async () => {
          await sleep();
          if (name === failJob && failFile && fs.existsSync(failFile)) {
            throw new Error(`test failure requested by ${failFile}`);
          }
          return { slept: sleepMs };
        },
      },
    ],
  });
  return [make('test-b', '01:00', false), make('test-a', '08:30', true)];
}

/** `CRM_TEST_JOBS=SLEEP_MS[,FAIL_JOB]` and `CRM_TEST_JOBS_FAIL_FILE`, as the process tests set them. */
export function testJobsFromEnv(env) {
  const [sleepRaw = '', failJob] = (env.CRM_TEST_JOBS ?? '').split(',');
  return testJobs({ sleepMs: Number(sleepRaw) || 0, failJob, failFile: env.CRM_TEST_JOBS_FAIL_FILE });
}
