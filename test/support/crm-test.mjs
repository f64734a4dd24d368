#!/usr/bin/env node
// The built CLI with the tests' hooks installed before main, each chosen by an environment variable of the tests'
// (production code reads none of them):
// - CRM_TEST_JOBS=SLEEP_MS[,FAIL_JOB] (and CRM_TEST_JOBS_FAIL_FILE): the test jobs (test-jobs.mjs) in place of
//   the product's;
// - CRM_TEST_IMPORT_KILL_AFTER_CHUNKS=N: SIGKILL right after an import's N-th chunk commits;
//   CRM_TEST_IMPORT_CHUNK_ROWS=N: N rows per import chunk;
// - CRM_TEST_CRASH_AT=POINT: `settlement clear` ends the process (exit 86) at that point of the clear
//   (before-rename, after-rename, before-commit, after-commit). A real crash: no finally block, no rollback runs.
import { installJobRegistry } from '../../dist/cli/context.js';
import { processIO } from '../../dist/cli/io.js';
import { main } from '../../dist/cli/main.js';
import { installRunHooks } from '../../dist/cli/run-hooks.js';
import { testJobsFromEnv } from './test-jobs.mjs';

const env = process.env;
if (env.CRM_TEST_JOBS) installJobRegistry(testJobsFromEnv(env));
const killAfter = Number(env.CRM_TEST_IMPORT_KILL_AFTER_CHUNKS || 0);
const crashAt = env.CRM_TEST_CRASH_AT;
installRunHooks({
  importChunkRows: Number(env.CRM_TEST_IMPORT_CHUNK_ROWS || 0) || undefined,
  afterImportChunk: killAfter > 0 ? (n) => n >= killAfter && process.kill(process.pid, 'SIGKILL') : undefined,
  clearFaultAt: crashAt
    ? (point) => {
        if (point !== crashAt) return;
        process.stderr.write(`CRM_TEST_CRASH_AT=${point}: exiting\n`);
        process.exit(86);
      }
    : undefined,
});
process.exitCode = await main(process.argv.slice(2), processIO(), env, process.cwd());
