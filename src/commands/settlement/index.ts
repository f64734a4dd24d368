import type { Command } from 'commander';
import { group } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';

export function registerSettlement(program: Command, ctx: CliContext): Command {
  const cmd = group(program, ctx, 'settlement', {
    zh: '清算：营业日、交易导入、重空登记簿、qs/tk 清算文件、汇总清单',
    en: 'settlement: the business day, transaction feeds, vouchers, qs/tk clearing files, summary lists',
  });
  return cmd;
}
