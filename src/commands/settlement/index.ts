import type { Command } from 'commander';
import { group } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { registerClassify } from './classify.js';
import { registerClear } from './clear.js';
import { registerCutoff } from './cutoff.js';
import { registerDay } from './day.js';
import { registerFeedImport } from './import.js';
import { registerNames } from './names.js';
import { registerOpen } from './open.js';
import { registerStatus } from './status.js';
import { registerSummary } from './summary.js';
import { registerTransactions } from './transactions.js';
import { registerVerify } from './verify.js';
import { registerVouchers } from './vouchers.js';

/** `crm settlement …`: one file per verb (or small group of verbs), registered in the order `--help` lists them. */
export function registerSettlement(program: Command, ctx: CliContext): Command {
  const settlement = group(
    program,
    ctx,
    'settlement',
    {
      zh: '清算：营业日、交易导入、重空登记簿、qs/tk 清算文件、汇总清单',
      en: 'settlement: the business day, transaction feeds, vouchers, qs/tk clearing files, summary lists',
    },
    [
      'crm settlement status',
      'crm settlement open --date 2026-11-23',
      'crm settlement cutoff --date 2026-11-23',
      'crm settlement clear --date 2026-11-24 --json',
    ],
  );
  registerFeedImport(settlement, ctx);
  registerOpen(settlement, ctx);
  registerCutoff(settlement, ctx);
  registerClear(settlement, ctx);
  registerVouchers(settlement, ctx);
  registerSummary(settlement, ctx);
  registerClassify(settlement, ctx);
  registerStatus(settlement, ctx);
  registerDay(settlement, ctx);
  registerVerify(settlement, ctx);
  registerTransactions(settlement, ctx);
  registerNames(settlement, ctx);
  return settlement;
}
