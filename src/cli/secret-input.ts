import { CrmError, ExitCode, type L10n } from '../domain/errors.js';
import type { CliContext } from './context.js';
import { cancellable } from './prompt.js';

/**
 * Read a password: with `--password-stdin`, the first line of stdin (its line break is not part of it); else on a
 * terminal, hidden, twice when `confirm` (a new password). Never from argv. Without either, a usage error.
 */
export async function readPassword(
  ctx: CliContext,
  opts: { fromStdin: boolean; prompt: L10n; confirm?: boolean },
): Promise<string> {
  if (opts.fromStdin) return readStdinLine(ctx);
  const output = ctx.io.promptOutput;
  if (!ctx.interactive || !output) {
    throw new CrmError(
      'E1610',
      { zh: '需要密码，但这里没有终端可以询问', en: 'a password is needed and there is no terminal to ask on' },
      ExitCode.usage,
      {
        zh: '在脚本中用 --password-stdin 从标准输入传入一行密码（绝不要放在命令行参数里）',
        en: 'in scripts pass it as one line on stdin with --password-stdin (never as an argument)',
      },
    );
  }
  const { password } = await import('@inquirer/prompts');
  const ask = (message: L10n) =>
    cancellable(password({ message: ctx.t(message), mask: '*' }, { input: ctx.io.stdin, output }));
  const first = await ask(opts.prompt);
  if (opts.confirm) {
    const second = await ask({ zh: '再输入一次', en: 'again, to confirm' });
    if (second !== first) {
      throw new CrmError('E1611', { zh: '两次输入的密码不一致', en: 'the two passwords differ' }, ExitCode.usage, {
        zh: '重新运行并输入相同的密码',
        en: 'run it again and type the same password twice',
      });
    }
  }
  return first;
}

/** The first line of stdin, without its line break (CRLF too). Stops reading at the first line break. */
export async function readStdinLine(ctx: CliContext): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of ctx.io.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(buf);
    total += buf.length;
    if (buf.includes(0x0a) || total > 64 * 1024) break;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const end = text.indexOf('\n');
  const line = (end >= 0 ? text.slice(0, end) : text).replace(/\r$/, '');
  if (!line) {
    throw new CrmError('E1610', { zh: '标准输入中没有密码', en: 'no password on stdin' }, ExitCode.usage, {
      zh: '在标准输入的第一行给出密码，例如 printf "%s\\n" "$PW" | crm login --password-stdin',
      en: 'put the password on the first line of stdin, e.g. printf "%s\\n" "$PW" | crm login --password-stdin',
    });
  }
  return line;
}
