/**
 * 清单数据下载 (T+1): clear the pending transactions of P with voucher date D into qs (payments) and tk
 * (refunds) files. Set-based SQL (one GROUP BY; on SQLite one UPDATE that looks up each transaction's file in a
 * temp table of (kind, unit, class) -> file, on MariaDB one UPDATE per file), so memory stays flat whatever the number of transactions.
 *
 * Crash safety: the plan (rows, sequences, vouchers) is a deterministic function of the database, files
 * are written to a temp name, fsynced and renamed, and only then one database transaction records the
 * run and files, uses the vouchers and marks the transactions cleared. A crash before the commit leaves
 * the database untouched (at most a file that the rerun rewrites with the same bytes); after the commit
 * everything is done. Tests crash a clear at a named point through `ClearOptions.faultAt`.
 */

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { dialectOf } from '../../db/connection.js';
import { actorId } from '../../domain/actor.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { parseFen, yuanString } from '../../domain/money.js';
import {
  buildClearingFile,
  type ClearingFileContent,
  type ClearingFileKind,
  clearingFileName,
  compareRows,
  encodeClearingFile,
  type FileEncoding,
  kindOfTransaction,
  serializeClearingFile,
  splitRows,
} from '../../domain/settlement/clearing-file.js';
import { firstUnencodable } from '../../domain/settlement/file-encoding.js';
import { DAY_STATE, wordFor } from '../../domain/vocabulary.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { audit } from '../audit.js';
import { loadCalendar } from '../calendar.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { withLock } from '../locks.js';
import { dateArg, dayLockName, dayState, operate, reclaimDeadLocalLock, type SettlementKind } from './common.js';
import { cutoffDay } from './day.js';
import { refuseFutureDate } from './guard.js';
import { unitNameOverrides } from './names.js';
import { nextUnusedVouchers } from './vouchers.js';

export interface ClearFileResult {
  name: string;
  kind: ClearingFileKind;
  voucher: string;
  sequence: number;
  rows: number;
  count: number;
  total: string;
  sha256: string;
  path: string;
  /** The verified copies (`--copy-to`, `settlement.copyTo`), for a clear that has just written them. */
  copies?: string[];
}

export interface ClearResult {
  date: string;
  pendingDate: string;
  files: ClearFileResult[];
  cleared: number;
  /** Kinds that got no file, and why (no pending transactions of that kind). */
  skipped: { kind: ClearingFileKind; reason: string }[];
  rerunOf: number | null;
}

export interface ClearOptions {
  date: string;
  pendingDate?: string | null;
  outDir?: string | null;
  /** Used when neither `outDir` nor the setting `settlement.outDir` names one (callers pass `<data dir>/clearing`). */
  defaultOutDir?: string | null;
  rerun?: boolean;
  reason?: string | null;
  /** Called at each named point of the clear (tests crash the process there to check what a crash leaves). */
  faultAt?: (point: ClearPoint) => void;
  /** Directories each file is also copied to (the archive, the transfer medium); with the setting `settlement.copyTo`. */
  copyTo?: string[];
}

/**
 * The points of a clear where a crash is tested: each file's temp file complete but not renamed, each file in
 * place, every file written but nothing recorded, everything recorded.
 */
export const CLEAR_POINTS = ['before-rename', 'after-rename', 'before-commit', 'after-commit'] as const;
export type ClearPoint = (typeof CLEAR_POINTS)[number];

type Kind = SettlementKind;

interface PlannedFile {
  kind: Kind;
  content: ClearingFileContent;
  name: string;
  /** Restrict the UPDATE to these (unit, class) pairs when a kind is split over several files. */
  pairs: { unitCode: string; accountClass: string }[] | null;
  /** Number of (unit, class) groups of each unit for this kind (to tell whole units from cut ones). */
  classesOfUnit: Map<string, number>;
}

/** `outDir`, else the setting `settlement.outDir`, else the caller's default; created and checked writable. */
export async function resolveOutDir(
  ctx: ServiceContext,
  outDir?: string | null,
  defaultOutDir?: string | null,
): Promise<string> {
  const chosen =
    outDir?.trim() || (await ctx.settings.get<string>('settlement.outDir')).trim() || defaultOutDir?.trim() || '';
  if (!chosen) {
    throw new CrmError('E7130', { zh: '未指定清算文件目录', en: 'no clearing file directory given' }, ExitCode.usage, {
      zh: '用 --out-dir 指定，或设置 settlement.outDir',
      en: 'give --out-dir or set settlement.outDir',
    });
  }
  const dir = path.resolve(chosen);
  const problem = writableDirProblem(dir);
  if (problem) {
    throw new CrmError(
      'E7130',
      {
        zh: `清算文件目录不可用：${dir}（${problem}）`,
        en: `clearing file directory unusable: ${dir} (${problem})`,
      },
      ExitCode.unreadable,
      {
        zh: '用 --out-dir 指定可写目录，或设置 settlement.outDir',
        en: 'give a writable --out-dir or set settlement.outDir',
      },
    );
  }
  return dir;
}

/** Create `dir` if need be; why it cannot take files (not a directory, not writable), or null when it can. */
function writableDirProblem(dir: string): string | null {
  try {
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.statSync(dir).isDirectory()) return 'not a directory';
    fs.accessSync(dir, fs.constants.W_OK);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

function fileNameSafe(dir: string, name: string): string {
  const full = path.resolve(dir, name);
  if (path.dirname(full) !== dir || name.includes('/') || name.includes('\\')) {
    throw new Error(`refusing to write outside ${dir}: ${name}`);
  }
  return full;
}

async function activeFilesOf(db: Knex, runId: number): Promise<Record<string, unknown>[]> {
  return db('clearing_files').where({ run_id: runId }).orderBy('id');
}

export function fileResult(f: Record<string, unknown>): ClearFileResult {
  return {
    name: String(f.name),
    kind: f.kind as ClearingFileKind,
    voucher: String(f.voucher_number),
    sequence: Number(f.sequence),
    rows: Number(f.row_count),
    count: Number(f.txn_count),
    total: yuanString(parseFen(f.total_fen)),
    sha256: String(f.sha256),
    path: String(f.path),
  };
}

/**
 * Restrict an UPDATE to a split file's (unit, class) pairs. Units whose every class of this kind is in the file
 * become one `unit_code IN (…)` (an index/hash lookup per row, not a long OR); only the at most two units cut
 * by a file boundary need their classes listed.
 */
function pairFilter(
  q: Knex.QueryBuilder,
  pairs: { unitCode: string; accountClass: string }[] | null,
  classesOfUnit: Map<string, number>,
): void {
  if (!pairs) return;
  const byUnit = new Map<string, string[]>();
  for (const p of pairs) byUnit.set(p.unitCode, [...(byUnit.get(p.unitCode) ?? []), p.accountClass]);
  const whole: string[] = [];
  const partial: [string, string[]][] = [];
  for (const [unit, classes] of byUnit) {
    if (classes.length === classesOfUnit.get(unit)) whole.push(unit);
    else partial.push([unit, classes]);
  }
  q.where((w) => {
    if (whole.length) w.orWhereIn('unit_code', whole);
    for (const [unit, classes] of partial)
      w.orWhere((x) => x.where('unit_code', unit).whereIn('account_class', classes));
  });
}

/** A planned file once written (path, checksum) and recorded (its clearing_files id). */
interface RecordedFile {
  w: WrittenFile;
  fileId: number;
  /** The clearing_files row as inserted (the result is read from it). */
  row: Record<string, unknown>;
}

/** MariaDB: one UPDATE per file, restricted to the file's (unit, class) pairs. Rows marked, per file id. */
async function markClearedPerFile(
  db: Knex,
  scope: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
  date: string,
  files: RecordedFile[],
): Promise<Map<number, number>> {
  const marked = new Map<number, number>();
  for (const { w, fileId } of files) {
    const q = scope(db('settlement_transactions')).andWhere('kind', w.kind);
    pairFilter(q, w.pairs, w.classesOfUnit);
    marked.set(fileId, await q.update({ clearing_status: 'cleared', clearing_date: date, clearing_file_id: fileId }));
  }
  return marked;
}

const CLEARING_MAP = 'crm_clearing_map';
const MAP_ROWS_PER_INSERT = 200;

/**
 * SQLite: every file's transactions marked by ONE pass over P's pending rows. The files' (kind, unit, class)
 * groups go into a temp table keyed by that triple, and one UPDATE looks up each transaction's file there (a
 * primary-key lookup per row), where one UPDATE per file would walk all of P's pending rows once per file. The
 * temp table is dropped before the commit (a rollback drops it too). Rows marked, per file id.
 */
async function markClearedAtOnce(
  db: Knex,
  scope: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
  date: string,
  files: RecordedFile[],
): Promise<Map<number, number>> {
  if (files.length === 0) return new Map();
  await db.raw(`DROP TABLE IF EXISTS temp.${CLEARING_MAP}`);
  await db.raw(
    `CREATE TEMP TABLE ${CLEARING_MAP} (kind TEXT NOT NULL, unit_code TEXT NOT NULL, account_class TEXT NOT NULL,` +
      ' file_id INTEGER NOT NULL, PRIMARY KEY (kind, unit_code, account_class))' +
      ' WITHOUT ROWID',
  );
  const all = files.flatMap(({ w, fileId }) =>
    w.content.rows.map((r) => [w.kind, r.unitCode, r.accountClass, fileId] as const),
  );
  for (let i = 0; i < all.length; i += MAP_ROWS_PER_INSERT) {
    const part = all.slice(i, i + MAP_ROWS_PER_INSERT);
    await db.raw(
      `INSERT INTO temp.${CLEARING_MAP} (kind, unit_code, account_class, file_id) VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}`,
      part.flat(),
    );
  }
  // SET … = (SELECT …) rather than UPDATE … FROM: SQLite then keeps only the rowids to update aside (as for a
  // plain UPDATE), not every joined row. A transaction in scope whose group is in no file gets no file id; the
  // total below stops the run then.
  const changed: number = await scope(db('settlement_transactions')).update({
    clearing_status: 'cleared',
    clearing_date: date,
    clearing_file_id: db.raw(
      `(SELECT m.file_id FROM temp.${CLEARING_MAP} AS m WHERE m.kind = settlement_transactions.kind` +
        ' AND m.unit_code = settlement_transactions.unit_code' +
        ' AND m.account_class = settlement_transactions.account_class)',
    ),
  });
  await db.raw(`DROP TABLE temp.${CLEARING_MAP}`);
  const planned = files.reduce((sum, f) => sum + f.w.content.header.txnCount, 0);
  if (Number(changed) !== planned) {
    throw new Error(`clearing: ${changed} transactions in scope, the files have ${planned}`);
  }
  // Rows marked per file: the new file ids are only on the rows this UPDATE marked (the clearing_date index
  // finds them; clearing_file_id has no index on SQLite). The GROUP BY sorts in memory up to the page cache
  // size; a small cache for this one query keeps a large day's sort from raising the peak RSS (it spills to a
  // temp file instead).
  const ids = files.map((f) => f.fileId);
  const [cache] = (await db.raw('PRAGMA cache_size')) as { cache_size: number }[];
  await db.raw('PRAGMA cache_size = -2000');
  const counts: { file_id: number; n: number }[] = await db.raw(
    `SELECT clearing_file_id AS file_id, count(*) AS n FROM settlement_transactions WHERE clearing_date = ?` +
      ` AND clearing_file_id IN (${ids.map(() => '?').join(', ')}) GROUP BY clearing_file_id`,
    [date, ...ids],
  );
  const restore = Number(cache?.cache_size);
  if (Number.isInteger(restore)) await db.raw(`PRAGMA cache_size = ${restore}`); // a pragma takes no bound value
  return new Map(counts.map((c) => [Number(c.file_id), Number(c.n)]));
}

export async function clearDay(ctx: ServiceContext, opts: ClearOptions): Promise<ClearResult> {
  operate(ctx, { zh: '生成清算文件', en: 'clear a business day' });
  const date = dateArg(opts.date);
  await refuseFutureDate(ctx, date, { zh: '生成清算文件', en: 'cleared' });
  const reason = opts.reason?.trim() || null;
  if (opts.rerun && !reason) {
    throw new CrmError(
      'E7116',
      { zh: '--rerun 必须写明原因（--reason）', en: '--rerun needs a reason (--reason)' },
      ExitCode.usage,
    );
  }
  const faultAt = opts.faultAt ?? (() => {});
  const lock = dayLockName(date);
  await reclaimDeadLocalLock(ctx.db, lock);
  return withLock(ctx.db, lock, async () => {
    const day = await checkDay(ctx, date, opts);
    const plan = await planFiles(ctx, day);
    const written = await writeFiles(ctx, plan, opts, faultAt);
    faultAt('before-commit');
    const result = await recordClearing(ctx, day, plan, written, reason);
    faultAt('after-commit');
    return result;
  });
}

/** The day to clear, as checked: D's state, the run a rerun redoes, and the pending date P. */
interface CheckedDay {
  date: string;
  state: string;
  previous: Record<string, unknown> | undefined;
  pendingDate: string;
}

/**
 * Check: D is cut off; it is cleared once unless this is a rerun (with the original P); P is before D and
 * closed to new transactions (a P never opened is cut off here).
 */
async function checkDay(ctx: ServiceContext, date: string, opts: ClearOptions): Promise<CheckedDay> {
  const db = ctx.db;
  const state = await dayState(db, date);
  if (state !== 'cut_off' && state !== 'cleared') {
    throw new CrmError(
      'E7113',
      {
        zh: `${date} 尚未截止（当前：${wordFor('zh', DAY_STATE, state)}），不能清算`,
        en: `${date} is not cut off (state: ${wordFor('en', DAY_STATE, state)}); it cannot be cleared`,
      },
      ExitCode.conflict,
      { zh: `先 crm settlement cutoff --date ${date}`, en: `run crm settlement cutoff --date ${date} first` },
    );
  }
  const previous: Record<string, unknown> | undefined = await db('clearing_runs')
    .where({ voucher_date: date, state: 'completed' })
    .orderBy('id', 'desc')
    .first();
  if (previous && !opts.rerun) {
    const files = (await activeFilesOf(db, Number(previous.id))).map((f) => String(f.name));
    const list = files.length ? files.join(', ') : '-';
    throw new CrmError(
      'E7114',
      {
        zh: `${date} 已清算完成（待清算日期 ${previous.pending_date}），文件：${list}`,
        en: `${date} has already been cleared (pending date ${previous.pending_date}); files: ${list}`,
      },
      ExitCode.conflict,
      {
        zh: `如需重做：crm settlement clear --date ${date} --rerun --reason "原因"`,
        en: `to redo it: crm settlement clear --date ${date} --rerun --reason "why"`,
      },
    );
  }
  if (opts.rerun && !previous) {
    throw new CrmError(
      'E7117',
      { zh: `${date} 还没有完成的清算，无需 --rerun`, en: `${date} has no completed clearing to rerun` },
      ExitCode.conflict,
    );
  }

  if (previous) {
    const pendingDate = String(previous.pending_date);
    if (opts.pendingDate && dateArg(opts.pendingDate, '--pending-date') !== pendingDate) {
      throw new CrmError(
        'E7131',
        {
          zh: `重做须使用原待清算日期 ${pendingDate}`,
          en: `a rerun must use the original pending date ${pendingDate}`,
        },
        ExitCode.usage,
      );
    }
    return { date, state, previous, pendingDate };
  }
  const pendingDate = opts.pendingDate
    ? dateArg(opts.pendingDate, '--pending-date')
    : (await loadCalendar(db)).previousWorkingDay(date);
  if (pendingDate >= date) {
    throw new CrmError(
      'E7131',
      {
        zh: `待清算日期 ${pendingDate} 须早于 ${date}`,
        en: `the pending date ${pendingDate} must be before ${date}`,
      },
      ExitCode.usage,
    );
  }
  // P must be closed to new transactions, or a late one could still land in it after its clearing. A P
  // that was never opened (the first day of operation, a catch-up) is cut off here; an open P is the
  // operator's to cut off.
  let pState = await dayState(db, pendingDate);
  if (pState === 'not_opened') {
    pState = (await cutoffDay(ctx, { date: pendingDate, force: true })).state;
  }
  if (pState !== 'cut_off' && pState !== 'cleared') {
    throw new CrmError(
      'E7118',
      {
        zh: `待清算日期 ${pendingDate} 尚未截止（${pState}），须先截止`,
        en: `the pending date ${pendingDate} is not cut off (${pState}); cut it off first`,
      },
      ExitCode.conflict,
      {
        zh: `crm settlement cutoff --date ${pendingDate}`,
        en: `crm settlement cutoff --date ${pendingDate}`,
      },
    );
  }
  return { date, state, previous, pendingDate };
}

/** The files to write, and how to find the transactions they clear. */
interface ClearPlan {
  files: PlannedFile[];
  skipped: ClearResult['skipped'];
  encoding: FileEncoding;
  /** Restrict a query on settlement_transactions to the transactions this clear covers. */
  scope: (q: Knex.QueryBuilder) => Knex.QueryBuilder;
}

/**
 * Plan: what to clear is every pending transaction of P up to the highest id now (or, on a rerun, exactly what
 * the previous run cleared), grouped by (kind, unit, class), split into files of at most
 * `settlement.maxRowsPerFile` rows, each with its sequence and the next unused voucher. Reads only.
 */
/**
 * Each unit's name as it goes into the files: the operator's override (`crm settlement names set`) or the name
 * frozen at posting. A name the encoding cannot hold stops the clear here, naming the unit and what to do.
 */
async function unitNamesInFiles(
  ctx: ServiceContext,
  groups: Record<string, unknown>[],
  encoding: FileEncoding,
): Promise<Map<string, string>> {
  const codes = [...new Set(groups.map((g) => String(g.unit_code)))];
  const overrides = await unitNameOverrides(ctx, codes);
  const names = new Map<string, string>();
  for (const g of groups) {
    const code = String(g.unit_code);
    const name = overrides.get(code) ?? String(g.unit_name);
    names.set(code, name);
    const hit = firstUnencodable(name, encoding);
    if (hit) {
      throw new CrmError(
        'E7132',
        {
          zh: `一级单位 ${code} 的名称 "${name}" 第 ${hit.position} 个字符 "${hit.char}"（${hit.codePoint}）不能写入 GBK 清算文件`,
          en: `the name "${name}" of first-level unit ${code}: character ${hit.position} "${hit.char}" (${hit.codePoint}) cannot be written to the GBK clearing files`,
        },
        ExitCode.error,
        {
          zh: `用 crm settlement names set ${code} --name "新名称" --reason "原因" 指定清算文件中的名称，然后重新清算`,
          en: `give the files a name for it: crm settlement names set ${code} --name "NEW NAME" --reason "why", then clear again`,
        },
      );
    }
  }
  return names;
}

async function planFiles(ctx: ServiceContext, day: CheckedDay): Promise<ClearPlan> {
  const db = ctx.db;
  const { date, previous, pendingDate } = day;
  const oldFileIds = previous ? (await activeFilesOf(db, Number(previous.id))).map((f) => Number(f.id)) : [];
  const maxRow = await db('settlement_transactions')
    .where({ business_date: pendingDate, clearing_status: 'pending' })
    .max({ m: 'id' })
    .first();
  const maxId = Number(maxRow?.m ?? 0);
  const scope = (q: Knex.QueryBuilder) => {
    if (previous) {
      if (oldFileIds.length === 0) q.whereRaw('1 = 0');
      else q.whereIn('clearing_file_id', oldFileIds);
    } else q.where({ business_date: pendingDate, clearing_status: 'pending' }).andWhere('id', '<=', maxId);
    return q;
  };
  const groups: Record<string, unknown>[] = await scope(db('settlement_transactions'))
    .groupBy('kind', 'unit_code', 'account_class')
    .select('kind', 'unit_code', 'account_class')
    .max({ unit_name: 'unit_name' })
    .count({ n: '*' })
    .sum({ total: 'amount_fen' });

  const [bankCode, encoding, maxRows] = [
    await ctx.settings.get<string>('settlement.bankCode'),
    await ctx.settings.get<FileEncoding>('settlement.fileEncoding'),
    await ctx.settings.get<number>('settlement.maxRowsPerFile'),
  ];
  const files: PlannedFile[] = [];
  const skipped: ClearResult['skipped'] = [];
  const names = await unitNamesInFiles(ctx, groups, encoding);
  for (const kind of ['payment', 'refund'] as const) {
    const fkind = kindOfTransaction(kind);
    const rows = groups
      .filter((g) => g.kind === kind)
      .map((g) => ({
        unitCode: String(g.unit_code),
        unitName: names.get(String(g.unit_code)) ?? String(g.unit_name),
        accountClass: String(g.account_class),
        count: Number(g.n),
        amountFen: parseFen(g.total),
      }))
      .sort(compareRows);
    if (rows.length === 0) {
      skipped.push({ kind: fkind, reason: kind === 'payment' ? 'no pending payments' : 'no pending refunds' });
      continue;
    }
    const chunks = splitRows(rows, maxRows);
    const classesOfUnit = new Map<string, number>();
    for (const r of rows) classesOfUnit.set(r.unitCode, (classesOfUnit.get(r.unitCode) ?? 0) + 1);
    const seqRow = await db('clearing_files').where({ voucher_date: date, kind: fkind }).max({ s: 'sequence' }).first();
    const firstSeq = Number(seqRow?.s ?? 0) + 1;
    if (firstSeq + chunks.length - 1 > 99) {
      throw new CrmError(
        'E7119',
        { zh: `${date} 的 ${fkind} 文件序号超过 99`, en: `${date}: ${fkind} file sequence would exceed 99` },
        ExitCode.conflict,
        { zh: '调大 settlement.maxRowsPerFile', en: 'raise settlement.maxRowsPerFile' },
      );
    }
    const numbers = await nextUnusedVouchers(db, kind, chunks.length);
    if (numbers.length < chunks.length) {
      throw new CrmError(
        'E7115',
        {
          zh: `${kind === 'payment' ? '划款(qs)' : '退款(tk)'}凭证不足：需要 ${chunks.length} 张，剩余 ${numbers.length} 张；未生成任何文件`,
          en: `not enough ${kind} vouchers: ${chunks.length} needed, ${numbers.length} left; nothing was written`,
        },
        ExitCode.conflict,
        {
          zh: `登记新号段：crm settlement vouchers add --kind ${kind} --from 起始号 --to 终止号`,
          en: `register more: crm settlement vouchers add --kind ${kind} --from FIRST --to LAST`,
        },
      );
    }
    chunks.forEach((chunk, i) => {
      const sequence = firstSeq + i;
      const content = buildClearingFile(
        { kind: fkind, voucher: numbers[i] as string, voucherDate: date, pendingDate, bankCode, sequence },
        chunk,
      );
      files.push({
        kind,
        content,
        name: clearingFileName(fkind, date, bankCode, sequence),
        pairs: chunks.length > 1 ? chunk.map((r) => ({ unitCode: r.unitCode, accountClass: r.accountClass })) : null,
        classesOfUnit,
      });
    });
  }
  return { files, skipped, encoding, scope };
}

/** A planned file once written: where, and its checksum. */
type WrittenFile = PlannedFile & { path: string; sha256: string; copies: string[] };

/**
 * Write files: encode every file before writing any (a character GBK cannot hold stops the run here), then
 * write each atomically into the output directory. The database is not touched.
 */
async function writeFiles(
  ctx: ServiceContext,
  plan: ClearPlan,
  opts: ClearOptions,
  faultAt: (point: ClearPoint) => void,
): Promise<WrittenFile[]> {
  const encoded = plan.files.map((p) => {
    try {
      return encodeClearingFile(serializeClearingFile(p.content), plan.encoding);
    } catch (err) {
      throw new CrmError(
        'E7132',
        {
          zh: `文件 ${p.name} 无法编码：${(err as Error).message}`,
          en: `file ${p.name} cannot be encoded: ${(err as Error).message}`,
        },
        ExitCode.error,
        {
          zh: '修正单位名称，或 crm config set settlement.fileEncoding utf8',
          en: 'fix the unit name, or crm config set settlement.fileEncoding utf8',
        },
      );
    }
  });
  const dir = plan.files.length ? await resolveOutDir(ctx, opts.outDir, opts.defaultOutDir) : '';
  const copyDirs = plan.files.length ? await resolveCopyDirs(ctx, opts.copyTo, dir) : [];
  return plan.files.map((p, i) => {
    const bytes = encoded[i] as Buffer;
    const full = fileNameSafe(dir, p.name);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // The day lock is held: a fixed temp name lets a rerun after a crash replace the crashed run's temp file.
    writeFileAtomic(full, bytes, { mode: 0o644, fixedTempName: true, beforeRename: () => faultAt('before-rename') });
    faultAt('after-rename');
    const copies = copyDirs.map((copyDir) => copyVerified(copyDir, p.name, bytes, sha256));
    return { ...p, path: full, sha256, copies };
  });
}

/**
 * The procedure keeps the files in more than one place (the archive folder, the transfer medium): each copy
 * directory checked before anything is written, so an unplugged medium stops the clear with nothing recorded.
 */
async function resolveCopyDirs(ctx: ServiceContext, given: string[] | undefined, outDir: string): Promise<string[]> {
  const configured = await ctx.settings.get<string[]>('settlement.copyTo');
  const named = [...configured, ...(given ?? [])].map((d) => d.trim()).filter(Boolean);
  const dirs = [...new Set(named.map((d) => path.resolve(d)))];
  for (const dir of dirs) {
    const problem = writableDirProblem(dir);
    if (problem) {
      throw new CrmError(
        'E7133',
        {
          zh: `清算文件副本目录不可用：${dir}（${problem}）；未生成任何文件`,
          en: `clearing file copy directory unusable: ${dir} (${problem}); nothing was written`,
        },
        ExitCode.unreadable,
        {
          zh: '插好传输介质或改正 --copy-to / settlement.copyTo，然后重新清算',
          en: 'mount the transfer medium or fix --copy-to / settlement.copyTo, then clear again',
        },
      );
    }
  }
  return dirs.filter((d) => d !== outDir);
}

/** Write one copy and read it back: a copy whose SHA-256 differs from the file's is an error, not a warning. */
function copyVerified(dir: string, name: string, bytes: Buffer, sha256: string): string {
  const full = fileNameSafe(dir, name);
  writeFileAtomic(full, bytes, { mode: 0o644, fixedTempName: true });
  const back = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  if (back !== sha256) {
    throw new CrmError(
      'E7134',
      {
        zh: `副本 ${full} 校验失败（SHA-256 ${back}，应为 ${sha256}）`,
        en: `the copy ${full} does not verify (SHA-256 ${back}, expected ${sha256})`,
      },
      ExitCode.error,
      { zh: '检查传输介质后重新清算', en: 'check the medium, then clear again' },
    );
  }
  return full;
}

/**
 * Record, in one transaction: the run and its files (a rerun supersedes the previous ones), the vouchers used,
 * the transactions marked cleared (their count checked against the files), D cleared, and the audit row.
 */
async function recordClearing(
  ctx: ServiceContext,
  day: CheckedDay,
  plan: ClearPlan,
  written: WrittenFile[],
  reason: string | null,
): Promise<ClearResult> {
  const { date, state, previous, pendingDate } = day;
  return inTransaction(ctx, async (tx) => {
    const now = nowIso(tx.clock);
    if (previous) {
      await tx.db('clearing_runs').where({ id: previous.id }).update({ state: 'superseded' });
      await tx.db('clearing_files').where({ run_id: previous.id }).update({ status: 'superseded' });
    }
    const [runId] = await tx.db('clearing_runs').insert({
      voucher_date: date,
      pending_date: pendingDate,
      state: 'completed',
      rerun_of: previous ? previous.id : null,
      reason,
      started_at: now,
      finished_at: now,
      user_id: actorId(tx.actor),
    });
    const recorded: RecordedFile[] = [];
    for (const w of written) {
      const h = w.content.header;
      const row = {
        run_id: runId,
        name: w.name,
        kind: h.kind,
        voucher_date: date,
        pending_date: pendingDate,
        sequence: h.sequence,
        voucher_number: h.voucher,
        row_count: h.rowCount,
        txn_count: h.txnCount,
        total_fen: h.totalFen,
        sha256: w.sha256,
        path: w.path,
        encoding: plan.encoding,
        status: 'active',
        created_at: now,
      };
      const [fileId] = await tx.db('clearing_files').insert(row);
      const used = await tx
        .db('vouchers')
        .where({ kind: w.kind, number: h.voucher, status: 'unused' })
        .update({ status: 'used', file_id: fileId, used_at: now });
      if (used !== 1) throw new Error(`voucher ${w.kind} ${h.voucher} is no longer unused`);
      recorded.push({ w, fileId: Number(fileId), row });
    }
    const marked =
      dialectOf(tx.db) === 'sqlite'
        ? await markClearedAtOnce(tx.db, plan.scope, date, recorded)
        : await markClearedPerFile(tx.db, plan.scope, date, recorded);
    const files: ClearFileResult[] = [];
    let cleared = 0;
    for (const { w, fileId, row } of recorded) {
      const h = w.content.header;
      const n = marked.get(fileId) ?? 0;
      if (n !== h.txnCount) {
        throw new Error(`clearing ${w.name}: ${n} transactions updated, the file has ${h.txnCount}`);
      }
      cleared += n;
      files.push({ ...fileResult(row), copies: w.copies });
    }
    await tx.db('business_days').where({ date }).update({ state: 'cleared', cleared_at: now });
    await audit(tx, {
      action: previous ? 'settlement.clear.rerun' : 'settlement.clear',
      entity: 'business_day',
      entityId: date,
      before: previous ? { run: previous.id } : { state },
      after: {
        pendingDate,
        reason,
        files: files.map((f) => ({ name: f.name, voucher: f.voucher, count: f.count, total: f.total })),
        cleared,
      },
    });
    return { date, pendingDate, files, cleared, skipped: plan.skipped, rerunOf: previous ? Number(previous.id) : null };
  });
}

/** The active files made for voucher date D (for status and for the "already cleared" message). */
export async function filesForDate(db: Knex, date: string): Promise<ClearFileResult[]> {
  const rows: Record<string, unknown>[] = await db('clearing_files')
    .where({ voucher_date: date, status: 'active' })
    .orderBy(['kind', 'sequence']);
  return rows.map(fileResult);
}
