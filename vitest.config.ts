import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Suites use their own temp SQLite files and their own MariaDB databases, so files can run in parallel.
    pool: 'forks',
    // Prints the "skipped" notices once per run and checks that no test leaves files in the temp dir.
    globalSetup: ['test/support/global-setup.ts'],
  },
});
