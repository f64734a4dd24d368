#!/usr/bin/env node
// Thin shell: run the CLI and turn its result into the process exit code.
// `crm --version` answers from package.json without loading the CLI: scripts and monitors call it often.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  // Reuse V8's compiled code for the CommonJS packages (knex, commander, drivers) between runs: see code-cache.ts.
  const { installCodeCache } = await import('../dist/cli/code-cache.js');
  installCodeCache(process.env);
  const { runFromProcess } = await import('../dist/cli/main.js');
  process.exitCode = await runFromProcess();
}
