/**
 * crm settlement verify FILE: parse a clearing file, recompute its counts and totals, check them against the
 * header, the file name, the database record (sha256, voucher, counts) and the transactions it cleared.
 */

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { parseFen } from '../../domain/money.js';
import {
  amountText,
  type FileEncoding,
  type FileProblem,
  parseClearingFile,
  parseClearingFileName,
} from '../../domain/settlement/clearing-file.js';
import { fileProblem } from '../../io/file-problem.js';
import type { ServiceContext } from '../context.js';
import { read } from './common.js';

export interface VerifyResult {
  file: string;
  ok: boolean;
  encoding: FileEncoding;
  kind: string | null;
  voucher: string | null;
  rows: number | null;
  count: number | null;
  total: string | null;
  sha256: string;
  recorded: boolean;
  status: string | null;
  problems: { line: number; field: string | null; message: string }[];
}

export async function verifyFile(
  ctx: ServiceContext,
  file: string,
  opts: { encoding?: FileEncoding; lang?: 'zh' | 'en' } = {},
): Promise<VerifyResult> {
  read(ctx);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const why = fileProblem(err);
    throw new CrmError(
      'E7141',
      { zh: `无法读取文件 ${file}：${why.zh}`, en: `cannot read ${file}: ${why.en}` },
      ExitCode.unreadable,
    );
  }
  const name = path.basename(file);
  const record = await ctx.db('clearing_files').where({ name }).first();
  const encoding: FileEncoding =
    opts.encoding ??
    (record?.encoding as FileEncoding | undefined) ??
    (await ctx.settings.get<FileEncoding>('settlement.fileEncoding'));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const problems: FileProblem[] = [];
  const parsed = parseClearingFile(bytes, encoding);
  const result: VerifyResult = {
    file: name,
    ok: false,
    encoding,
    kind: null,
    voucher: null,
    rows: null,
    count: null,
    total: null,
    sha256,
    recorded: Boolean(record),
    status: record ? String(record.status) : null,
    problems: [],
  };
  const p = (line: number, zh: string, en: string, field?: string) =>
    problems.push({ line, field, message: { zh, en } });
  if (!parsed.ok) {
    problems.push(...parsed.problems);
    if (record && record.sha256 !== sha256)
      p(
        0,
        '文件内容与生成时记录的 SHA-256 不符',
        "the file's SHA-256 differs from the one recorded when it was made",
        'sha256',
      );
  } else {
    const { header, rows } = parsed.content;
    Object.assign(result, {
      kind: header.kind,
      voucher: header.voucher,
      rows: header.rowCount,
      count: header.txnCount,
      total: amountText(header.totalFen),
    });
    const fromName = parseClearingFileName(name);
    if (!fromName)
      p(
        0,
        `文件名不符合 qs/tk+MMDDYYYY+行号+序号.txt：${name}`,
        `the file name is not a clearing file name: ${name}`,
        'name',
      );
    else {
      if (fromName.kind !== header.kind)
        p(1, '文件名与表头的文件类型不符', 'file name and header disagree on the kind', 'kind');
      if (fromName.voucherDate !== header.voucherDate)
        p(1, '文件名与表头的凭证日期不符', 'file name and header disagree on the voucher date', 'voucherDate');
      if (fromName.bankCode !== header.bankCode)
        p(1, '文件名与表头的银行代码不符', 'file name and header disagree on the bank code', 'bankCode');
      if (fromName.sequence !== header.sequence)
        p(1, '文件名与表头的序号不符', 'file name and header disagree on the sequence', 'sequence');
    }
    if (!record) {
      p(0, '数据库中没有该文件的记录', 'the database has no record of this file', 'record');
    } else {
      if (record.sha256 !== sha256)
        p(
          0,
          '文件内容与生成时记录的 SHA-256 不符',
          "the file's SHA-256 differs from the one recorded when it was made",
          'sha256',
        );
      if (String(record.voucher_number) !== header.voucher)
        p(
          1,
          `凭证编号与记录不符（记录：${record.voucher_number}）`,
          `voucher differs from the record (${record.voucher_number})`,
          'voucher',
        );
      if (Number(record.row_count) !== header.rowCount)
        p(1, '行数与记录不符', 'row count differs from the record', 'rows');
      if (Number(record.txn_count) !== header.txnCount)
        p(1, '笔数与记录不符', 'transaction count differs from the record', 'transactions');
      if (parseFen(record.total_fen) !== header.totalFen)
        p(1, '金额与记录不符', 'total differs from the record', 'total');
      if (record.status !== 'active') {
        p(
          0,
          `该文件已被重做作废（${record.status}），不要报送；用 crm settlement status 查看现行文件`,
          `this file was superseded by a rerun (${record.status}); do not send it — see crm settlement status for the current files`,
          'status',
        );
      } else {
        // Every row against the transactions this file cleared.
        const groups: Record<string, unknown>[] = await ctx
          .db('settlement_transactions')
          .where({ clearing_file_id: record.id })
          .groupBy('unit_code', 'account_class')
          .select('unit_code', 'account_class')
          .count({ n: '*' })
          .sum({ total: 'amount_fen' });
        const byKey = new Map(groups.map((g) => [`${g.unit_code}\u0000${g.account_class}`, g]));
        rows.forEach((r, i) => {
          const g = byKey.get(`${r.unitCode}\u0000${r.accountClass}`);
          byKey.delete(`${r.unitCode}\u0000${r.accountClass}`);
          if (!g)
            p(
              i + 2,
              '该行在数据库中没有对应的已清算交易',
              'no cleared transactions in the database for this row',
              'row',
            );
          else if (Number(g.n) !== r.count || parseFen(g.total) !== r.amountFen)
            p(
              i + 2,
              `笔数/金额与数据库不符（数据库：${g.n} 笔，${amountText(parseFen(g.total))}）`,
              `count/amount differ from the database (${g.n}, ${amountText(parseFen(g.total))})`,
              'amount',
            );
        });
        for (const g of byKey.values())
          p(
            0,
            `文件缺少单位 ${g.unit_code} ${g.account_class} 的行`,
            `the file lacks the row for ${g.unit_code} ${g.account_class}`,
            'row',
          );
      }
    }
  }
  const lang = opts.lang ?? 'en';
  result.problems = problems.map((x) => ({
    line: x.line,
    field: x.field ?? null,
    message: lang === 'zh' ? x.message.zh : x.message.en,
  }));
  result.ok = problems.length === 0;
  return result;
}
