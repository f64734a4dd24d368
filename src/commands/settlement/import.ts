import path from 'node:path';
import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import type { ExitCodeValue } from '../../domain/errors.js';
import { type ImportFlags, importFlags, parseImportFlags } from '../import-options.js';
import { loadSettlement } from './shared.js';

const loadImportCommand = () => import('../import-command.js');

export interface FeedImportOptions {
  /** As given on the command line (relative to the working directory). */
  file: string;
  flags: ImportFlags;
}

export function parseFeedImportOptions([file]: string[], raw: RawOptions): FeedImportOptions {
  return { file: file!, flags: parseImportFlags(raw) };
}

/** Exit code 6 when rows were rejected. */
export async function runFeedImport(ctx: CliContext, opts: FeedImportOptions): Promise<ExitCodeValue> {
  const { runImportCommand } = await loadImportCommand();
  const { importFeed } = await loadSettlement();
  const svc = await ctx.services();
  return runImportCommand(ctx, path.resolve(ctx.cwd, opts.file), opts.flags, (o) => importFeed(svc, o));
}

export function registerFeedImport(
  settlement: Command,
  ctx: CliContext,
  run: RunVerb<FeedImportOptions> = runFeedImport,
): Command {
  return importFlags(
    verb(
      settlement,
      ctx,
      'import <file>',
      m(
        '导入银行交易流水（CSV，UTF-8 或 GBK，中英文表头）',
        'import a bank feed of transactions (CSV, UTF-8 or GBK, Chinese or English headers)',
      ),
      ['crm settlement import fixtures/feed-demo.csv', 'crm settlement import feed.csv --dry-run --errors rejects.csv'],
    ),
    ctx,
  ).action(act(ctx, parseFeedImportOptions, run));
}
