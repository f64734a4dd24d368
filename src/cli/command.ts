import { type Command, InvalidArgumentError } from 'commander';
import type { L10n } from '../domain/errors.js';
import type { CliContext } from './context.js';

/** A command group (`crm customers …`) with a bilingual description and examples in its help. */
export function group(
  parent: Command,
  ctx: CliContext,
  name: string,
  description: L10n,
  examples: string[] = [],
): Command {
  const cmd = parent.command(name).description(ctx.t(description));
  if (examples.length) cmd.addHelpText('after', examplesText(ctx, examples));
  return cmd;
}

/** A verb under a group, with examples shown by `--help`. */
export function verb(
  parent: Command,
  ctx: CliContext,
  nameAndArgs: string,
  description: L10n,
  examples: string[] = [],
): Command {
  const cmd = parent.command(nameAndArgs).description(ctx.t(description));
  if (examples.length) cmd.addHelpText('after', examplesText(ctx, examples));
  return cmd;
}

function examplesText(ctx: CliContext, examples: string[]): string {
  return `\n${ctx.t({ zh: '示例：', en: 'Examples:' })}\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`;
}

/**
 * Wrap an action: commander passes positional arguments, then options, then the command.
 * The wrapper hands the command's own options (merged with globals) to `fn`.
 */
// biome-ignore lint/suspicious/noExplicitAny: commander hands options untyped; each command validates what it reads.
export type Opts = Record<string, any>;

export function act<A extends unknown[] = []>(_ctx: CliContext, fn: (...args: [...A, Opts]) => Promise<void>) {
  return async (...raw: unknown[]) => {
    const command = raw[raw.length - 1] as Command;
    const positional = raw.slice(0, -2) as A;
    const opts = command.optsWithGlobals() as Opts;
    await fn(...positional, opts);
  };
}

/** Collect a repeatable option (`--item A --item B`). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Parse a positive integer option, as a usage error when it is not one. */
export function intOption(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}
