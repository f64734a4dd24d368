import path from 'node:path';
import type { Command } from 'commander';
import { act, type RawOptions, type RunVerb, stringOption, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson } from '../../cli/output.js';
import { ExitCode, type ExitCodeValue } from '../../domain/errors.js';
import type { FileEncoding } from '../../domain/settlement/clearing-file.js';
import { parseFileEncoding } from '../../io/encoding.js';
import { loadSettlement } from './shared.js';

export interface VerifyOptions {
  /** As given (relative to the working directory). */
  file: string;
  /** Absent: detected from the file. */
  encoding?: FileEncoding;
}

export function parseVerifyOptions([file]: string[], raw: RawOptions): VerifyOptions {
  const given = stringOption(raw, 'encoding');
  return { file: file!, encoding: given ? parseFileEncoding(given) : undefined };
}

/** Exit code 1 when the file fails verification (the problems are the output, not an error message). */
export async function runVerify(ctx: CliContext, opts: VerifyOptions): Promise<ExitCodeValue> {
  const { verifyFile } = await loadSettlement();
  const svc = await ctx.services();
  const r = await verifyFile(svc, path.resolve(ctx.cwd, opts.file), { encoding: opts.encoding, lang: ctx.lang });
  const exitCode = r.ok ? ExitCode.ok : ExitCode.error;
  if (ctx.json) {
    printJson(ctx, r);
    return exitCode;
  }
  if (r.ok) {
    ctx.out(
      ctx.t(
        m(
          '{file} 校验通过：{kind} 凭证 {v}，{rows} 行，{count} 笔，{total} 元',
          '{file} ok: {kind} voucher {v}, {rows} rows, {count} transactions, {total} yuan',
        ),
        {
          file: r.file,
          kind: r.kind ?? '',
          v: r.voucher ?? '',
          rows: r.rows ?? 0,
          count: r.count ?? 0,
          total: r.total ?? '',
        },
      ),
    );
    return exitCode;
  }
  ctx.out(ctx.t(m('{file} 校验失败：', '{file} FAILED:'), { file: r.file }));
  for (const p of r.problems) {
    ctx.out(
      `  ${p.line > 0 ? ctx.t(m('第 {n} 行', 'line {n}'), { n: p.line }) : ctx.t(m('文件', 'file'))}${p.field ? ` [${p.field}]` : ''}: ${p.message}`,
    );
  }
  return exitCode;
}

export function registerVerify(settlement: Command, ctx: CliContext, run: RunVerb<VerifyOptions> = runVerify): Command {
  return verb(
    settlement,
    ctx,
    'verify <file>',
    m('校验清算文件：格式、表头合计、数据库记录', 'verify a clearing file: format, header totals, database record'),
    ['crm settlement verify ~/.local/share/crm/clearing/qs11242026000001.txt --json'],
  )
    .option('--encoding <enc>', 'gbk | utf8')
    .action(act(ctx, parseVerifyOptions, run));
}
