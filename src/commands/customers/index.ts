import type { Command } from 'commander';
import { group } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { registerImport } from './import.js';

export function registerCustomers(program: Command, ctx: CliContext): Command {
  const cmd = group(
    program,
    ctx,
    'customers',
    {
      zh: '客户：档案、联系人、组织架构、线索、跟进、公海、导入导出',
      en: 'customers: records, contacts, organisation tree, leads, follow-ups, the public pool, import and export',
    },
    ['crm customers import customers.csv --errors rejected.csv', 'crm customers imports'],
  );
  registerImport(cmd, ctx);
  return cmd;
}
