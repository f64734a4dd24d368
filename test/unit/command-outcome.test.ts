import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { act, type RawOptions } from '../../src/cli/command.js';
import { CliContext } from '../../src/cli/context.js';
import { BufferStream } from '../../src/cli/io.js';
import { CommandOutcome } from '../../src/cli/outcome.js';
import { ExitCode, type ExitCodeValue } from '../../src/domain/errors.js';
import { ROOT } from '../support/cli.js';

function bareContext(): CliContext {
  return new CliContext(
    { stdout: new BufferStream(), stderr: new BufferStream(), stdin: process.stdin, stdinIsTTY: false },
    {},
    ROOT,
  );
}

/** Run one action through commander, as the program does. */
async function runAction(action: (...raw: unknown[]) => Promise<void>, argv: string[]): Promise<void> {
  const program = new Command('crm').exitOverride();
  program.command('verb [arg]').option('--flag <value>').action(action);
  await program.parseAsync(argv, { from: 'user' });
}

describe('act: a verb returns its outcome', () => {
  it('hands parse the positional arguments and the options, and run what parse made', async () => {
    const seen: unknown[] = [];
    const parse = (args: string[], raw: RawOptions) => ({ arg: args[0], flag: raw.flag });
    await runAction(
      act(bareContext(), parse, async (_ctx, opts) => {
        seen.push(opts);
      }),
      ['verb', 'x', '--flag', 'y'],
    );
    expect(seen).toEqual([{ arg: 'x', flag: 'y' }]);
  });

  it('a non-zero code becomes a CommandOutcome; zero or nothing is success', async () => {
    const returning = (code: ExitCodeValue | undefined) =>
      act(
        bareContext(),
        () => ({}),
        async () => code,
      );
    await expect(runAction(returning(ExitCode.rowsRejected), ['verb'])).rejects.toEqual(new CommandOutcome(6));
    await expect(runAction(returning(ExitCode.ok), ['verb'])).resolves.toBeUndefined();
    await expect(runAction(returning(undefined), ['verb'])).resolves.toBeUndefined();
  });

  it('the two-argument form still works for the groups not split yet, outcome included', async () => {
    const seen: unknown[] = [];
    await expect(
      runAction(
        act<[string]>(bareContext(), async (arg, opts) => {
          seen.push([arg, opts.flag]);
          return ExitCode.error;
        }),
        ['verb', 'a', '--flag', 'b'],
      ),
    ).rejects.toMatchObject({ exitCode: ExitCode.error });
    expect(seen).toEqual([['a', 'b']]);
  });

  it('no source file imports cli/main.ts (only bin/ and tests do): no main -> program -> commands -> main circle', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (
          file.endsWith('.ts') &&
          /(from |import\()'[./]*(cli\/)?main\.js'/.test(fs.readFileSync(file, 'utf8'))
        ) {
          offenders.push(path.relative(ROOT, file));
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    expect(offenders).toEqual([]);
  });
});
