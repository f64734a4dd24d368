/**
 * The ledger: the ONE way money enters settlement_transactions (order receipts and refunds, bank feeds).
 *
 * - Works in the caller's transaction: ctx.db may be a trx (orders post a receipt in the same transaction).
 * - Fixes the first-level unit (top ancestor of the customer: its code and name) at posting.
 * - Idempotent on `ref`: the same ref with the same content is 'unchanged'; with other content it is a
 *   conflict (E7105, exit 5).
 * - Assigns the business date with assignBusinessDate (src/domain/settlement/business-date.ts) and never
 *   lets a transaction enter a day that is cut off: the day states are read with a shared lock on MySQL
 *   (FOR SHARE), so a concurrent cutoff waits for the posting to commit and the posting sees the cutoff.
 *
 * Permissions are the caller's business (orders check crm.write, the feed import settlement.operate).
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { openLedgerWriter } from '../../db/ledger-writer.js';
import { withConflictRetry } from '../../db/retry.js';
import { isTransaction, sqliteStatements } from '../../db/sqlite-statements.js';
import { actorId } from '../../domain/actor.js';
import { isoWithOffset } from '../../domain/clock.js';
import { CrmError, ExitCode, type L10n } from '../../domain/errors.js';
import { parseFen, yuanString } from '../../domain/money.js';
import {
  assignBusinessDate,
  assignFromNominal,
  type BusinessDateRule,
  nominalBusinessDate,
  nominalDater,
} from '../../domain/settlement/business-date.js';
import { invalidKindMessage, type SettlementKind } from '../../domain/settlement/kind.js';
import { audit } from '../audit.js';
import { loadCalendar } from '../calendar.js';
import { nowIso, type ServiceContext, withDb } from '../context.js';

export type TransactionKind = SettlementKind;

export interface PostTransactionInput {
  ref: string;
  kind: TransactionKind;
  amountFen: number;
  customerId: number;
  accountClass: string;
  payerAccount?: string | null;
  memo?: string | null;
  occurredAt: Date;
  source: 'feed' | 'order';
  importBatchId?: string | null;
}

export interface PostedTransaction {
  id: number;
  ref: string;
  kind: TransactionKind;
  amountFen: number;
  customerId: number;
  unitCode: string;
  unitName: string;
  accountClass: string;
  occurredAt: string;
  businessDate: string;
  late: boolean;
  clearingStatus: 'pending' | 'cleared';
  clearingDate: string | null;
}

export type PostStatus = 'inserted' | 'unchanged';

/** A row the bulk variant could not post, with the reason (the caller adds file and line). */
export interface PostRejection {
  index: number;
  code: string;
  column: string;
  reason: L10n;
}

export interface BulkPostResult {
  inserted: number;
  unchanged: number;
  rejected: PostRejection[];
  /** Per input, in order: 'inserted', 'unchanged' or 'rejected'. */
  statuses: ('inserted' | 'unchanged' | 'rejected')[];
  /** The first-level units of the rows inserted: each unit's code, its name, and its first input's index. */
  units: Map<string, { name: string; index: number }>;
}

export interface FirstLevelUnit {
  code: string;
  name: string;
}

const MAX_REF = 64;

/** The content that identifies a posting; the same ref with another hash is a conflict. */
export function contentHash(input: PostTransactionInput, occurredAtIso?: string): string {
  const canonical = JSON.stringify([
    input.ref,
    input.kind,
    input.amountFen,
    input.customerId,
    input.accountClass,
    input.payerAccount ?? null,
    input.memo ?? null,
    occurredAtIso ?? input.occurredAt.toISOString(),
  ]);
  return sha256Hex(canonical);
}

/** crypto.hash (Node ≥ 20.12) hashes a string in one call, without a Hash object per row. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256Hex: (text: string) => string = oneShot
  ? (text) => oneShot('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

class LedgerInputError extends Error {
  constructor(
    readonly code: string,
    readonly column: string,
    readonly reason: L10n,
  ) {
    super(reason.en);
  }
}

function validate(input: PostTransactionInput, classes: readonly string[]): void {
  const ref = typeof input.ref === 'string' ? input.ref.trim() : '';
  if (!ref || ref.length > MAX_REF || ref !== input.ref) {
    throw new LedgerInputError('E7101', 'ref', {
      zh: `流水号无效："${String(input.ref)}"（非空，最多 ${MAX_REF} 个字符，首尾无空格）`,
      en: `invalid ref "${String(input.ref)}" (non-empty, at most ${MAX_REF} characters, no surrounding spaces)`,
    });
  }
  if (input.kind !== 'payment' && input.kind !== 'refund') {
    throw new LedgerInputError('E7102', 'kind', invalidKindMessage(input.kind));
  }
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
    throw new LedgerInputError('E7103', 'amount', {
      zh: `金额必须大于 0（整数分）：${String(input.amountFen)}`,
      en: `the amount must be greater than 0 (integer fen): ${String(input.amountFen)}`,
    });
  }
  if (!classes.includes(input.accountClass)) {
    throw new LedgerInputError('E7104', 'account_class', {
      zh: `未知的账户分类："${String(input.accountClass)}"（可选：${classes.join('、')}）`,
      en: `unknown account class "${String(input.accountClass)}" (known: ${classes.join(', ')})`,
    });
  }
  if (!(input.occurredAt instanceof Date) || Number.isNaN(input.occurredAt.getTime())) {
    throw new LedgerInputError('E7106', 'occurred_at', {
      zh: '交易时间无效',
      en: 'invalid transaction time',
    });
  }
  if (input.payerAccount != null && String(input.payerAccount).length > 64) {
    throw new LedgerInputError('E7107', 'payer_account', {
      zh: '付款账号过长（最多 64 个字符）',
      en: 'payer account too long (at most 64 characters)',
    });
  }
  if (input.memo != null && String(input.memo).length > 300) {
    throw new LedgerInputError('E7107', 'memo', {
      zh: '摘要过长（最多 300 个字符）',
      en: 'memo too long (at most 300 characters)',
    });
  }
}

function toCrmError(err: LedgerInputError): CrmError {
  return new CrmError(err.code, err.reason, ExitCode.usage);
}

/**
 * First-level units (top ancestors) of customers, cached across calls. Walks parent_id upward with one
 * query per level for all customers still being resolved. Unknown customers are absent from the result.
 */
export class UnitResolver {
  private readonly cache = new Map<number, FirstLevelUnit | null>();

  /**
   * `known`: customer rows the caller already read (by id): used instead of querying them again (a feed looks its
   * customers up by code anyway, and most are their own first-level unit).
   */
  async resolve(
    db: Knex,
    ids: Iterable<number>,
    known?: Map<number, CustomerLink>,
  ): Promise<Map<number, FirstLevelUnit | null>> {
    // Bounded, so an import over millions of distinct customers keeps flat memory.
    if (this.cache.size > 50_000) this.cache.clear();
    const all = [...new Set(ids)];
    const wanted = all.filter((id) => !this.cache.has(id));
    let frontier = new Map<number, number[]>(); // ancestor id -> original ids waiting on it
    for (const id of wanted) frontier.set(id, [...(frontier.get(id) ?? []), id]);
    const seen = new Map<number, Set<number>>(); // original id -> visited ancestors (cycle guard)
    for (let depth = 0; frontier.size > 0; depth++) {
      const keys: number[] = [];
      const rows: CustomerLink[] = [];
      for (const k of frontier.keys()) {
        const r = known?.get(k);
        if (r) rows.push(r);
        else keys.push(k);
      }
      for (let i = 0; i < keys.length; i += 500) {
        rows.push(
          ...(await db('customers')
            .whereIn('id', keys.slice(i, i + 500))
            .select('id', 'code', 'name', 'parent_id')),
        );
      }
      const byId = new Map(rows.map((r) => [Number(r.id), r]));
      const next = new Map<number, number[]>();
      for (const [ancestor, origins] of frontier) {
        const row = byId.get(ancestor);
        if (!row) {
          // The customer itself is unknown (depth 0), or a dangling parent: treat the last known as top.
          for (const o of origins) if (!this.cache.has(o)) this.cache.set(o, null);
          continue;
        }
        const parent = row.parent_id == null ? null : Number(row.parent_id);
        for (const o of origins) {
          const visited = seen.get(o) ?? new Set<number>();
          seen.set(o, visited);
          visited.add(ancestor);
          if (parent == null || visited.has(parent) || depth > 64) {
            this.cache.set(o, { code: String(row.code), name: String(row.name) });
          } else {
            next.set(parent, [...(next.get(parent) ?? []), o]);
          }
        }
      }
      frontier = next;
    }
    const out = new Map<number, FirstLevelUnit | null>();
    for (const id of all) out.set(id, this.cache.get(id) ?? null);
    return out;
  }
}

/** A customer's row as the unit resolver reads it. */
export interface CustomerLink {
  id: number;
  code: string;
  name: string;
  parent_id: number | null;
}

/** Loads the rule once; day states are read per call (with a shared lock) since they change. */
export interface LedgerRules {
  timeZone: string;
  cutoffAt: string;
  accountClasses: string[];
  calendar: BusinessDateRule['calendar'];
}

export async function loadLedgerRules(ctx: ServiceContext): Promise<LedgerRules> {
  return {
    timeZone: await ctx.settings.get<string>('timezone'),
    cutoffAt: await ctx.settings.get<string>('settlement.cutoffAt'),
    accountClasses: await ctx.settings.get<string[]>('settlement.accountClasses'),
    calendar: await loadCalendar(ctx.db),
  };
}

/**
 * Days at or after `from` that no longer take transactions. Read with FOR SHARE (MySQL; SQLite serialises
 * writers anyway) so a cutoff committing meanwhile cannot slip between this read and the insert.
 */
async function cutOffDaysFrom(db: Knex, from: string): Promise<Set<string>> {
  const rows: { date: string; state: string }[] = await db('business_days')
    .where('date', '>=', from)
    .select('date', 'state')
    .forShare();
  return new Set(rows.filter((r) => r.state === 'cut_off' || r.state === 'cleared').map((r) => String(r.date)));
}

type TxnRow = Record<string, unknown>;

export function toPosted(r: TxnRow): PostedTransaction {
  return {
    id: Number(r.id),
    ref: String(r.ref),
    kind: r.kind as TransactionKind,
    amountFen: parseFen(r.amount_fen),
    customerId: Number(r.customer_id),
    unitCode: String(r.unit_code),
    unitName: String(r.unit_name),
    accountClass: String(r.account_class),
    occurredAt: String(r.occurred_at),
    businessDate: String(r.business_date),
    late: Boolean(Number(r.late)),
    clearingStatus: r.clearing_status as 'pending' | 'cleared',
    clearingDate: r.clearing_date == null ? null : String(r.clearing_date),
  };
}

/**
 * A resent row whose content differs from what is recorded under its ref: refused, naming each field that
 * differs (recorded → sent), so the operator can tell a bank correction from a reused ref. Rare: the full row is
 * read only here.
 */
async function conflict(db: Knex, input: PostTransactionInput): Promise<LedgerInputError> {
  const existing: TxnRow = await db('settlement_transactions as t')
    .join('customers as c', 'c.id', 't.customer_id')
    .where('t.ref', input.ref)
    .first('t.*', 'c.code as customer_code');
  const sentCustomer = await db('customers').where({ id: input.customerId }).first('code');
  const diffs: string[] = [];
  const differ = (field: string, was: unknown, now: unknown) => {
    if (String(was ?? '') !== String(now ?? '')) diffs.push(`${field} ${String(was ?? '-')} → ${String(now ?? '-')}`);
  };
  differ('kind', existing.kind, input.kind);
  differ('amount', yuanString(parseFen(existing.amount_fen)), yuanString(input.amountFen));
  differ('customer', existing.customer_code, sentCustomer?.code ?? input.customerId);
  differ('account_class', existing.account_class, input.accountClass);
  differ('payer_account', existing.payer_account, input.payerAccount);
  differ('memo', existing.memo, input.memo);
  differ('occurred_at', new Date(String(existing.occurred_at)).toISOString(), input.occurredAt.toISOString());
  const what = diffs.join('; ');
  return new LedgerInputError('E7105', 'ref', {
    zh: `流水号 ${input.ref} 已存在且内容不同（已记入 ${String(existing.business_date)}）：${what}`,
    en: `ref ${input.ref} already exists with different content (posted to ${String(existing.business_date)}): ${what}`,
  });
}

function unknownCustomer(id: number): LedgerInputError {
  return new LedgerInputError('E7108', 'customer', {
    zh: `客户不存在：${id}`,
    en: `unknown customer: ${id}`,
  });
}

/** One posting as a row object (the single-row path), from the same values the bulk writers take. */
function rowFor(
  ctx: ServiceContext,
  input: PostTransactionInput,
  unit: FirstLevelUnit,
  hash: string,
  bd: { businessDate: string; late: boolean },
  now: string,
): TxnRow {
  const values = new Array<unknown>(LEDGER_COLUMNS.length);
  putValues(values, 0, input, unit, input.occurredAt.toISOString(), bd, hash, now, actorId(ctx.actor));
  const row: TxnRow = {};
  LEDGER_COLUMNS.forEach((column, i) => {
    row[column] = values[i];
  });
  return row;
}

/**
 * Post one transaction in the caller's transaction (or its own statement when ctx.db is not a trx; the
 * statements are then run in a transaction of their own). Audited.
 */
export async function postTransaction(
  ctx: ServiceContext,
  input: PostTransactionInput,
): Promise<{ status: PostStatus; transaction: PostedTransaction }> {
  const run = async (tx: ServiceContext) => {
    const rules = await loadLedgerRules(tx);
    try {
      validate(input, rules.accountClasses);
      const hash = contentHash(input);
      const existing = await tx.db('settlement_transactions').where({ ref: input.ref }).first();
      if (existing) {
        if (existing.content_hash !== hash) throw await conflict(tx.db, input);
        return { status: 'unchanged' as const, transaction: toPosted(existing) };
      }
      const unit = (await new UnitResolver().resolve(tx.db, [input.customerId])).get(input.customerId);
      if (!unit) throw unknownCustomer(input.customerId);
      const nominal = nominalBusinessDate(input.occurredAt, rules);
      const cutOff = await cutOffDaysFrom(tx.db, nominal);
      const bd = assignBusinessDate(input.occurredAt, { ...rules, isCutOff: (d) => cutOff.has(d) });
      const now = nowIso(tx.clock);
      const row = rowFor(tx, input, unit, hash, bd, now);
      const [id] = await tx.db('settlement_transactions').insert(row);
      await audit(tx, {
        action: 'settlement.post',
        entity: 'settlement_transaction',
        entityId: input.ref,
        after: {
          ref: input.ref,
          kind: input.kind,
          amount: yuanString(input.amountFen),
          customerId: input.customerId,
          unitCode: unit.code,
          occurredAt: isoWithOffset(input.occurredAt, rules.timeZone),
          businessDate: bd.businessDate,
          late: bd.late,
          source: input.source,
        },
        batchId: input.importBatchId ?? null,
      });
      return {
        status: 'inserted' as const,
        transaction: toPosted({ ...row, id, clearing_date: null }),
      };
    } catch (err) {
      if (err instanceof LedgerInputError) {
        const e = toCrmError(err);
        if (err.code === 'E7105') {
          throw new CrmError(err.code, err.reason, ExitCode.conflict, {
            zh: '流水号须唯一；同一笔交易重复导入时内容必须一致',
            en: 'refs are unique; re-importing the same transaction must carry the same content',
          });
        }
        throw e;
      }
      throw err;
    }
  };
  if (isTransaction(ctx.db)) return run(ctx);
  return withConflictRetry(() => ctx.db.transaction(async (trx) => run(withDb(ctx, trx))));
}

/** Options shared by the chunks of one import: the rules and the unit cache, loaded once. */
export interface BulkPoster {
  /**
   * `customers`: rows of the inputs' customers already read by the caller (optional; saves queries).
   * `order`: when chunks overlap (a pipelined import on MySQL), this chunk's places in line, claimed when its write
   * began: it decides which rows to insert after the chunk before has decided (and checks its refs against that
   * chunk's, which the database does not show yet), and inserts after the chunk before has inserted (ids in file
   * order). The caller releases both places when the chunk ends, whatever happens.
   */
  post(
    ctx: ServiceContext,
    inputs: PostTransactionInput[],
    customers?: Map<number, CustomerLink>,
    order?: ChunkOrder,
  ): Promise<BulkPostResult>;
}

export interface ChunkOrder {
  decide: { wait(): Promise<void>; release(): void };
  insert: { wait(): Promise<void>; release(): void };
}

/**
 * The bulk variant for feed imports: create once per import (loads settings and calendar, keeps a unit
 * cache), then call post() per chunk inside the chunk's transaction. Invalid rows, unknown customers and
 * conflicts are returned as rejections (with the input index) rather than thrown. One audit row per chunk.
 */
export async function createBulkPoster(ctx: ServiceContext): Promise<BulkPoster> {
  const rules = await loadLedgerRules(ctx);
  const units = new UnitResolver();
  const nominalOf = nominalDater(rules);
  /** Ref -> hash of the rows the last ordered chunk inserts (maybe not committed yet: see `order`). */
  let lastChunkRefs = new Map<string, string>();
  return {
    async post(chunkCtx, inputs, customers, order) {
      const result: BulkPostResult = { inserted: 0, unchanged: 0, rejected: [], statuses: [], units: new Map() };
      let lastUnit: FirstLevelUnit | null = null;
      const reject = (index: number, e: LedgerInputError) => {
        result.rejected.push({ index, code: e.code, column: e.column, reason: e.reason });
        result.statuses[index] = 'rejected';
      };
      // The valid inputs (their indexes), their hashes and times in ISO form, in parallel arrays (no object
      // per row). Feeds come in time order with many rows to the second: the ISO text is made per distinct time.
      const valid: number[] = [];
      const hashes: string[] = new Array(inputs.length);
      const isos: string[] = new Array(inputs.length);
      let isoMs = Number.NaN;
      let iso = '';
      for (let index = 0; index < inputs.length; index++) {
        const input = inputs[index]!;
        try {
          validate(input, rules.accountClasses);
        } catch (err) {
          if (err instanceof LedgerInputError) {
            reject(index, err);
            continue;
          }
          throw err;
        }
        const ms = input.occurredAt.getTime();
        if (ms !== isoMs) {
          iso = input.occurredAt.toISOString();
          isoMs = ms;
        }
        isos[index] = iso;
        hashes[index] = contentHash(input, iso);
        valid.push(index);
      }
      const db = chunkCtx.db;
      const existing = new Map<string, TxnRow>();
      const refs = valid.map((index) => inputs[index]!.ref);
      // On SQLite: statements prepared once on the chunk's own connection; the refs are probed in one statement
      // (SQLite walks the JSON list and the ref index itself: one call instead of one per row). Elsewhere
      // batched IN (…) queries and multi-row inserts.
      const raw = await sqliteStatements(db);
      if (raw) {
        if (refs.length > 0) {
          const q = raw.st(
            'SELECT t.ref, t.content_hash, t.business_date, t.amount_fen FROM json_each(?) AS j' +
              ' CROSS JOIN settlement_transactions AS t ON t.ref = j.value',
          );
          for (const r of q.all(JSON.stringify(refs)) as TxnRow[]) existing.set(String(r.ref), r);
        }
      } else {
        for (let i = 0; i < refs.length; i += 500) {
          const rows: TxnRow[] = await db('settlement_transactions')
            .whereIn('ref', refs.slice(i, i + 500))
            .select('ref', 'content_hash', 'business_date', 'amount_fen');
          for (const r of rows) existing.set(String(r.ref), r);
        }
      }
      const unitMap = await units.resolve(
        db,
        valid.map((index) => inputs[index]!.customerId),
        customers,
      );
      let minNominal: string | null = null;
      // Feeds come in time order with many rows to the second: compute per distinct time, not per row.
      const nominals: string[] = new Array(inputs.length);
      let lastMs = Number.NaN;
      let lastNominal = '';
      for (const index of valid) {
        const input = inputs[index]!;
        if (existing.size > 0 && existing.has(input.ref)) continue;
        const ms = input.occurredAt.getTime();
        if (ms !== lastMs) {
          lastNominal = nominalOf(input.occurredAt);
          lastMs = ms;
        }
        nominals[index] = lastNominal;
        if (minNominal === null || lastNominal < minNominal) minNominal = lastNominal;
      }
      const cutOff = minNominal ? await cutOffDaysFrom(db, minNominal) : new Set<string>();
      const now = nowIso(chunkCtx.clock);
      const createdBy = actorId(chunkCtx.actor);
      // Each row's values go straight into the writer (src/db/ledger-writer.ts: prepared multi-row INSERTs on
      // SQLite, LOAD DATA on MySQL/MariaDB with local_infile, else knex inserts).
      const writer = await openLedgerWriter(db, 'settlement_transactions', LEDGER_COLUMNS, raw);
      let count = 0;
      let total = 0;
      let firstRef: string | undefined;
      let lastRef: string | undefined;
      let batchId: string | null = null;
      const inChunk = new Map<string, string>(); // ref -> hash of rows being inserted in this chunk
      // Feeds list refs in ascending order: then no ref can repeat within the chunk and the map is not needed.
      let ascending = true;
      for (let i = 1; ascending && i < valid.length; i++) {
        if (!(inputs[valid[i - 1]!]!.ref < inputs[valid[i]!]!.ref)) ascending = false;
      }
      const dayRule = { ...rules, isCutOff: (d: string) => cutOff.has(d) };
      let bdNominal = '';
      let bd: ReturnType<typeof assignBusinessDate> | null = null;
      // Everything above is this chunk's own; from here on the chunk before must have decided (see `order`).
      let earlier: Map<string, string> | null = null;
      let mine: Map<string, string> | null = null;
      if (order) {
        await order.decide.wait();
        earlier = lastChunkRefs.size > 0 ? lastChunkRefs : null;
        mine = new Map();
        lastChunkRefs = mine;
      }
      for (const index of valid) {
        const input = inputs[index]!;
        const hash = hashes[index]!;
        const before = existing.size > 0 ? existing.get(input.ref) : undefined;
        if (before) {
          if (before.content_hash === hash) {
            result.unchanged++;
            result.statuses[index] = 'unchanged';
          } else reject(index, await conflict(db, input));
          continue;
        }
        const dup = (ascending ? undefined : inChunk.get(input.ref)) ?? earlier?.get(input.ref);
        if (dup !== undefined) {
          if (dup === hash) {
            result.unchanged++;
            result.statuses[index] = 'unchanged';
          } else {
            reject(
              index,
              new LedgerInputError('E7105', 'ref', {
                zh: `流水号 ${input.ref} 在本文件中重复且内容不同`,
                en: `ref ${input.ref} appears earlier in this file with different content`,
              }),
            );
          }
          continue;
        }
        const unit = unitMap.get(input.customerId);
        if (!unit) {
          reject(index, unknownCustomer(input.customerId));
          continue;
        }
        const nominal = nominals[index]!;
        if (nominal !== bdNominal || !bd) {
          bd = assignFromNominal(nominal, dayRule);
          bdNominal = nominal;
        }
        // Rows come grouped by unit often enough that comparing with the last one spares most map look-ups.
        if (unit !== lastUnit) {
          if (!result.units.has(unit.code)) result.units.set(unit.code, { name: unit.name, index });
          lastUnit = unit;
        }
        putValues(writer.params, writer.at, input, unit, isos[index]!, bd, hash, now, createdBy);
        writer.rowWritten();
        if (count === 0) {
          firstRef = input.ref;
          batchId = input.importBatchId ?? null;
        }
        lastRef = input.ref;
        total += input.amountFen;
        count++;
        if (!ascending) inChunk.set(input.ref, hash);
        mine?.set(input.ref, hash);
        result.inserted++;
        result.statuses[index] = 'inserted';
      }
      if (order) {
        order.decide.release();
        await order.insert.wait();
      }
      await writer.end();
      if (count > 0) {
        await audit(chunkCtx, {
          action: 'settlement.post-bulk',
          entity: 'settlement_transaction',
          entityId: batchId,
          after: { inserted: count, total: yuanString(total), firstRef, lastRef },
          batchId,
        });
      }
      order?.insert.release();
      result.rejected.sort((a, b) => a.index - b.index);
      return result;
    },
  };
}

/** The columns a posting writes, in the order putValues fills them: the one list of the ledger's columns. */
const LEDGER_COLUMNS = [
  'ref',
  'kind',
  'amount_fen',
  'customer_id',
  'unit_code',
  'unit_name',
  'account_class',
  'payer_account',
  'memo',
  'occurred_at',
  'business_date',
  'late',
  'source',
  'content_hash',
  'import_batch_id',
  'clearing_status',
  'created_at',
  'created_by',
] as const;

/**
 * A posting's values in LEDGER_COLUMNS order, written into `p` from index `at` (a bulk writer's parameters, or the
 * single-row path's array in rowFor).
 */
function putValues(
  p: unknown[],
  at: number,
  input: PostTransactionInput,
  unit: FirstLevelUnit,
  occurredAtIso: string,
  bd: { businessDate: string; late: boolean },
  hash: string,
  now: string,
  createdBy: number | null,
): void {
  let k = at;
  p[k++] = input.ref;
  p[k++] = input.kind;
  p[k++] = input.amountFen;
  p[k++] = input.customerId;
  p[k++] = unit.code;
  p[k++] = unit.name;
  p[k++] = input.accountClass;
  p[k++] = input.payerAccount ?? null;
  p[k++] = input.memo ?? null;
  p[k++] = occurredAtIso;
  p[k++] = bd.businessDate;
  p[k++] = bd.late ? 1 : 0;
  p[k++] = input.source;
  p[k++] = hash;
  p[k++] = input.importBatchId ?? null;
  p[k++] = 'pending';
  p[k++] = now;
  p[k++] = createdBy;
}

export { sqliteStatements } from '../../db/sqlite-statements.js';

/** Convenience for tests and small callers: post many in one transaction of ctx (or a new one). */
export async function postTransactions(ctx: ServiceContext, inputs: PostTransactionInput[]): Promise<BulkPostResult> {
  const poster = await createBulkPoster(ctx);
  if (isTransaction(ctx.db)) return poster.post(ctx, inputs);
  return withConflictRetry(() => ctx.db.transaction(async (trx) => poster.post(withDb(ctx, trx), inputs)));
}
