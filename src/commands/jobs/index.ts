import type { Command } from 'commander';
import { group } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';

export function registerJobs(program: Command, ctx: CliContext): Command {
  const cmd = group(program, ctx, 'jobs', {
    zh: '定时作业：营业日调度、补跑、运行记录',
    en: 'jobs: the business-day scheduler, catch-up and the record of runs',
  });
  return cmd;
}
