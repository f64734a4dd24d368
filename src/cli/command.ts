import { type Command, InvalidArgumentError } from 'commander';
import type { ExitCodeValue, L10n } from '../domain/errors.js';
import type { CliContext } from './context.js';
import { CommandOutcome } from './outcome.js';

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

/** Commander's options, untyped: what the two-argument `act` hands a verb not yet split into parse and run. */
// biome-ignore lint/suspicious/noExplicitAny: commander hands options untyped; each command validates what it reads.
export type Opts = Record<string, any>;

/** Commander's parsed options for one verb, merged with the globals: untyped until a verb's parse maps them. */
export type RawOptions = Readonly<Record<string, unknown>>;

/** What a verb's run returns: nothing (success) or its exit code; errors are thrown as `CrmError`. */
// biome-ignore lint/suspicious/noConfusingVoidType: a run that returns nothing succeeded.
export type VerbResult = ExitCodeValue | void;

/** Map commander's positional arguments and options into a verb's typed options; flag syntax errors throw. */
export type ParseOptions<O> = (args: string[], raw: RawOptions) => O;

/** Do a verb's work: one service call and one renderer, writing only through the context. */
export type RunVerb<O> = (ctx: CliContext, opts: O) => Promise<VerbResult>;

/**
 * Commander's action for a verb: `act(ctx, parseXOptions, runX)` maps the flags (`parse`), then runs (`run`).
 * A non-zero code the run returns becomes a `CommandOutcome`, which `main` turns into the process's status.
 *
 * The two-argument form, `act(ctx, async (...args, opts) => …)`, hands the merged options untyped to one function;
 * it is kept for the groups not yet split into parse and run.
 */
type Action = (...raw: unknown[]) => Promise<void>;

export function act<O>(ctx: CliContext, parse: ParseOptions<O>, run: RunVerb<O>): Action;
export function act<A extends unknown[] = []>(
  ctx: CliContext,
  fn: (...args: [...A, Opts]) => Promise<VerbResult>,
): Action;
export function act<O>(
  ctx: CliContext,
  first: ParseOptions<O> | ((...args: unknown[]) => Promise<VerbResult>),
  run?: RunVerb<O>,
): Action {
  return async (...raw: unknown[]) => {
    // Commander passes the positional arguments, then the options, then the command.
    const command = raw[raw.length - 1] as Command;
    const positional = raw.slice(0, -2);
    const opts = command.optsWithGlobals() as Opts;
    const code = run
      ? await run(ctx, (first as ParseOptions<O>)(positional as string[], opts))
      : await (first as (...args: unknown[]) => Promise<VerbResult>)(...positional, opts);
    if (code) throw new CommandOutcome(code);
  };
}

/** A string option as given, or undefined when absent. */
export function stringOption(raw: RawOptions, name: string): string | undefined {
  const value = raw[name];
  return value === undefined ? undefined : String(value);
}

/** A repeatable option (declared with `collect`), as a list. */
export function listOption(raw: RawOptions, name: string): string[] {
  const value = raw[name];
  return Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
}

/** Collect a repeatable option (`--item A --item B`). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Parse a positive integer option, as a usage error when it is not one. */
export function intOption(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}
