#!/usr/bin/env node
// The built CLI with the test jobs (test-jobs.mjs) in place of the product's: what bin/crm.js does, plus
// installJobRegistry before main. Configured by CRM_TEST_JOBS=SLEEP_MS[,FAIL_JOB] and CRM_TEST_JOBS_FAIL_FILE.
import { installJobRegistry } from '../../dist/cli/context.js';
import { processIO } from '../../dist/cli/io.js';
import { main } from '../../dist/cli/main.js';
import { testJobsFromEnv } from './test-jobs.mjs';

installJobRegistry(testJobsFromEnv(process.env));
process.exitCode = await main(process.argv.slice(2), processIO(), process.env, process.cwd());
