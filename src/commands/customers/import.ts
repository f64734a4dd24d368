import type { Command } from 'commander';
import { act, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { type Column, renderRows } from '../../cli/output.js';
import type { ImportBatchRecord } from '../../services/customers/imports.js';
import { importFlags, parseImportFlags } from '../import-options.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadImportCli = () => import('../import-command.js');
const loadCustomersImport = () => import('../../services/customers/import.js');
const loadCustomersImports = () => import('../../services/customers/imports.js');

const batchColumns: Column<ImportBatchRecord>[] = [
  { key: 'batchId', label: m('批次', 'batch') },
  { key: 'kind', label: m('类型', 'kind') },
  { key: 'file', label: m('文件', 'file') },
  { key: 'status', label: m('状态', 'status') },
  { key: 'read', label: m('读取', 'read'), align: 'right' },
  { key: 'inserted', label: m('新增', 'inserted'), align: 'right' },
  { key: 'updated', label: m('更新', 'updated'), align: 'right' },
  { key: 'unchanged', label: m('未变', 'unchanged'), align: 'right' },
  { key: 'rejected', label: m('拒绝', 'rejected'), align: 'right' },
  { key: 'user', label: m('用户', 'user') },
  { key: 'startedAt', label: m('开始', 'started'), time: true },
];

export function registerImport(customers: Command, ctx: CliContext): void {
  importFlags(
    verb(
      customers,
      ctx,
      'import <file>',
      m(
        '从 CSV 批量导入客户（仅管理员；UTF-8 或 GBK，中英文表头）。退出码：0 全部成功，6 有被拒绝的行，7 文件无法读取',
        'bulk-import customers from CSV (admins; UTF-8 or GBK; Chinese or English headers). Exit: 0 all good, 6 rows rejected, 7 file unreadable',
      ),
      [
        'crm customers import customers.csv --errors rejected.csv',
        'crm customers import 客户.csv --encoding gbk --dry-run --json',
        'crm customers import more.csv --mode create --owner bob --atomic',
      ],
    ),
    ctx,
  )
    .option(
      '--mode <mode>',
      ctx.t(
        m(
          'upsert（默认）| create（跳过已有）| update（跳过新的）',
          'upsert (default) | create (skip existing) | update (skip new)',
        ),
      ),
      'upsert',
    )
    .option('--owner <user>', ctx.t(m('没有负责人的行的默认负责人', 'default owner for rows without one')))
    .action(
      act<[string]>(ctx, async (file, opts) => {
        const { importCustomers } = await loadCustomersImport();
        const { runImportCommand } = await loadImportCli();
        const svc = await ctx.services();
        const flags = parseImportFlags(opts);
        // The service's entry point, as the tests call it: its checks (admin, mode, owner) are the command's.
        return runImportCommand(ctx, file, flags, (o) =>
          importCustomers(svc, {
            ...o,
            mode: opts.mode as string | undefined,
            defaultOwner: opts.owner as string | undefined,
          }),
        );
      }),
    );

  verb(customers, ctx, 'imports', m('列出导入批次', 'list import batches'), ['crm customers imports --limit 5'])
    .option(
      '--kind <kind>',
      ctx.t(m('类型（默认 customers；all 为全部）', 'kind (default customers; all for every kind)')),
      'customers',
    )
    .option('--limit <n>', ctx.t(m('最多几条', 'at most this many')), '20')
    .action(
      act(ctx, async (opts) => {
        const { listImports } = await loadCustomersImports();
        const svc = await ctx.services();
        renderRows(
          ctx,
          batchColumns,
          await listImports(svc, { kind: String(opts.kind), limit: Number(opts.limit) || 20 }),
          {
            empty: m('还没有导入记录', 'no imports yet'),
          },
        );
      }),
    );
}
