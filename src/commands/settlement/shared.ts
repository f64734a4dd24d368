import path from 'node:path';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { dataDir } from '../../config/paths.js';
import type { L10n } from '../../domain/errors.js';
import type { DayState } from '../../services/settlement/index.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
export const loadSettlement = () => import('../../services/settlement/index.js');

export const STATE_LABEL: Record<DayState, L10n> = {
  not_opened: m('未启动', 'not opened'),
  open: m('营业中', 'open'),
  cut_off: m('已截止', 'cut off'),
  cleared: m('已清算', 'cleared'),
};

export { dateOrToday } from '../../services/today.js';

/** `--out-dir` (relative to the working directory), and `<data dir>/clearing` for when nothing is configured. */
export function outDirs(ctx: CliContext, outDir: string | undefined): { outDir?: string; defaultOutDir: string } {
  return {
    outDir: outDir ? path.resolve(ctx.cwd, outDir) : undefined,
    defaultOutDir: path.join(dataDir(ctx.env), 'clearing'),
  };
}
