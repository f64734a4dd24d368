import type { Command } from 'commander';
import { group } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { registerCustomerVerbs, registerMergeAndGrade } from './customers.js';
import { registerImport } from './import.js';

/** `crm customers …`; `pool`, `contacts`, `leads` and `followups` register from their own files (commands/index.ts). */
export function registerCustomers(program: Command, ctx: CliContext): Command {
  const cmd = group(
    program,
    ctx,
    'customers',
    {
      zh: '客户：档案、联系人、组织架构、线索、跟进、公海、导入导出',
      en: 'customers: records, contacts, organisation tree, leads, follow-ups, the public pool, import and export',
    },
    [
      'crm customers list --owner bob',
      'crm customers import customers.csv --errors rejected.csv',
      'crm customers export --out all.csv --bom',
    ],
  );
  registerCustomerVerbs(cmd, ctx);
  registerImport(cmd, ctx);
  registerMergeAndGrade(cmd, ctx);
  return cmd;
}
