import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { CliContext, installJobRegistry } from '../../src/cli/context.js';
import { BufferStream, type IO } from '../../src/cli/io.js';
import { BUILTIN_JOBS } from '../../src/jobs/definitions.js';
import type { JobRegistry } from '../../src/jobs/types.js';

const io = (): IO => ({
  stdout: new BufferStream(),
  stderr: new BufferStream(),
  stdin: Readable.from([]),
  stdinIsTTY: false,
});

const context = (env: Record<string, string | undefined>) => new CliContext(io(), env, '/');

describe('the jobs a CLI context runs', () => {
  afterEach(() => installJobRegistry(null));

  it("runs the product's jobs; the environment cannot swap in others", async () => {
    expect(await context({ CRM_TEST_JOBS: '1' }).jobRegistry()).toBe(BUILTIN_JOBS);
  });

  it('runs an installed registry instead (how the spawned-process tests get their jobs)', async () => {
    const registry: JobRegistry = [{ name: 'only', defaultTime: '09:00', workingDaysOnly: false, steps: [] }];
    installJobRegistry(registry);
    expect(await context({}).jobRegistry()).toBe(registry);
  });

  it('reads CRM_JOBS_LEASE_MS as a positive whole number of milliseconds, else leaves the lease to the settings', () => {
    expect(context({ CRM_JOBS_LEASE_MS: '4000' }).jobsLeaseMs).toBe(4000);
    expect(context({ CRM_JOBS_LEASE_MS: ' 250 ' }).jobsLeaseMs).toBe(250);
    for (const raw of [undefined, '', '0', '-5', '1.5', 'soon']) {
      expect(context({ CRM_JOBS_LEASE_MS: raw }).jobsLeaseMs).toBeUndefined();
    }
  });
});
