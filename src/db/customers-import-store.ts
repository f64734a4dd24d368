/**
 * The customers import's reads and bulk writes, behind one interface with two implementations side by side:
 * - `sqliteCustomersStore`: prepared statements on the chunk transaction's own connection (one index probe or one
 *   insert each, statements reused for the whole import; see ./sqlite-statements.ts);
 * - `knexCustomersStore`: batched IN (…) queries and multi-row inserts (or LOAD DATA) through knex, for MySQL/MariaDB,
 *   where round trips dominate (and for any handle that is not a SQLite transaction).
 * Also here: the reads that differ by dialect when an import begins (scanCustomerKeys, hasConsecutiveIds) and the
 * SQLite bulk load's index drop and rebuild. The rules of the import (what to compare, what to write) stay in
 * src/services/customers/import.ts.
 */
import type { Knex } from 'knex';
import { dialectOf } from './connection.js';
import { loadDataAvailable, loadRecords } from './load-data.js';
import {
  bindable,
  isTransaction,
  type SqliteConnection,
  statementsOf,
  transactionConnection,
} from './sqlite-statements.js';

/** An existing customer as the import compares it (the columns of EXISTING_ROW_COLUMNS). */
export type ExistingCustomer = Record<string, unknown> & {
  id: number;
  code: string;
  parent_id: number | null;
  owner_id: number | null;
};

export type FoundCustomer = { id: number; code: string; status: string };
export type HistoryStamp = { reason: string; at: string; by: number | null };

/** The ownership history of the customers with ids in [?, ?] that have an owner; bindings: reason, at, by, ids. */
const HISTORY_OF_INSERTS = `INSERT INTO ownership_history (customer_id, from_user_id, to_user_id, action, reason, at, by_user_id)
  SELECT id, NULL, owner_id, 'import', ?, ?, ? FROM customers WHERE id BETWEEN ? AND ? AND owner_id IS NOT NULL ORDER BY id`;
export type DupHit = { code: string; name_norm: string; phone_norm: string | null };
export type ContactRow = {
  id: number;
  customer_id: number;
  name: string;
  mobile: string | null;
  phone: string | null;
  email: string | null;
};

/**
 * The reads and bulk writes of one chunk. On SQLite they run as prepared statements on the chunk's own
 * connection (one index probe or one insert each, statements reused for the whole import); on MySQL as
 * batched IN (…) queries and multi-row inserts through knex (round trips dominate there).
 */
export interface CustomersImportStore {
  existing(codes: string[]): Promise<ExistingCustomer[]>;
  byCodes(codes: string[]): Promise<FoundCustomer[]>;
  sameNameOrPhone(names: string[], phones: string[]): Promise<DupHit[]>;
  contactsOf(customerIds: number[]): Promise<ContactRow[]>;
  /**
   * Insert customers; their ids by code. When `historyOfInserts`, it also writes the ownership history of the new
   * customers that have an owner (one set-based INSERT … SELECT, with `history` as reason, time and user).
   */
  insertCustomers(rows: Record<string, unknown>[], history: HistoryStamp): Promise<Map<string, number>>;
  readonly historyOfInserts: boolean;
  insertMany(table: string, rows: Record<string, unknown>[]): Promise<void>;
}

/** The columns of an existing customer the import compares and uses, in the order existingFromRow reads them. */
export const EXISTING_ROW_COLUMNS = [
  'id',
  'code',
  'parent_id',
  'owner_id',
  'status',
  'name',
  'industry',
  'region',
  'address',
  'phone',
  'email',
  'source',
  'note',
  'grade',
] as const;

function existingFromRow(r: unknown[]): ExistingCustomer {
  return {
    id: r[0] as number,
    code: r[1] as string,
    parent_id: r[2] as number | null,
    owner_id: r[3] as number | null,
    status: r[4],
    name: r[5],
    industry: r[6],
    region: r[7],
    address: r[8],
    phone: r[9],
    email: r[10],
    source: r[11],
    note: r[12],
    grade: r[13],
  };
}

/** Values per duplicate-name/phone lookup on MySQL/MariaDB: see sameNameOrPhone below. */
export const DUPLICATE_LOOKUP_VALUES = 100;

export interface KnexStoreOptions {
  /**
   * MySQL/MariaDB gives the rows of one multi-row INSERT consecutive auto-increment ids (innodb_autoinc_lock_mode
   * 0 or 1 and auto_increment_increment 1), so ids need not be read back (see hasConsecutiveIds).
   */
  consecutiveIds?: boolean;
  /** New rows go by LOAD DATA LOCAL INFILE (./load-data.ts; the server allows it). */
  load?: boolean;
}

/** The store on knex: batched queries and multi-row inserts (MySQL/MariaDB). */
export function knexCustomersStore(
  db: Knex,
  { consecutiveIds = false, load = false }: KnexStoreOptions = {},
): CustomersImportStore {
  return {
    historyOfInserts: consecutiveIds,
    async existing(codes) {
      const out: ExistingCustomer[] = [];
      for (const part of slices(codes, 500)) {
        out.push(
          ...(await db('customers as c')
            .leftJoin('customers as p', 'p.id', 'c.parent_id')
            .whereIn('c.code', part)
            .select('c.*', 'p.code as parent_code')),
        );
      }
      return out;
    },
    async byCodes(codes) {
      const out: FoundCustomer[] = [];
      for (const part of slices(codes, 500))
        out.push(...(await db('customers').whereIn('code', part).select('id', 'code', 'status')));
      return out;
    },
    async sameNameOrPhone(names, phones) {
      const hits: DupHit[] = [];
      for (const [col, values] of [
        ['name_norm', names],
        ['phone_norm', phones],
      ] as const) {
        // Fewer values than MariaDB's eq_range_index_dive_limit (default 200), and no condition on status in the
        // query: at or above the limit the optimizer estimates the IN list from index statistics and may choose a
        // full table scan (or, with a status condition, the status index); below it, it reads the name or phone
        // index by range (the plan is checked in test/integration/load-data.test.ts).
        for (const part of slices(values, DUPLICATE_LOOKUP_VALUES)) {
          const found: (DupHit & { status: string })[] = await db('customers')
            .whereIn(col, part)
            .select('code', 'name_norm', 'phone_norm', 'status');
          for (const f of found) if (f.status !== 'deleted') hits.push(f);
        }
      }
      return hits;
    },
    async contactsOf(ids) {
      const out: ContactRow[] = [];
      for (const part of slices(ids, 500)) {
        out.push(
          ...(await db('contacts')
            .whereIn('customer_id', part)
            .select('id', 'customer_id', 'name', 'phone', 'mobile', 'email')),
        );
      }
      return out;
    },
    async insertCustomers(rows, history) {
      const ids = new Map<string, number>();
      if (rows.length === 0) return ids;
      if (consecutiveIds) {
        // One multi-row INSERT, or one LOAD DATA, gets consecutive ids from the first (InnoDB lock mode 0/1,
        // increment 1).
        for (const part of load ? [rows] : slices(rows, 1000)) {
          const first = load
            ? (await loadRecords(db, 'customers', part, { firstId: true })).firstId
            : (await db('customers').insert(part))[0];
          for (let i = 0; i < part.length; i++) ids.set(String(part[i]!.code), Number(first) + i);
          // Their history, written by the server from the rows themselves (no second round of row data).
          await db.raw(HISTORY_OF_INSERTS, [
            history.reason,
            history.at,
            history.by,
            Number(first),
            Number(first) + part.length - 1,
          ]);
        }
        return ids;
      }
      if (load) await loadRecords(db, 'customers', rows);
      // 23 columns: 400 rows x 23 < 30000 terms, within SQLite's limits (and a sane MySQL packet).
      else for (const part of slices(rows, 400)) await db('customers').insert(part);
      for (const part of slices(
        rows.map((r) => String(r.code)),
        500,
      )) {
        const found: { id: number; code: string }[] = await db('customers').whereIn('code', part).select('id', 'code');
        for (const f of found) ids.set(String(f.code), Number(f.id));
      }
      return ids;
    },
    async insertMany(table, rows) {
      if (load) await loadRecords(db, table, rows);
      else for (const part of slices(rows, consecutiveIds ? 1000 : 400)) await db(table).insert(part);
    },
  };
}

/** The store on a SQLite transaction's own connection: prepared statements, one probe or insert each. */
export function sqliteCustomersStore(conn: SqliteConnection): CustomersImportStore {
  const { st } = statementsOf(conn);
  const insertSql = (table: string, cols: string[]) =>
    `INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
  return {
    historyOfInserts: true,
    async existing(codes) {
      // Only what the comparison reads, as arrays made into objects of one fixed shape here (cheaper than the
      // driver's object per row with every column).
      // One statement per chunk: SQLite walks the JSON list and probes the code index itself (one call instead
      // of one per code).
      if (codes.length === 0) return [];
      const q = st(
        `SELECT ${EXISTING_ROW_COLUMNS.map((c) => `c.${c}`).join(', ')} FROM json_each(?) AS j` +
          ' CROSS JOIN customers AS c ON c.code = j.value',
      );
      q.raw?.(true);
      const out: ExistingCustomer[] = [];
      for (const r of q.all(JSON.stringify(codes)) as unknown[][]) out.push(existingFromRow(r));
      return out;
    },
    async byCodes(codes) {
      if (codes.length === 0) return [];
      const q = st(
        'SELECT c.id, c.code, c.status FROM json_each(?) AS j CROSS JOIN customers AS c ON c.code = j.value',
      );
      return q.all(JSON.stringify(codes)) as FoundCustomer[];
    },
    async sameNameOrPhone(names, phones) {
      const hits: DupHit[] = [];
      const byName = st(
        "SELECT code, name_norm, phone_norm FROM customers WHERE name_norm = ? AND status <> 'deleted'",
      );
      for (const n of names) for (const h of byName.all(n)) hits.push(h as DupHit);
      const byPhone = st(
        "SELECT code, name_norm, phone_norm FROM customers WHERE phone_norm = ? AND status <> 'deleted'",
      );
      for (const p of phones) for (const h of byPhone.all(p)) hits.push(h as DupHit);
      return hits;
    },
    async contactsOf(ids) {
      const q = st('SELECT id, customer_id, name, phone, mobile, email FROM contacts WHERE customer_id = ?');
      const out: ContactRow[] = [];
      for (const id of ids) for (const r of q.all(id)) out.push(r as ContactRow);
      return out;
    },
    async insertCustomers(rows, history) {
      const ids = new Map<string, number>();
      if (rows.length === 0) return ids;
      const cols = Object.keys(rows[0]!);
      const q = st(insertSql('customers', cols));
      const values = new Array<unknown>(cols.length);
      let first = 0;
      let last = 0;
      for (const r of rows) {
        for (let i = 0; i < cols.length; i++) values[i] = bindable(r[cols[i]!]);
        last = Number(q.run(...values).lastInsertRowid);
        if (first === 0) first = last;
        ids.set(String(r.code), last);
      }
      // This transaction is the database's only writer: the ids first..last are exactly the rows just inserted.
      st(HISTORY_OF_INSERTS).run(history.reason, history.at, history.by, first, last);
      return ids;
    },
    async insertMany(table, rows) {
      if (rows.length === 0) return;
      const cols = Object.keys(rows[0]!);
      const q = st(insertSql(table, cols));
      const values = new Array<unknown>(cols.length);
      for (const r of rows) {
        for (let i = 0; i < cols.length; i++) values[i] = bindable(r[cols[i]!]);
        q.run(...values);
      }
    },
  };
}

export interface StoreOptions {
  /** See KnexStoreOptions.consecutiveIds. */
  consecutiveIds: boolean;
  /** May new rows go by LOAD DATA when the server allows it (default yes)? */
  loadData?: boolean;
}

/**
 * The store for a chunk written on `db`: a SQLite transaction's own connection, or knex (MySQL/MariaDB; and outside
 * a transaction, where a raw connection would have to be given back to the pool: not worth it there).
 */
export async function openCustomersImportStore(db: Knex, opts: StoreOptions): Promise<CustomersImportStore> {
  if (dialectOf(db) === 'sqlite' && isTransaction(db)) return sqliteCustomersStore(await transactionConnection(db));
  return knexCustomersStore(db, {
    consecutiveIds: opts.consecutiveIds,
    load: await loadDataAvailable(db, { enabled: opts.loadData }),
  });
}

/** What scanCustomerKeys hands each value to. */
export interface CustomerKeySink {
  code(value: string): void;
  name(nameNorm: string): void;
  phone(phoneNorm: string): void;
}

/**
 * Read every customer's code, normalised name and phone once (memory flat) into `sink`; returns how many customers
 * there are (deleted ones too). Names and phones: at least those of customers not deleted.
 */
export async function scanCustomerKeys(db: Knex, sink: CustomerKeySink): Promise<number> {
  if (dialectOf(db) === 'sqlite') {
    // One streaming scan of rows as arrays on the connection itself (no pages of row objects).
    const client = db.client as {
      acquireConnection(): Promise<{
        prepare(sql: string): { pluck(on: boolean): { iterate(): IterableIterator<string> } };
      }>;
      releaseConnection(conn: unknown): Promise<void>;
    };
    const conn = await client.acquireConnection();
    try {
      // Each a scan of its own (covering) index, not of the table. Deleted customers' names and phones are
      // counted too: an overcount only costs a lookup.
      let rows = 0;
      for (const [col, add] of [
        ['code', sink.code],
        ['name_norm', sink.name],
        ['phone_norm', sink.phone],
      ] as const) {
        const q = conn.prepare(`SELECT ${col} FROM customers WHERE ${col} IS NOT NULL`).pluck(true);
        let n = 0;
        for (const value of q.iterate()) {
          add(value);
          n++;
        }
        if (col === 'code') rows = n; // code is NOT NULL: one per customer
      }
      return rows;
    } finally {
      await client.releaseConnection(conn);
    }
  }
  let rows = 0;
  let after = 0;
  for (;;) {
    const page: { id: number; code: string; name_norm: string; phone_norm: string | null; status: string }[] = await db(
      'customers',
    )
      .where('id', '>', after)
      .orderBy('id')
      .limit(50_000)
      .select('id', 'code', 'name_norm', 'phone_norm', 'status');
    for (const r of page) {
      rows++;
      sink.code(String(r.code));
      if (r.status !== 'deleted') {
        sink.name(String(r.name_norm));
        if (r.phone_norm) sink.phone(String(r.phone_norm));
      }
    }
    if (page.length < 50_000) return rows;
    after = Number(page[page.length - 1]!.id);
  }
}

/** Does one multi-row INSERT get consecutive ids (MySQL/MariaDB with InnoDB lock mode 0 or 1, increment 1)? */
export async function hasConsecutiveIds(db: Knex): Promise<boolean> {
  if (dialectOf(db) !== 'mysql') return false;
  try {
    const [rows] = (await db.raw(
      'SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step, VERSION() AS version',
    )) as [{ mode: unknown; step: unknown; version: unknown }[]];
    const r = rows[0];
    return Boolean(r && Number(r.mode) <= 1 && Number(r.step) === 1 && !/tidb/i.test(String(r.version)));
  } catch {
    return false;
  }
}

/**
 * A bulk load's indexes (SQLite: the import drops them in its one transaction and builds them again at the end): the non-unique indexes of customers and ownership_history, as sqlite_master has them.
 * The unique code index stays (rows are looked up and kept unique by code while loading).
 */
export type DroppedIndexes = { name: string; sql: string }[];

const BULK_TABLES = ['customers', 'ownership_history'];

/** Drop the bulk load's indexes (inside its transaction: a rollback brings them back). */
export async function dropSecondaryIndexes(db: Knex): Promise<DroppedIndexes> {
  const rows: { name: string; sql: string }[] = await db('sqlite_master')
    .where({ type: 'index' })
    .whereIn('tbl_name', BULK_TABLES)
    .whereNotNull('sql')
    .select('name', 'sql');
  const dropped = rows.filter((r) => !/^\s*CREATE\s+UNIQUE\s/i.test(r.sql));
  for (const r of dropped) await db.raw('DROP INDEX ??', [r.name]);
  return dropped;
}

/** Build them again, each in one sorted pass, with the statements they were created with. */
export async function rebuildIndexes(db: Knex, dropped: DroppedIndexes): Promise<void> {
  for (const r of dropped) await db.raw(r.sql);
}

export function slices<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
