import type { Command } from 'commander';
import { type RawOptions, stringOption } from '../cli/command.js';
import type { CliContext } from '../cli/context.js';
import { m } from '../cli/i18n.js';
import { type EncodingOption, parseEncoding } from '../io/encoding.js';

/** The shared import flags, typed (what `runImportCommand` in import-command.ts reads). */
export interface ImportFlags {
  encoding: EncodingOption;
  /** upsert | create | update, for the imports that have modes (customers). */
  mode?: string;
  dryRun: boolean;
  atomic: boolean;
  /** `--errors`: where to write the rejected rows. */
  errorsOut?: string;
  force: boolean;
}

/** Map the flags `importFlags` declares (and `--mode`, where a verb has it). */
export function parseImportFlags(raw: RawOptions): ImportFlags {
  return {
    encoding: parseEncoding(raw.encoding),
    mode: stringOption(raw, 'mode'),
    dryRun: Boolean(raw.dryRun),
    atomic: Boolean(raw.atomic),
    errorsOut: stringOption(raw, 'errors'),
    force: Boolean(raw.force),
  };
}

/**
 * The options every `… import` verb shares (read by import-command.ts runImportCommand). Declared here rather
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
