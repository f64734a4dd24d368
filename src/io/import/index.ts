/**
 * The generic streaming CSV import engine (customers, products, the settlement bank feed, …).
 *
 * ## Plugging in
 *
 * Write an `ImportSpec<T>` and give the service one entry point (an `ImportEntry`, e.g. `importCustomers`) that makes
 * its checks and calls `runImport(svc, spec, options)`; the command and the tests both call that entry point (the
 * terminal side, `runImportCommand` in ./cli.ts, adds the progress bar, the summary and the exit code):
 *
 * ```ts
 * const spec: ImportSpec<Product> = {
 *   kind: 'products',                                   // import_batches.kind, audit action `products.import`
 *   columns: [                                          // header names: key or any alias, case/spaces ignored
 *     { key: 'code', aliases: ['产品编码'], required: true },
 *     { key: 'price', aliases: ['单价'] },
 *   ],
 *   chunkSize: 1000,                                    // rows per transaction (default 1000)
 *   async begin(svc) { ... },                           // optional: preload lookups (outside any transaction)
 *   validate(row, line) {                               // row: { code: '…', price: '…' } (trimmed strings, '' = empty)
 *     if (!row.code) return { ok: false, errors: [{ column: 'code', reason: 'required' }] };
 *     return { ok: true, value: { code: row.code, priceFen: … }, warnings: [] };
 *   },
 *   async writeChunk(w, rows) {                         // rows: { line, value, raw }[]; w.svc.db is the chunk's transaction
 *     // compare with existing rows in bulk (WHERE code IN …), write only what changed, tag rows with w.batchId
 *     return { inserted, updated, unchanged, rejected: [], warnings: [] };
 *   },
 *   async finish(w) { ... },                            // optional: deferred work after the last chunk (same result shape)
 * };
 * ```
 *
 * ## What the engine guarantees
 * - Streams (memory flat whatever the size); encoding `auto` (UTF-8 BOM, else UTF-8 if the first chunk is valid
 *   UTF-8, else GBK), `utf8` or `gbk`; the BOM is stripped; SHA-256 of the raw bytes is computed while reading.
 * - Headers: mapped through the columns' aliases; unknown columns are a warning; a missing required column is
 *   refused before any row is read (E3101, exit 7). Cells are trimmed; a leading apostrophe that our own CSV
 *   export added against formula injection is removed (`unsafeCell`), so exports re-import unchanged.
 * - Every record carries its 1-based physical line (the header is line 1; line breaks inside quoted fields count).
 *   Empty lines are skipped (and counted).
 * - validate() runs for every row; rejected rows never stop the good ones (unless `atomic`). Valid rows are handed
 *   to writeChunk() in chunks, each in its own transaction that also records the checkpoint
 *   (`import_batches.last_line` and the counts). An interrupted import is recovered by running it again: specs must
 *   be idempotent (compare and skip unchanged rows), so committed chunks come back as "unchanged".
 * - Bulk load (SQLite, when the spec's bulkLoad() says so, e.g. a file much larger than its table): every chunk and
 *   finish() share one transaction, so the spec may drop secondary indexes and rebuild them sorted at the end; a
 *   kill rolls the whole file back (indexes included) and running it again starts over.
 * - `dryRun`: everything runs inside one transaction that is rolled back (counts are what would happen); no batch
 *   is recorded. `atomic`: one transaction, rolled back when any row is rejected.
 * - `errorsOut`: the reject report, the rejected rows as they were plus `line` and `reason`; an existing file is
 *   refused unless `force` (checked before reading).
 * - The batch is recorded in import_batches (file, sha256, counts, user, times, status) and audited as one audit row
 *   (action `<kind>.import`, entity `import_batch`); written rows should carry `import_batch_id = w.batchId`.
 * - Summary: `{file, read, inserted, updated, unchanged, rejected, warnings, errors: [{line, column, reason}],
 *   batchId}` with errors capped at 1000 (`errorsTruncated: true` beyond). Exit codes (see ./cli.ts): 0 nothing
 *   rejected, 6 some rows rejected, 7 the file could not be read (or its header is unusable).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Knex } from 'knex';
import { dialectOf } from '../../db/connection.js';
import { isRetryableConflict } from '../../db/retry.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { importColumn, importReason } from '../../domain/import-reasons.js';
import { auditRow, auditRows } from '../../services/audit.js';
import { nowIso, type ServiceContext, withDb } from '../../services/context.js';
import { unsafeCell } from '../csv-safe.js';
import { RejectWriter } from './errors-file.js';
import { type ImportColumn, mapHeaders, nearestName } from './headers.js';
import { type CsvSource, type EncodingOption, openCsv, type SourceRecord, unreadable } from './source.js';

export type { EncodingOption } from '../encoding.js';
export { parseEncoding } from '../encoding.js';
export type { ImportColumn } from './headers.js';
export { normaliseHeader } from './headers.js';

export interface RowError {
  column: string;
  reason: string;
}
export interface LineError extends RowError {
  line: number;
}
/** A row refused by writeChunk/finish (e.g. its parent turned out not to exist). */
export interface RejectedRow extends LineError {
  raw: string[];
}

export type Validated<T> = { ok: true; value: T; warnings?: RowError[] } | { ok: false; errors: RowError[] };

export interface ImportRow<T> {
  line: number;
  value: T;
  /** The row's cells as they were in the file (for the reject report). */
  raw: string[];
}

export interface WriteContext {
  /** Services bound to the chunk's transaction: use w.svc.db only, never an outer connection. */
  svc: ServiceContext;
  batchId: string;
  dialect: 'sqlite' | 'mysql';
  dryRun: boolean;
  mode?: string;
  /**
   * A bulk load (SQLite, when the spec's bulkLoad() asked for it): every chunk and finish() run in one transaction, so
   * the spec may drop secondary indexes in its first chunk and must rebuild them in finish(); a kill or a failure
   * rolls it all back (the indexes with it) and the import is simply run again.
   */
  bulk: boolean;
  /**
   * The chunk's place in the file: 1, 2, … (0 in finish()). Pipelined writes may start in another order (each waits
   * for its own connection): a spec that orders stages across chunks goes by this number (see InOrder).
   */
  chunk: number;
  /** May bulk inserts go by LOAD DATA where the server allows it (ImportOptions.loadData)? */
  loadData: boolean;
}

export interface ChunkResult {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected?: RejectedRow[];
  warnings?: LineError[];
}

export interface ImportSpec<T> {
  kind: string;
  columns: ImportColumn[];
  chunkSize?: number;
  /**
   * Rows per transaction on SQLite, when it should differ (each commit is an fsync there, and a writer holds
   * the whole file anyway; default chunkSize).
   */
  sqliteChunkSize?: number;
  /**
   * On SQLite, commit only every this many rows (several chunks per transaction; the checkpoint is still
   * written per chunk). A commit there writes every page the transaction touched to the WAL and fsyncs, and
   * rows inserted at random places of several indexes touch most index pages in each chunk: fewer, larger
   * commits write each page once instead of once per chunk. Memory stays that of one chunk. Default: one
   * commit per chunk. Ignored when the caller sets chunkSize (tests: a kill after chunk N then means N chunks).
   */
  sqliteCommitRows?: number;
  /** `info.estimatedRows`: the file's size over the bytes per row of its first chunk (to size tables once). */
  begin?(svc: ServiceContext, info: { estimatedRows: number }): Promise<void>;
  /**
   * Asked after begin: should this file be a bulk load (see WriteContext.bulk)? On SQLite a yes makes the engine
   * write the whole file in one transaction; elsewhere it is ignored (w.bulk is false).
   */
  bulkLoad?(info: { estimatedRows: number }): boolean;
  validate(row: Record<string, string>, line: number): Validated<T> | Promise<Validated<T>>;
  /**
   * May the next chunk's writeChunk start before this chunk has committed (MySQL, each chunk in its own transaction;
   * at most two in flight)? The engine still commits chunks in file order, and a chunk whose predecessor failed
   * rolls back. The spec must not rely on the rows of the chunk before being visible in the database: it orders
   * what depends on them itself (the feed uses InOrder below). Default: one writeChunk at a time.
   */
  pipelined?: boolean;
  writeChunk(w: WriteContext, rows: ImportRow<T>[]): Promise<ChunkResult>;
  finish?(w: WriteContext): Promise<ChunkResult>;
}

export interface ImportOptions {
  file: string;
  encoding?: EncodingOption;
  mode?: string;
  dryRun?: boolean;
  atomic?: boolean;
  errorsOut?: string;
  /** The language of the reject report's reasons (default English). */
  lang?: 'zh' | 'en';
  force?: boolean;
  /** Rows per chunk, overriding the spec's (tests). */
  chunkSize?: number;
  /** false: bulk inserts on MySQL/MariaDB use multi-row INSERTs, never LOAD DATA (default: LOAD DATA if allowed). */
  loadData?: boolean;
  /** The heap size (MiB) below which no collection is forced between chunks (default 40; see HeapCap). */
  heapFloorMb?: number;
  /** Called after each chunk (for a progress bar). */
  onProgress?(p: { bytes: number; size: number; rows: number }): void;
  /** Called when every row is read and the spec's finish() begins (a bulk load rebuilds its indexes there). */
  onFinishing?(p: { bulk: boolean }): void;
  /**
   * Called after each committed chunk with the number of chunks so far (test hook: simulate a crash). In a bulk
   * load nothing commits before the end: it is called after each chunk is written, inside the open transaction.
   */
  afterChunk?(chunks: number): void;
}

export interface ImportSummary {
  file: string;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  warnings: number;
  errors: LineError[];
  errorsTruncated?: boolean;
  warningDetails: LineError[];
  batchId: string | null;
  encoding: string | null;
  sha256: string;
  dryRun: boolean;
  atomic: boolean;
  rolledBack: boolean;
  errorsFile: string | null;
}

export const MAX_LISTED = 1000;

/** HeapCap's default floor: an import's live data (a chunk, its lookups, the sketches) fits well below it. */
export const DEFAULT_HEAP_FLOOR_MB = 40;

/**
 * An import as a service offers it: all checks of its options, then the engine (used by the command and by tests
 * alike, so the command runs the tested path).
 */
export type ImportEntry<O extends ImportOptions = ImportOptions> = (
  svc: ServiceContext,
  opts: O,
) => Promise<ImportSummary>;

class Rollback extends Error {}

/**
 * Keeps the V8 heap near what is live. An import allocates its chunks' rows at a steady rate and they die in the
 * old generation (they outlive many scavenges), where V8 lets garbage pile up to a multiple of the live data
 * before collecting, and keeps the pages. Between chunks, once the heap has grown past `limitBytes`, a full
 * collection brings it back (a few ms with ~20 MB live; it cannot be done by flags after startup: the
 * generation sizes are fixed when the process starts).
 */
export class HeapCap {
  private gc: (() => void) | null | undefined;
  /** Collect when the heap is above this: the floor, or what was live after the last collection plus slack. */
  private threshold: number;

  constructor(
    private readonly floorBytes = DEFAULT_HEAP_FLOOR_MB * 1024 * 1024,
    private readonly slackBytes = 24 * 1024 * 1024,
  ) {
    this.threshold = floorBytes;
  }

  check(): void {
    if (this.gc === null) return;
    if (v8.getHeapStatistics().used_heap_size < this.threshold) return;
    if (this.gc === undefined) {
      try {
        v8.setFlagsFromString('--expose-gc');
        this.gc = vm.runInNewContext('gc') as () => void;
      } catch {
        this.gc = null;
        return;
      }
    }
    this.gc?.();
    this.threshold = Math.max(this.floorBytes, v8.getHeapStatistics().used_heap_size + this.slackBytes);
  }
}

/**
 * A deep copy that shares no string with the input. The reader's cells are slices of 256 KiB chunks of the
 * file, and V8 keeps a whole chunk alive for any slice of it that is kept: anything held until the end of an
 * import (listed errors, rows held back) must be copied, or memory grows with the file.
 */
export function detach<X>(value: X): X {
  return JSON.parse(JSON.stringify(value)) as X;
}

/** Run an import. Throws CrmError for an unreadable file (exit 7) or an unusable header (exit 7). */
export async function runImport<T>(
  svc: ServiceContext,
  spec: ImportSpec<T>,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const dialect = dialectOf(svc.db);
  const chunkSize =
    opts.chunkSize ?? (dialect === 'sqlite' ? spec.sqliteChunkSize : undefined) ?? spec.chunkSize ?? 1000;
  const rejects = opts.errorsOut ? RejectWriter.open(opts.errorsOut, opts.file, Boolean(opts.force)) : null;
  let source: CsvSource;
  try {
    source = openCsv(opts.file, opts.encoding ?? 'auto');
  } catch (err) {
    rejects?.discard();
    throw err;
  }
  const summary = emptySummary(opts);
  const tally = new Tally(summary, rejects, opts.lang);
  const cursor = new RecordCursor(source.batches);
  try {
    // The header: refused before any row is read.
    const header = await cursor.header();
    if (!header) throw unreadable(opts.file, m('文件是空的（没有标题行）', 'the file is empty (no header line)'));
    const map = mapHeaders(opts.file, header.cells, spec.columns);
    rejects?.header(map.headers);
    for (const u of map.unknown) {
      const guess = nearestName(u, spec.columns);
      tally.warn({
        line: header.line,
        column: u,
        reason: guess ? `unknown column, ignored (did you mean ${guess}?)` : 'unknown column, ignored',
      });
    }
    summary.encoding = source.encoding();

    const firstBytes = source.bytesRead();
    const firstRows = cursor.batch.length;
    const estimatedRows = firstRows > 0 && firstBytes > 0 ? Math.ceil((source.size / firstBytes) * firstRows) : 0;
    await spec.begin?.(svc, { estimatedRows });
    // One transaction for the whole file: a SQLite writer holds the database file anyway, and a rollback then
    // undoes everything, the spec's dropped indexes included.
    const bulk = dialect === 'sqlite' && Boolean(spec.bulkLoad?.({ estimatedRows }));
    const run: Run<T> = {
      svc,
      spec,
      opts,
      source,
      summary,
      tally,
      cursor,
      header,
      keys: map.keys,
      batchId: randomUUID(),
      dialect,
      chunkSize,
      dryRun: summary.dryRun,
      atomic: summary.atomic,
      bulk,
      committed: true,
    };
    if (!run.dryRun) await recordStart(run);
    if (run.dryRun || run.atomic) await runAllOrNothing(run);
    else await runInChunks(run);
    // No reject report for a file with nothing rejected: an empty report on disk reads as "some rows failed".
    if (summary.rejected === 0) {
      rejects?.discard();
      summary.errorsFile = null;
    } else rejects?.close();
    // Rows held back (a parent later in the file) are decided after the rest: list everything in line order.
    summary.errors.sort((a, b) => a.line - b.line);
    summary.warningDetails.sort((a, b) => a.line - b.line);
    return summary;
  } catch (err) {
    // Nothing was imported when the header itself is unusable: leave no half-written report behind.
    if (summary.read === 0) rejects?.discard();
    else rejects?.close();
    throw err;
  } finally {
    source.close();
  }
}

/** One import as it runs: its inputs, its counts, and where the reader is. */
interface Run<T> {
  svc: ServiceContext;
  spec: ImportSpec<T>;
  opts: ImportOptions;
  source: CsvSource;
  summary: ImportSummary;
  tally: Tally;
  cursor: RecordCursor;
  header: SourceRecord;
  /** The spec's column key of each cell position (null for an unknown column). */
  keys: readonly (string | null)[];
  batchId: string;
  dialect: 'sqlite' | 'mysql';
  chunkSize: number;
  dryRun: boolean;
  atomic: boolean;
  bulk: boolean;
  /** False while the last chunk's transaction is still open (several chunks per commit on SQLite). */
  committed: boolean;
}

/**
 * Runs fn in the chunk's transaction (`rows`: how many rows the chunk carries; 0 for the final pass, which commits
 * whatever is open).
 */
type WithChunkTx = <R>(fn: (w: WriteContext) => Promise<R>, rows: number) => Promise<R>;

function emptySummary(opts: ImportOptions): ImportSummary {
  return {
    file: path.basename(opts.file),
    read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    warnings: 0,
    errors: [],
    warningDetails: [],
    batchId: null,
    encoding: null,
    sha256: '',
    dryRun: Boolean(opts.dryRun),
    atomic: Boolean(opts.atomic),
    rolledBack: false,
    errorsFile: opts.errorsOut ?? null,
  };
}

/** Counts rejected rows and warnings into the summary (and the reject report). */
class Tally {
  private readonly rejectedLines = new Set<number>();

  constructor(
    private readonly summary: ImportSummary,
    private readonly rejects: RejectWriter | null,
    /** The reject report's language (the summary keeps the English reasons: they are the JSON's stable text). */
    private readonly lang: 'zh' | 'en' = 'en',
  ) {}

  // Listed errors and warnings are copied: their texts may be slices of the file's chunks (see detach).
  private addError(e: LineError): void {
    if (this.summary.errors.length < MAX_LISTED) this.summary.errors.push(detach(e));
    else this.summary.errorsTruncated = true;
  }

  warn(e: LineError): void {
    this.summary.warnings++;
    if (this.summary.warningDetails.length < MAX_LISTED) this.summary.warningDetails.push(detach(e));
  }

  reject(line: number, raw: string[], errors: RowError[]): void {
    if (!this.rejectedLines.has(line)) {
      this.rejectedLines.add(line);
      this.summary.rejected++;
    }
    for (const e of errors) this.addError({ line, ...e });
    const text = (e: RowError) => importReason(e.reason, this.lang);
    this.rejects?.write(
      raw,
      line,
      errors.map((e) => (e.column ? `${importColumn(e.column, this.lang)}: ${text(e)}` : text(e))).join('; '),
    );
  }

  /** A chunk's (or finish's) result. */
  apply(r: ChunkResult): void {
    this.summary.inserted += r.inserted;
    this.summary.updated += r.updated;
    this.summary.unchanged += r.unchanged;
    for (const x of r.rejected ?? []) this.reject(x.line, x.raw, [{ column: x.column, reason: x.reason }]);
    for (const w of r.warnings ?? []) this.warn(w);
  }
}

/** The source's records batch by batch: the header comes from the first batch, the rows from where it stopped. */
class RecordCursor {
  /** The current batch, and the first record of it not consumed yet. */
  batch: SourceRecord[] = [];
  at = 0;

  constructor(private readonly batches: AsyncGenerator<SourceRecord[]>) {}

  /** Move to the next batch; false at the end of the file. */
  async refill(): Promise<boolean> {
    const next = await this.batches.next();
    if (next.done) return false;
    this.batch = next.value;
    this.at = 0;
    return true;
  }

  /** The first record with cells (empty lines before it are skipped); undefined for an empty file. */
  async header(): Promise<SourceRecord | undefined> {
    for (;;) {
      if (this.at >= this.batch.length) {
        if (!(await this.refill())) return undefined;
        continue;
      }
      const rec = this.batch[this.at++]!;
      if (rec.cells.length) return rec;
    }
  }
}

/** The batch's counts as import_batches stores them, with the last line read or written. */
function batchCounts(s: ImportSummary, lastLine: number) {
  return {
    read_rows: s.read,
    inserted: s.inserted,
    updated: s.updated,
    unchanged: s.unchanged,
    rejected: s.rejected,
    warnings: s.warnings,
    last_line: lastLine,
  };
}

/** The batch's row, as `running` (not for a dry run, which records nothing). */
async function recordStart<T>(run: Run<T>): Promise<void> {
  const { svc, spec, opts } = run;
  run.summary.batchId = run.batchId;
  await svc.db('import_batches').insert({
    id: run.batchId,
    kind: spec.kind,
    file_name: opts.file.slice(-500),
    sha256: '',
    mode: opts.mode ?? null,
    status: 'running',
    dry_run: false,
    user_id: svc.actor.id > 0 ? svc.actor.id : null,
    started_at: nowIso(svc.clock),
  });
}

/** The batch's final row and its audit row, on `db` (the last transaction, or the connection). */
async function recordEnd<T>(run: Run<T>, db: Knex, status: string, lastLine: number, error?: string): Promise<void> {
  const { svc, spec, opts, summary, batchId } = run;
  summary.sha256 = run.source.sha256();
  await db('import_batches')
    .where({ id: batchId })
    .update({
      ...batchCounts(summary, lastLine),
      sha256: summary.sha256,
      status,
      finished_at: nowIso(svc.clock),
      error: error ?? null,
    });
  await auditRows(db, [
    auditRow(svc.clock, svc.actor, {
      action: `${spec.kind}.import`,
      entity: 'import_batch',
      entityId: batchId,
      after: {
        file: summary.file,
        sha256: summary.sha256,
        mode: opts.mode ?? null,
        status,
        read: summary.read,
        inserted: summary.inserted,
        updated: summary.updated,
        unchanged: summary.unchanged,
        rejected: summary.rejected,
        warnings: summary.warnings,
      },
      batchId,
    }),
  ]);
}

/** The write context of a chunk on `db`. */
function writeContext<T>(run: Run<T>, db: Knex): WriteContext {
  return {
    svc: withDb(run.svc, db),
    batchId: run.batchId,
    dialect: run.dialect,
    dryRun: run.dryRun,
    mode: run.opts.mode,
    bulk: run.bulk,
    chunk: 0,
    loadData: run.opts.loadData ?? true,
  };
}

/** --dry-run and --atomic: the whole file in one transaction, rolled back for a dry run or any rejected row. */
async function runAllOrNothing<T>(run: Run<T>): Promise<void> {
  const { svc, summary, dryRun } = run;
  let lastLine = 0;
  try {
    await svc.db.transaction(async (trx) => {
      lastLine = await writeAll(run, async (fn) => fn(writeContext(run, trx)));
      if (dryRun || summary.rejected > 0) throw new Rollback();
      await recordEnd(run, trx, 'completed', lastLine);
    });
  } catch (err) {
    if (!(err instanceof Rollback)) {
      if (!dryRun) await recordEnd(run, svc.db, 'failed', 0, (err as Error).message).catch(() => {});
      throw err;
    }
    summary.rolledBack = !dryRun;
    summary.sha256 = run.source.sha256();
    if (!dryRun) {
      // All or nothing: nothing was written, so the counts of written rows are zero.
      summary.inserted = 0;
      summary.updated = 0;
      await recordEnd(run, svc.db, 'rolled-back', lastLine, `${summary.rejected} row(s) rejected`);
    }
  }
}

/**
 * The normal import: each chunk commits with its checkpoint (on SQLite several chunks per commit, see
 * ImportSpec.sqliteCommitRows; a bulk load commits once at the end). A failure marks the batch failed.
 */
async function runInChunks<T>(run: Run<T>): Promise<void> {
  const { svc, opts, spec, chunkSize } = run;
  const commitRows = run.bulk
    ? Number.POSITIVE_INFINITY
    : run.dialect === 'sqlite' && opts.chunkSize === undefined
      ? (spec.sqliteCommitRows ?? chunkSize)
      : chunkSize;
  /** The open transaction spanning several chunks (SQLite), and the rows written in it. */
  let open: Knex.Transaction | null = null;
  let openRows = 0;
  const takeOpen = (): Knex.Transaction | null => {
    const trx = open;
    open = null;
    openRows = 0;
    return trx;
  };
  try {
    const lastLine = await writeAll(run, async (fn, rows) => {
      if (commitRows <= chunkSize) return svc.db.transaction(async (trx) => fn(writeContext(run, trx)));
      open ??= await svc.db.transaction();
      const out = await fn(writeContext(run, open));
      openRows += rows;
      run.committed = false;
      if (openRows >= commitRows || rows === 0) {
        await takeOpen()!.commit();
        run.committed = true;
      }
      return out;
    });
    await takeOpen()?.commit();
    await svc.db.transaction(async (trx) => recordEnd(run, trx, 'completed', lastLine));
  } catch (err) {
    await takeOpen()
      ?.rollback()
      .catch(() => {});
    await svc
      .db('import_batches')
      .where({ id: run.batchId })
      .update({
        status: 'failed',
        finished_at: nowIso(svc.clock),
        error: String((err as Error).message).slice(0, 2000),
      })
      .catch(() => {});
    if (isRetryableConflict(err)) throw importConflict(err);
    throw err;
  }
}

/**
 * A chunk that lost a write conflict (another writer, a Galera certification): it was rolled back whole, the
 * chunks before it stay committed, and the same import run again posts only what is missing (it is idempotent).
 * Chunks are not retried in place: the import's own state (file order, held-back rows, the pipeline) moved on.
 */
function importConflict(err: unknown): CrmError {
  const errno = (err as { errno?: number }).errno ?? '?';
  return new CrmError(
    'E1321',
    {
      zh: `导入的一个数据块与其他写入冲突（数据库错误 ${errno}），该块已整块回滚；之前的块已提交`,
      en: `a chunk of the import lost a write conflict with another writer (database error ${errno}); that chunk was rolled back whole, the chunks before it are committed`,
    },
    ExitCode.conflict,
    {
      zh: '再运行同一条导入命令：已导入的行不会重复，只补上缺的',
      en: 'run the same import again: rows already in are not posted twice, only the missing ones are',
    },
  );
}

/** Is a record empty or all blanks (skipped, not read)? */
function isBlank(cells: string[]): boolean {
  for (const c of cells) if (c.length && c.trim() !== '') return false;
  return true;
}

/** A record's cells by the spec's keys: trimmed, our export's formula guard removed ('' for a missing cell). */
function rowOf(cells: string[], keys: readonly (string | null)[]): Record<string, string> {
  const row: Record<string, string> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key) {
      const c = cells[i];
      row[key] = c === undefined || c === '' ? '' : unsafeCell(c.trim());
    }
  }
  return row;
}

/**
 * Read, validate and write every chunk through `withChunkTx` (one transaction each, or the outer one), then the
 * spec's finish(). Returns the last line of the file.
 */
async function writeAll<T>(run: Run<T>, withChunkTx: WithChunkTx): Promise<number> {
  const { spec, opts, summary, tally, cursor, source, keys, chunkSize, dryRun, batchId } = run;
  const heap = new HeapCap((opts.heapFloorMb ?? DEFAULT_HEAP_FLOOR_MB) * 1024 * 1024);
  let chunks = 0;
  let rows: ImportRow<T>[] = [];
  let lastLine = run.header.line;
  /**
   * On MySQL the next chunk is read and validated while the server writes this one (at most one write in
   * flight; the driver is asynchronous, so the two overlap). Elsewhere each write is awaited at once.
   */
  const overlap = run.dialect === 'mysql';
  // A pipelined spec may have two chunks' writes in flight (see ImportSpec.pipelined), each in its own transaction.
  const depth = overlap && spec.pipelined && !dryRun && !run.atomic ? 2 : 1;
  /** Chunks handed to withChunkTx so far (the next one's number is this plus one). */
  let started = 0;
  /** Writes in flight, oldest first. */
  const inflight: Promise<void>[] = [];
  const saveCheckpoint = (w: WriteContext, upTo: number, readUpTo: number) =>
    w.svc
      .db('import_batches')
      .where({ id: batchId })
      .update({ ...batchCounts(summary, upTo), read_rows: readUpTo });
  /** Hand the rows so far to the spec as one chunk. */
  const flush = async () => {
    if (rows.length === 0) return;
    while (inflight.length >= depth) await inflight.shift();
    const previous = inflight[inflight.length - 1];
    const batch = rows;
    rows = [];
    const upTo = lastLine;
    const readUpTo = summary.read;
    run.committed = true;
    const chunk = ++started;
    const write = withChunkTx(async (w) => {
      const result = await spec.writeChunk({ ...w, chunk }, batch);
      // Chunks commit in file order (the checkpoint below names the last line written): wait for the one before.
      // If it failed, this throws too and this chunk rolls back.
      if (previous) await previous;
      tally.apply(result);
      if (!dryRun) await saveCheckpoint(w, upTo, readUpTo);
    }, batch.length).then(() => {
      chunks++;
      if (run.committed || run.bulk) opts.afterChunk?.(chunks);
      heap.check();
      opts.onProgress?.({ bytes: source.bytesRead(), size: source.size, rows: summary.read });
    });
    if (!overlap) return write;
    inflight.push(write);
    // Surfaced by the next await of it; meanwhile not an unhandled rejection.
    write.catch(() => {});
  };
  const width = keys.length;
  /** Take a validated record; true when the chunk is full. */
  const accept = (line: number, cells: string[], v: Validated<T>): boolean => {
    if (!v.ok) {
      tally.reject(line, cells, v.errors);
      return false;
    }
    if (v.warnings) for (const w of v.warnings) tally.warn({ line, ...w });
    rows.push({ line, value: v.value, raw: cells });
    return rows.length >= chunkSize;
  };
  /** Validate one record (the spec's validate may be async); true when the chunk is full. */
  const handle = (rec: SourceRecord): boolean | Promise<boolean> => {
    const { line, cells } = rec;
    lastLine = line;
    if (cells.length === 0 || isBlank(cells)) return false;
    summary.read++;
    const row = rowOf(cells, keys);
    if (cells.length > width && cells.slice(width).some((c) => c.trim() !== '')) {
      return accept(line, cells, {
        ok: false,
        errors: [{ column: '', reason: `${cells.length} cells but the header has ${width} columns` }],
      });
    }
    const v = spec.validate(row, line);
    return v instanceof Promise ? v.then((x) => accept(line, cells, x)) : accept(line, cells, v);
  };
  try {
    do {
      while (cursor.at < cursor.batch.length) {
        const full = handle(cursor.batch[cursor.at++]!);
        if (full === true || (full !== false && (await full))) await flush();
      }
    } while (await cursor.refill());
    await flush();
    while (inflight.length > 0) await inflight.shift();
  } catch (err) {
    // Writes still in flight end (commit or fail) before the import is marked failed.
    await Promise.allSettled(inflight);
    throw err;
  }
  if (spec.finish) {
    opts.onFinishing?.({ bulk: run.bulk });
    await withChunkTx(async (w) => {
      tally.apply(await spec.finish!(w));
      if (!dryRun) await w.svc.db('import_batches').where({ id: batchId }).update(batchCounts(summary, lastLine));
    }, 0);
  }
  return lastLine;
}

/**
 * Lets the overlapping writes of a pipelined spec run one stage at a time in file order: chunk n's place waits until
 * chunk n - 1 has released its own. Places go by the chunk's number (WriteContext.chunk), not by the order the writes
 * start in. A chunk must release its place however it ends (release is idempotent: call it in a finally), or the
 * chunk after it waits forever.
 */
export class InOrder {
  private readonly released = new Map<number, { promise: Promise<void>; resolve: () => void }>();

  private signal(n: number) {
    let s = this.released.get(n);
    if (!s) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      s = { promise, resolve };
      this.released.set(n, s);
    }
    return s;
  }

  place(chunk: number): { wait(): Promise<void>; release(): void } {
    return {
      // The map lives as long as the import's spec: a few hundred entries for a million rows.
      wait: async () => {
        if (chunk > 1) await this.signal(chunk - 1).promise;
      },
      release: () => this.signal(chunk).resolve(),
    };
  }
}
