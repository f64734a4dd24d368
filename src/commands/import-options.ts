import type { Command } from 'commander';
import type { CliContext } from '../cli/context.js';
import { m } from '../cli/i18n.js';

/**
 * The options every `… import` verb shares (read by io/import/cli.ts runImportCommand). Declared here rather
 * than next to the import engine so registering a group's verbs does not load the engine (CSV parser, encodings).
 */
export function importFlags(cmd: Command, ctx: CliContext): Command {
  return cmd
    .option('--encoding <enc>', ctx.t(m('文件编码：auto | utf8 | gbk', 'file encoding: auto | utf8 | gbk')), 'auto')
    .option('--dry-run', ctx.t(m('只校验，不写入', 'validate everything, write nothing')))
    .option(
      '--errors <out.csv>',
      ctx.t(
        m(
          '把被拒绝的行（原样，加 line 与 reason 列）写入此文件',
          'write rejected rows (as they were, plus line and reason) here',
        ),
      ),
    )
    .option('--force', ctx.t(m('允许覆盖 --errors 指定的已有文件', 'allow overwriting the --errors file')))
    .option(
      '--atomic',
      ctx.t(m('全部成功才提交（有任何拒绝则全部回滚）', 'all or nothing: any rejected row rolls everything back')),
    );
}
