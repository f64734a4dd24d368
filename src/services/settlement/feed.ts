/**
 * The bank feed import (crm settlement import FILE) on the generic import engine: same reader, reject report,
 * --dry-run, --errors, summary and exit codes as the customers import. Rows are posted in chunks through the
 * ledger's bulk poster (idempotent on ref; the same ref with other content is rejected as a conflict).
 */

import { refuseLoadData } from '../../db/load-data.js';
import { sqliteStatements } from '../../db/sqlite-statements.js';
import { parseLocalDateTime } from '../../domain/clock.js';
import { parseYuan } from '../../domain/money.js';
import { type ClearingEncoding, firstUnencodable } from '../../domain/settlement/file-encoding.js';
import { settlementKindOf, settlementKindWords } from '../../domain/settlement/kind.js';
import {
  type ChunkResult,
  detach,
  type ImportEntry,
  type ImportRow,
  type ImportSpec,
  InOrder,
  type LineError,
  type RejectedRow,
  runImport,
  type WriteContext,
} from '../../io/import/index.js';
import type { ServiceContext } from '../context.js';
import { operate } from './common.js';
import {
  type BulkPoster,
  type ChunkOrder,
  type CustomerLink,
  createBulkPoster,
  type PostTransactionInput,
} from './ledger.js';

/**
 * A validated row, already in the ledger's input shape (customerId and importBatchId are filled in when its
 * chunk is written: no second object per row).
 */
export interface FeedRow extends PostTransactionInput {
  customerCode: string;
}

export function feedSpec(): ImportSpec<FeedRow> {
  let timeZone = 'Asia/Shanghai';
  let classes: string[] = [];
  let defaultClass = '';
  let poster: BulkPoster | null = null;
  let encoding: ClearingEncoding = 'gbk';
  /** First-level units whose name this import has checked against the clearing files' encoding. */
  const namesChecked = new Set<string>();
  let lastTimeText = '';
  let lastTime: Date | null = null;
  /**
   * Customers found so far, by code (a day's feed names a few thousand units over and over): each code is read
   * once per import, not once per chunk. Codes not found are not kept (a later chunk looks again), and the map
   * is bounded so a feed over millions of distinct codes keeps flat memory.
   */
  const known = new Map<string, CustomerLink>();
  const knownById = new Map<number, CustomerLink>();
  const decideOrder = new InOrder();
  const insertOrder = new InOrder();
  const spec: ImportSpec<FeedRow> = {
    kind: 'settlement.feed',
    chunkSize: 2500,
    sqliteChunkSize: 2000,
    sqliteCommitRows: 100_000,
    columns: [
      { key: 'ref', aliases: ['流水号', '交易流水号'], required: true },
      { key: 'occurred_at', aliases: ['交易时间', 'occurredAt', 'time'], required: true },
      { key: 'customer', aliases: ['客户编码', 'customer_code', 'unit', '预算单位国标码', '国标码'] },
      { key: 'kind', aliases: ['交易类型', 'type'], required: true },
      { key: 'amount', aliases: ['金额'], required: true },
      { key: 'account_class', aliases: ['账户分类', 'accountClass'] },
      { key: 'payer_account', aliases: ['付款账号', 'payerAccount'] },
      { key: 'memo', aliases: ['摘要', '备注'] },
    ],
    async begin(svc: ServiceContext) {
      operate(svc, { zh: '导入银行交易流水', en: 'import bank feeds' });
      timeZone = await svc.settings.get<string>('timezone');
      classes = await svc.settings.get<string[]>('settlement.accountClasses');
      defaultClass = await svc.settings.get<string>('settlement.defaultAccountClass');
      encoding = await svc.settings.get<ClearingEncoding>('settlement.fileEncoding');
      poster = await createBulkPoster(svc);
    },
    validate(row) {
      // The error list is made only for a row that has errors (most have none).
      let errors: { column: string; reason: string }[] | null = null;
      const fail = (column: string, reason: string) => {
        errors ??= [];
        errors.push({ column, reason });
      };
      const ref = row.ref ?? '';
      if (!ref) fail('ref', 'required');
      else if (ref.length > 64) fail('ref', 'longer than 64 characters');
      let occurredAt: Date | null = null;
      try {
        // Feeds come in time order, many rows to the second: the previous row's time is often this one's.
        const text = row.occurred_at ?? '';
        if (text !== lastTimeText || !lastTime) {
          lastTime = parseLocalDateTime(text, timeZone);
          lastTimeText = text;
        }
        occurredAt = lastTime;
      } catch {
        fail(
          'occurred_at',
          `invalid time "${row.occurred_at ?? ''}" (YYYY-MM-DD HH:mm[:ss] business time, or ISO 8601 with an offset)`,
        );
      }
      const customerCode = row.customer ?? '';
      if (!customerCode) fail('customer', 'required (customer code or unit code)');
      const kind = settlementKindOf(row.kind);
      if (!kind) fail('kind', `unknown kind "${row.kind ?? ''}" (${settlementKindWords('en')})`);
      let amountFen = 0;
      try {
        amountFen = parseYuan(row.amount ?? '', { allowZero: false, field: 'amount' });
      } catch (err) {
        fail('amount', (err as Error).message);
      }
      // An empty or missing 账户分类 is the default class, as the bank's own exports leave it.
      const accountClass = row.account_class?.trim() || defaultClass;
      if (!classes.includes(accountClass)) {
        fail('account_class', `unknown account class "${accountClass}" (known: ${classes.join(', ')})`);
      }
      if (errors || !occurredAt || !kind) return { ok: false, errors: errors ?? [] };
      return {
        ok: true,
        value: {
          ref,
          kind,
          amountFen,
          customerId: 0,
          accountClass,
          payerAccount: row.payer_account || null,
          memo: row.memo || null,
          occurredAt,
          source: 'feed',
          importBatchId: null,
          customerCode,
        },
      };
    },
    // On MySQL the next chunk's lookups and rows are made while this chunk's rows load (see ChunkOrder).
    pipelined: true,
    async writeChunk(w, rows) {
      if (w.dialect !== 'mysql') return write(w, rows);
      // This chunk's places in line (by its number in the file), freed however it ends.
      const order: ChunkOrder = { decide: decideOrder.place(w.chunk), insert: insertOrder.place(w.chunk) };
      try {
        return await write(w, rows, order);
      } finally {
        order.decide.release();
        order.insert.release();
      }
    },
  };
  return spec;

  async function write(w: WriteContext, rows: ImportRow<FeedRow>[], order?: ChunkOrder): Promise<ChunkResult> {
    const db = w.svc.db;
    // The ledger's bulk poster asks loadDataAvailable(db) itself: the import's choice goes with the handle.
    if (!w.loadData) refuseLoadData(db);
    const raw = await sqliteStatements(db);
    /** The customer id of a code, or undefined when no customer has it. */
    let idOf: (code: string) => number | undefined;
    // The rows' customers are handed to the poster too: it needs no query for customers that are their own unit.
    let customers: Map<number, CustomerLink>;
    if (raw) {
      // SQLite: one index probe per code not seen before in this import, on the chunk's connection.
      if (known.size > 50_000) {
        known.clear();
        knownById.clear();
      }
      const q = raw.st('SELECT id, code, name, parent_id FROM customers WHERE code = ?');
      const missing = new Set<string>();
      idOf = (code) => {
        let f = known.get(code);
        if (f === undefined) {
          if (missing.has(code)) return undefined;
          f = q.get(code) as CustomerLink | undefined;
          if (!f) {
            missing.add(code);
            return undefined;
          }
          // A copy of the key: the cell is a slice of the file's text, which it would keep in memory.
          known.set(detach(code), f);
          knownById.set(f.id, f);
        }
        return f.id;
      };
      customers = knownById;
    } else {
      const codes = [...new Set(rows.map((r) => r.value.customerCode))];
      const ids = new Map<string, number>();
      customers = new Map<number, CustomerLink>();
      const per = w.dialect === 'mysql' ? 2000 : 500;
      for (let i = 0; i < codes.length; i += per) {
        const found: CustomerLink[] = await db('customers')
          .whereIn('code', codes.slice(i, i + per))
          .select('id', 'code', 'name', 'parent_id');
        for (const f of found) {
          const id = Number(f.id);
          ids.set(String(f.code), id);
          customers.set(id, {
            id,
            code: String(f.code),
            name: String(f.name),
            parent_id: f.parent_id == null ? null : Number(f.parent_id),
          });
        }
      }
      idOf = (code) => ids.get(code);
    }
    const rejected: RejectedRow[] = [];
    const inputs: PostTransactionInput[] = [];
    const lines: (typeof rows)[number][] = [];
    for (const r of rows) {
      const input = r.value;
      const id = idOf(input.customerCode);
      if (id === undefined) {
        rejected.push({
          line: r.line,
          raw: r.raw,
          column: 'customer',
          reason: `unknown customer "${input.customerCode}"`,
        });
        continue;
      }
      input.customerId = id;
      input.importBatchId = w.batchId;
      inputs.push(input);
      lines.push(r);
    }
    const result = await (poster as BulkPoster).post(w.svc, inputs, customers, order);
    for (const x of result.rejected) {
      const r = lines[x.index];
      if (r) rejected.push({ line: r.line, raw: r.raw, column: x.column, reason: x.reason.en });
    }
    const warnings = await unitNameWarnings(w.svc, result.units, lines);
    return { inserted: result.inserted, updated: 0, unchanged: result.unchanged, rejected, warnings };
  }

  /**
   * The money is posted (it is the bank's record), but a first-level unit whose name the clearing files cannot
   * hold would stop the evening's clear: say so now, at the first row of that unit, with the command that
   * finishes the day, unless an override name is set already. Each unit is checked once per import.
   */
  async function unitNameWarnings(
    svc: ServiceContext,
    units: Map<string, { name: string; index: number }>,
    lines: ImportRow<FeedRow>[],
  ): Promise<LineError[]> {
    const warnings: LineError[] = [];
    for (const [code, { name, index }] of units) {
      if (namesChecked.has(code)) continue;
      namesChecked.add(code);
      const hit = firstUnencodable(name, encoding);
      if (!hit) continue;
      if (await svc.db('clearing_unit_names').where({ unit_code: code }).first()) continue;
      warnings.push({
        line: lines[index]?.line ?? 0,
        column: 'customer',
        reason:
          `unit ${code} "${name}": character ${hit.position} "${hit.char}" (${hit.codePoint}) cannot be written to` +
          ` the GBK clearing files; before the clear run crm settlement names set ${code} --name NAME --reason TEXT`,
      });
    }
    return warnings;
  }
}

/**
 * `crm settlement import`: the one entry point (the command and the tests). Its checks (operators only) run in the
 * spec's begin, so a command that hands feedSpec() to runImportCommand gets them too.
 */
export const importFeed: ImportEntry = async (svc, opts) => runImport(svc, feedSpec(), opts);
