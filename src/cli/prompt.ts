import { CrmError, ExitCode, type L10n } from '../domain/errors.js';
import type { CliContext } from './context.js';

/**
 * Ask for a missing value on a terminal; without one, a missing required value is a usage error.
 * @inquirer/prompts is imported lazily so non-interactive runs never load it.
 */
export async function askText(
  ctx: CliContext,
  flag: string,
  message: L10n,
  opts: { required?: boolean; default?: string } = {},
): Promise<string | undefined> {
  const output = ctx.io.promptOutput;
  if (!ctx.interactive || !output) {
    if (opts.required) throw missingFlag(flag);
    return opts.default;
  }
  const { input } = await import('@inquirer/prompts');
  const answer = await cancellable(
    input(
      {
        message: ctx.t(message),
        default: opts.default,
        validate: (value: string) =>
          !opts.required || value.trim() !== '' || ctx.t({ zh: `请输入 ${flag}`, en: `${flag} is required` }),
      },
      { input: ctx.io.stdin, output },
    ),
  );
  return answer.trim() || opts.default;
}

export async function askConfirm(ctx: CliContext, message: L10n, def = false): Promise<boolean> {
  const output = ctx.io.promptOutput;
  if (!ctx.interactive || !output) return def;
  const { confirm } = await import('@inquirer/prompts');
  return cancellable(confirm({ message: ctx.t(message), default: def }, { input: ctx.io.stdin, output }));
}

/** Ctrl-C (or Ctrl-D) at a prompt is the person saying no: exit 2 with "cancelled", never an unexpected error. */
export async function cancellable<T>(prompt: Promise<T>): Promise<T> {
  try {
    return await prompt;
  } catch (err) {
    if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError')) throw cancelled();
    throw err;
  }
}

export const CANCELLED = 'E0004';

export function cancelled(): CrmError {
  return new CrmError(CANCELLED, { zh: '已取消', en: 'cancelled' }, ExitCode.usage);
}

export function missingFlag(flag: string): CrmError {
  return new CrmError(
    'E0001',
    { zh: `缺少必需的选项 ${flag}`, en: `missing required option ${flag}` },
    ExitCode.usage,
    {
      zh: '在终端中运行时会逐项询问；脚本中请给出该选项',
      en: 'on a terminal the command asks for it; in scripts pass the option',
    },
  );
}
