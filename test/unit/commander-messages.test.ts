import { Command, InvalidArgumentError, Option } from 'commander';
import { expect, it } from 'vitest';
import { commanderMessage } from '../../src/cli/commander-messages.js';

/** Parse argv with a real commander program and return its error message, read back into both languages. */
function errorOf(argv: string[]): { zh: string; en: string } {
  const program = new Command('crm').exitOverride().configureOutput({ writeErr: () => {}, outputError: () => {} });
  program.showSuggestionAfterError(true);
  const pay = program.command('pay <order>').requiredOption('--amount <yuan>', 'amount');
  pay.option('--limit <n>', 'limit', (v) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError('expected a whole number');
    return Number(v);
  });
  pay.addOption(new Option('--lang <lang>').choices(['zh', 'en']));
  pay.action(() => {});
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    return commanderMessage((err as Error).message);
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

it("reads commander's own errors into Chinese; the English stays as commander wrote it", () => {
  expect(errorOf(['pay', 'SO1'])).toEqual({
    zh: '缺少必需的选项 --amount <yuan>',
    en: "required option '--amount <yuan>' not specified",
  });
  expect(errorOf(['pay', 'SO1', '--amount', '1', '--amout', '2']).zh).toBe(
    '未知的选项 --amout（您是不是想输入 --amount？）',
  );
  expect(errorOf(['pya']).zh).toBe('未知的命令 pya（您是不是想输入 pay？）');
  expect(errorOf(['pay', '--amount', '1']).zh).toBe('缺少必需的参数 order');
  expect(errorOf(['pay', 'SO1', '--amount']).zh).toBe('选项 --amount <yuan> 缺少取值');
  expect(errorOf(['pay', 'SO1', '--amount', '1', '--limit', 'x']).zh).toBe(
    '选项 --limit <n> 的取值 "x" 无效：应为整数',
  );
  expect(errorOf(['pay', 'SO1', '--amount', '1', '--lang', 'fr'])).toEqual({
    zh: '选项 --lang <lang> 的取值 "fr" 无效，可选：zh, en',
    en: "option '--lang <lang>' argument 'fr' is invalid. Allowed choices are zh, en.",
  });
  expect(errorOf(['pay', 'SO1', 'SO2', '--amount', '1']).zh).toMatch(/参数过多：应为 1 个，实际 2 个/);
});

it('leaves a message it does not know as commander wrote it', () => {
  expect(commanderMessage('error: something new')).toEqual({ zh: 'something new', en: 'something new' });
});
