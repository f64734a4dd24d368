import path from 'node:path';
import { Option } from 'commander';
import { collect } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { dataDir } from '../../config/paths.js';
import type { L10n } from '../../domain/errors.js';
import { DAY_STATE } from '../../domain/vocabulary.js';
import type { DayState } from '../../services/settlement/index.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
export const loadSettlement = () => import('../../services/settlement/index.js');

export const STATE_LABEL = DAY_STATE as Record<DayState, L10n>;

export { dateOrToday } from '../../services/today.js';

/**
 * Where the clearing files go: `--out-dir` and `--copy-to` (relative to the working directory), and
 * `<data dir>/clearing` for when nothing is configured.
 */
export function outDirs(
  ctx: CliContext,
  outDir: string | undefined,
  copyTo: string[] = [],
): { outDir?: string; defaultOutDir: string; copyTo: string[] } {
  return {
    outDir: outDir ? path.resolve(ctx.cwd, outDir) : undefined,
    defaultOutDir: path.join(dataDir(ctx.env), 'clearing'),
    copyTo: copyTo.map((d) => path.resolve(ctx.cwd, d)),
  };
}

/** `--early`: a step on today before its configured time (open, cutoff, day); it needs `--reason` and is audited. */
export function earlyOption(ctx: CliContext): Option {
  return new Option(
    '--early',
    ctx.t(
      m(
        '今天未到规定时间也执行（须 --reason，记入审计）',
        'do it today before the configured time (needs --reason; audited)',
      ),
    ),
  );
}

/** `--copy-to DIR` (repeatable): more places for the clearing files, each copy verified (clear, day). */
export function copyToOption(ctx: CliContext): Option {
  return new Option(
    '--copy-to <dir>',
    ctx.t(
      m(
        '另存一份到该目录并校验（可重复；另见 settlement.copyTo）',
        'also copy the files here, verified (repeatable; see settlement.copyTo)',
      ),
    ),
  ).argParser(collect);
}
