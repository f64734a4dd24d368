import type { Command } from 'commander';
import { group } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';

export function registerReports(program: Command, ctx: CliContext): Command {
  const cmd = group(program, ctx, 'reports', {
    zh: '报表：销售漏斗、业绩、排名、客户分级与画像、回款账龄',
    en: 'reports: funnel, performance, rankings, grading and portraits, receivables ageing',
  });
  return cmd;
}
