// Test-only entry for the clearing crash tests: `node test/support/clear-crash.mjs DATE OUT_DIR` clears DATE into
// OUT_DIR as `crm settlement clear --date DATE --out-dir OUT_DIR` does (the CLI's own context: database, clock,
// user from the environment), with the clear's fault hook ending the process (exit code 86) at the point named by
// CRM_TEST_CRASH_AT. A real crash, not an exception: no finally block, no rollback, no cleanup runs.
import { CliContext } from '../../dist/cli/context.js';
import { processIO } from '../../dist/cli/io.js';
import { CLEAR_POINTS, clearDay } from '../../dist/services/settlement/clearing.js';

const [date, outDir] = process.argv.slice(2);
const crashAt = process.env.CRM_TEST_CRASH_AT;
if (!date || !outDir || !CLEAR_POINTS.includes(crashAt)) {
  process.stderr.write(`usage: CRM_TEST_CRASH_AT=${CLEAR_POINTS.join('|')} clear-crash.mjs DATE OUT_DIR\n`);
  process.exit(2);
}
const ctx = new CliContext(processIO(), process.env, process.cwd());
try {
  const svc = await ctx.services();
  await clearDay(svc, {
    date,
    outDir,
    faultAt: (point) => {
      if (point !== crashAt) return;
      process.stderr.write(`CRM_TEST_CRASH_AT=${point}: exiting\n`);
      process.exit(86);
    },
  });
  process.stderr.write(`the clear finished without reaching ${crashAt}\n`);
  process.exitCode = 1;
} finally {
  await ctx.close();
}
