import { CommanderError } from 'commander';
import { CrmError, ExitCode } from '../domain/errors.js';
import { commanderMessage } from './commander-messages.js';
import { CliContext } from './context.js';
import { resolveLang } from './i18n.js';
import { type IO, processIO } from './io.js';
import { CommandOutcome } from './outcome.js';
import { buildProgram } from './program.js';
import { CANCELLED } from './prompt.js';

/** Pre-read --lang so help text is built in the right language. */
function langFromArgv(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--lang') return argv[i + 1];
    if (a.startsWith('--lang=')) return a.slice('--lang='.length);
  }
  return undefined;
}

/**
 * Run one `crm` invocation in-process and return its exit code.
 * Tests call this with buffer streams; bin/crm.js calls it with the real process.
 */
export async function main(
  argv: string[],
  io: IO,
  env: Record<string, string | undefined>,
  cwd: string,
): Promise<number> {
  const ctx = new CliContext(io, env, cwd);
  ctx.lang = resolveLang(langFromArgv(argv), env);
  ctx.globals.json = argv.includes('--json');
  ctx.globals.debug = argv.includes('--debug');
  try {
    const program = await buildProgram(ctx, argv);
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (err) {
    // The one place a verb's outcome becomes the process's status.
    if (err instanceof CommandOutcome) return err.exitCode;
    return reportError(ctx, err);
  } finally {
    await ctx.close();
  }
}

function reportError(ctx: CliContext, err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
      return ExitCode.ok;
    // Bare `crm customers` shows the group's help on stderr: not an error a script should act on, but not a success.
    if (err.code === 'commander.executeSubCommandAsync') return ExitCode.error;
    printError(
      ctx,
      'E0002',
      ctx.t(commanderMessage(err.message)),
      ctx.t({ zh: '用 --help 查看用法', en: 'see --help for usage' }),
    );
    return ExitCode.usage;
  }
  if (err instanceof CrmError && err.code === CANCELLED && !ctx.json) {
    // The person pressed Ctrl-C at a prompt: say so, no "error" and no hint.
    ctx.io.stderr.write(`${ctx.t(err.messages)}\n`);
    return err.exitCode;
  }
  if (err instanceof CrmError) {
    printError(ctx, err.code, ctx.t(err.messages), err.hint ? ctx.t(err.hint) : undefined, err);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  printError(
    ctx,
    'E0000',
    e.message,
    ctx.t({
      zh: '这是一个未预料的错误；加 --debug 查看详情并报告给开发团队',
      en: 'this was unexpected; rerun with --debug and report it',
    }),
    e,
  );
  return ExitCode.error;
}

function printError(ctx: CliContext, code: string, message: string, hint?: string, err?: Error): void {
  if (ctx.json) {
    ctx.io.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  } else {
    ctx.io.stderr.write(`${ctx.t({ zh: '错误', en: 'error' })} ${code}: ${message}\n`);
    if (hint) ctx.io.stderr.write(`  ${hint}\n`);
  }
  if (ctx.globals.debug && err?.stack) ctx.io.stderr.write(`${err.stack}\n`);
}

export async function runFromProcess(): Promise<number> {
  return main(process.argv.slice(2), processIO(), process.env, process.cwd());
}
