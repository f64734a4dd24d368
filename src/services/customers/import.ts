import type { Knex } from 'knex';
import {
  type CustomersImportStore,
  type DroppedIndexes,
  dropSecondaryIndexes,
  EXISTING_ROW_COLUMNS,
  type ExistingCustomer,
  hasConsecutiveIds,
  openCustomersImportStore,
  rebuildIndexes,
  scanCustomerKeys,
  slices,
} from '../../db/customers-import-store.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { requireCapability } from '../../domain/roles.js';
import { type ClearingEncoding, firstUnencodable } from '../../domain/settlement/file-encoding.js';
import {
  type ChunkResult,
  type ImportColumn,
  type ImportEntry,
  type ImportOptions,
  type ImportRow,
  type ImportSpec,
  type LineError,
  type RejectedRow,
  type RowError,
  runImport,
  type WriteContext,
} from '../../io/import/index.js';
import { RowSpill } from '../../io/import/spill.js';
import type { ServiceContext } from '../context.js';
import { CODE_RE, GRADES, normName, normPhone, plausibleEmail, plausiblePhone } from './common.js';

/** The import's columns: English names from the issue (the generator and the export use them) and Chinese aliases. */
export const CUSTOMER_COLUMNS: ImportColumn[] = [
  { key: 'code', aliases: ['客户编码', '编码', '国标码', '单位编码', '单位代码', '客户代码'], required: true },
  { key: 'name', aliases: ['客户名称', '名称', '单位名称', '单位', '客户'], required: true },
  { key: 'parent_code', aliases: ['上级编码', '上级单位编码', '上级单位', '上级代码', '上级', 'parent'] },
  { key: 'industry', aliases: ['行业', '所属行业'] },
  { key: 'region', aliases: ['地区', '区域', '所在地区'] },
  { key: 'address', aliases: ['地址', '单位地址', '通讯地址'] },
  { key: 'phone', aliases: ['电话', '联系电话', '单位电话', '办公电话'] },
  { key: 'email', aliases: ['邮箱', '电子邮箱', '电子邮件', 'e-mail'] },
  { key: 'source', aliases: ['来源', '客户来源'] },
  { key: 'owner', aliases: ['负责人', '客户经理', '销售'] },
  { key: 'grade', aliases: ['等级', '客户等级', '级别'] },
  { key: 'contact_name', aliases: ['联系人', '联系人姓名'] },
  { key: 'contact_phone', aliases: ['联系人电话', '手机', '联系人手机', '手机号'] },
  { key: 'contact_email', aliases: ['联系人邮箱', '联系人电子邮箱'] },
  { key: 'note', aliases: ['备注', '说明'] },
];

export type ImportMode = 'upsert' | 'create' | 'update';

/** One valid row. Empty cells are undefined: an import never erases a value (empty = keep what is there). */
export interface CustomerImportRow {
  code: string;
  name: string;
  parentCode?: string;
  industry?: string;
  region?: string;
  address?: string;
  phone?: string;
  email?: string;
  source?: string;
  ownerId?: number;
  grade?: string;
  contactName?: string;
  contactPhone?: string;
  contactEmail?: string;
  note?: string;
  /** normName(name), computed once. */
  nameNorm?: string;
}

const LIMITS: Record<string, number> = {
  name: 200,
  industry: 64,
  region: 64,
  address: 300,
  source: 64,
  contact_name: 100,
  note: 4000,
};

/** Built once: validate() runs for every row. */
const LIMIT_ENTRIES = Object.entries(LIMITS);

/** Fields compared with the database row and written. */
const FIELDS: [keyof CustomerImportRow, string][] = [
  ['name', 'name'],
  ['industry', 'industry'],
  ['region', 'region'],
  ['address', 'address'],
  ['phone', 'phone'],
  ['email', 'email'],
  ['source', 'source'],
  ['note', 'note'],
  ['grade', 'grade'],
];

type Existing = ExistingCustomer;

// The store reads only EXISTING_ROW_COLUMNS of an existing customer: every compared field must be one of them.
for (const [, col] of FIELDS) {
  if (!(EXISTING_ROW_COLUMNS as readonly string[]).includes(col)) throw new Error(`EXISTING_ROW_COLUMNS lacks ${col}`);
}
type Pending = ImportRow<CustomerImportRow>;

/** A contact the database already has, by contactKey(customer id, name). */
type KnownContact = { id: number; phone: string | null; email: string | null };
const contactKey = (customerId: number, name: string) => `${customerId}\u0000${name}`;

/** What one call of writeRows read from the database (parentIds also gains the rows it writes). */
interface ChunkLookups {
  byCode: Map<string, Existing>;
  parentIds: Map<string, number>;
  contacts: Map<string, KnownContact>;
  hasContacts: Set<number>;
  dupWarnings: LineError[];
}

/** The writes one round of writeRows queues: new customers, owner changes (code, from, to), rows with a contact. */
interface RoundWrites {
  inserts: Record<string, unknown>[];
  ownerChanges: [string, number | null, number | null][];
  contactWrites: Pending[];
}

/**
 * The customers import (see src/io/import/index.ts for the engine). Row rules:
 * code and name required; code ≤ 64 characters without spaces; email and phone plausible; owner a known, active
 * user (else `defaultOwner`); grade A–E; a code repeated in the file is rejected at its second line naming the
 * first; the parent code must exist in the database or anywhere in the file (order does not matter: rows whose
 * parent comes later are held back and written after the last chunk); a cycle is rejected; a name or phone equal
 * to a different existing customer's is imported with a warning naming it.
 */
export function customersImportSpec(opts: { mode?: ImportMode; defaultOwner?: string }): ImportSpec<CustomerImportRow> {
  const mode: ImportMode = opts.mode ?? 'upsert';
  const users = new Map<string, { id: number; active: boolean }>();
  let defaultOwnerId: number | undefined;
  /**
   * Every code seen in the file and the line it was first seen on (for duplicates and parent checks), and the
   * codes whose rows were rejected: compact hash maps (no strings kept), so memory stays small at 1M rows.
   */
  const seen = new CodeLines();
  const rejectedCodes = new CodeLines();
  /** Rows held back until their parent exists. */
  let held = new RowSpill<Pending>();
  /** Their codes (hashes only: a kept code would pin its chunk of the file's text). */
  const deferredCodes = new CodeLines();
  let consecutiveIds = false;
  /** In a bulk load: the indexes dropped by the first chunk, rebuilt by finish (inside the same transaction). */
  let dropped: DroppedIndexes | null = null;
  /** A file more than twice the size of the table (decided in begin): loaded in bulk on SQLite. */
  let bigFile = false;
  /** What the database holds (filled in begin, and as rows are written): most lookups are skipped. */
  let known: KnownValues = { codes: new CountSketch(), names: new CountSketch(), phones: new CountSketch(), rows: 0 };

  let nameEncoding: ClearingEncoding = 'gbk';
  const validate = (row: Record<string, string>, line: number) => {
    const errors: RowError[] = [];
    const v = (k: string) => (row[k] ? row[k] : undefined);
    const code = row.code ?? '';
    if (!code) errors.push({ column: 'code', reason: 'required' });
    else if (!CODE_RE.test(code))
      errors.push({ column: 'code', reason: `invalid code "${code}" (1-64 characters, no spaces or quotes)` });
    if (!row.name) errors.push({ column: 'name', reason: 'required' });
    else if (nameEncoding === 'gbk') {
      // The name becomes a unit name in the GBK clearing files: one character they cannot hold stops a day.
      const hit = firstUnencodable(row.name, 'gbk');
      if (hit) {
        errors.push({
          column: 'name',
          reason: `character ${hit.position} "${hit.char}" (${hit.codePoint}) cannot be written to the GBK clearing files`,
        });
      }
    }
    for (const [k, max] of LIMIT_ENTRIES) {
      if (row[k] && row[k]!.length > max) errors.push({ column: k, reason: `longer than ${max} characters` });
    }
    if (row.email && !plausibleEmail(row.email))
      errors.push({ column: 'email', reason: `not an email address: ${row.email}` });
    if (row.contact_email && !plausibleEmail(row.contact_email))
      errors.push({ column: 'contact_email', reason: `not an email address: ${row.contact_email}` });
    if (row.phone && !plausiblePhone(row.phone))
      errors.push({ column: 'phone', reason: `not a phone number: ${row.phone}` });
    if (row.contact_phone && !plausiblePhone(row.contact_phone))
      errors.push({ column: 'contact_phone', reason: `not a phone number: ${row.contact_phone}` });
    let grade: string | undefined;
    if (row.grade) {
      grade = row.grade.toUpperCase();
      if (!(GRADES as readonly string[]).includes(grade))
        errors.push({ column: 'grade', reason: `grade must be A-E, not "${row.grade}"` });
    }
    let ownerId = defaultOwnerId;
    if (row.owner) {
      const u = users.get(row.owner);
      if (!u) errors.push({ column: 'owner', reason: `unknown user: ${row.owner}` });
      else if (!u.active) errors.push({ column: 'owner', reason: `user is disabled: ${row.owner}` });
      else ownerId = u.id;
    }
    if (row.parent_code && row.parent_code === code)
      errors.push({ column: 'parent_code', reason: 'a customer cannot be its own parent' });
    if (code) {
      const first = seen.get(code);
      if (first !== undefined)
        errors.push({ column: 'code', reason: `duplicate code ${code}: first at line ${first}` });
      else seen.set(code, line);
    }
    if (errors.length) {
      if (code && seen.get(code) === line) rejectedCodes.set(code, line);
      return { ok: false as const, errors };
    }
    return {
      ok: true as const,
      value: {
        code,
        name: row.name!,
        nameNorm: normName(row.name!),
        parentCode: v('parent_code'),
        industry: v('industry'),
        region: v('region'),
        address: v('address'),
        phone: v('phone'),
        email: v('email'),
        source: v('source'),
        ownerId,
        grade,
        contactName: v('contact_name'),
        contactPhone: v('contact_phone'),
        contactEmail: v('contact_email'),
        note: v('note'),
      },
    };
  };

  const rejectRow = (result: ChunkResult, r: Pending, reason: string, column = 'parent_code') => {
    (result.rejected as RejectedRow[]).push({ line: r.line, column, reason, raw: r.raw });
    // Its children must not be written either.
    if (r.value.code && !rejectedCodes.has(r.value.code)) rejectedCodes.set(r.value.code, r.line);
  };

  /** Write rows whose parent can be resolved; return the rest (to hold back) and what happened. */
  async function writeRows(
    w: WriteContext,
    rows: Pending[],
    final: boolean,
  ): Promise<ChunkResult & { held: Pending[] }> {
    const result: ChunkResult & { held: Pending[] } = {
      inserted: 0,
      updated: 0,
      unchanged: 0,
      rejected: [],
      warnings: [],
      held: [],
    };
    const now = w.svc.clock.now().toISOString();
    const store = await openCustomersImportStore(w.svc.db, { consecutiveIds, loadData: w.loadData });
    const found = await lookUp(w, store, rows);
    /** Lines written (or counted unchanged): only their duplicate warnings are reported. */
    const written = new Set<number>();
    let pending = rows;
    const pendingCodes = new Set(rows.map((r) => r.value.code));
    // Parents first: each round writes the rows whose parent is known by now (in the database or written by an
    // earlier round), until none is left or none can be written.
    for (;;) {
      const { ready, wait } = splitByParent(pending, pendingCodes, found.parentIds, final, result);
      if (ready.length === 0) {
        result.held.push(...wait);
        break;
      }
      const writes: RoundWrites = { inserts: [], ownerChanges: [], contactWrites: [] };
      for (const r of ready) {
        pendingCodes.delete(r.value.code);
        const ex = found.byCode.get(r.value.code);
        const outcome = ex
          ? await updateExisting(w, r, ex, found, writes, result, now)
          : addNew(w, store, r, found, writes, now);
        if (outcome === 'rejected') continue;
        written.add(r.line);
        result[outcome]++;
      }
      await writeRound(w, store, writes, found, now);
      pending = wait;
      if (pending.length === 0) break;
    }
    for (const d of found.dupWarnings) if (written.has(d.line)) result.warnings!.push(d);
    return result;
  }

  /** What a chunk needs from the database: existing rows by code, known parents, contacts, duplicate warnings. */
  async function lookUp(w: WriteContext, store: CustomersImportStore, rows: Pending[]): Promise<ChunkLookups> {
    const byCode = new Map<string, Existing>();
    // Only codes that may be in the database are looked up (none at all on a first import).
    const probe: string[] = [];
    for (const r of rows) if (known.codes.maybe(r.value.code)) probe.push(r.value.code);
    for (const f of await store.existing(probe)) byCode.set(f.code, f);
    // Parents: known rows by code (DB), filled as rows of this call are written.
    const parentIds = new Map<string, number>();
    const wantParents = new Set<string>();
    for (const r of rows) {
      const p = r.value.parentCode;
      if (p && known.codes.maybe(p)) wantParents.add(p);
    }
    for (const f of await store.byCodes([...wantParents]))
      if (f.status !== 'deleted') parentIds.set(f.code, Number(f.id));
    // Possible duplicates (name or phone of a different existing customer): warnings. A bulk load has dropped
    // the name and phone indexes: it finds them in one pass at the end (bulkDuplicateWarnings).
    const dupWarnings: LineError[] = [];
    if (!w.bulk) await duplicateWarnings(store, rows, dupWarnings, byCode, known);
    // Existing contacts of the existing customers named by rows with a contact.
    const contactRows = rows.filter((r) => r.value.contactName && byCode.has(r.value.code));
    const contacts = new Map<string, KnownContact>();
    const hasContacts = new Set<number>();
    for (const f of await store.contactsOf(contactRows.map((r) => Number(byCode.get(r.value.code)!.id)))) {
      hasContacts.add(Number(f.customer_id));
      contacts.set(contactKey(f.customer_id, f.name), { id: Number(f.id), phone: f.mobile ?? f.phone, email: f.email });
    }
    return { byCode, parentIds, contacts, hasContacts, dupWarnings };
  }

  /** The rows whose parent is known (ready), those that wait for a parent in this call; the rest held or rejected. */
  function splitByParent(
    pending: Pending[],
    pendingCodes: Set<string>,
    parentIds: Map<string, number>,
    final: boolean,
    result: ChunkResult & { held: Pending[] },
  ): { ready: Pending[]; wait: Pending[] } {
    const ready: Pending[] = [];
    const wait: Pending[] = [];
    for (const r of pending) {
      const p = r.value.parentCode;
      if (!p || parentIds.has(p)) ready.push(r);
      else if (pendingCodes.has(p) && !rejectedCodes.has(p)) wait.push(r);
      else if (rejectedCodes.has(p)) {
        rejectRow(result, r, `parent ${p} was rejected (line ${rejectedCodes.get(p)})`);
      } else if (final && !seen.has(p)) {
        rejectRow(result, r, `parent code ${p} is neither in the database nor in the file`);
      } else if (final) wait.push(r);
      else result.held.push(r); // the parent comes later in the file (or is held back itself)
    }
    return { ready, wait };
  }

  /**
   * A row for an existing customer: compare, update what differs (now) and queue its owner change and contact.
   * Rejected (deleted customer, cycle) rows go to `result` through rejectRow.
   */
  async function updateExisting(
    w: WriteContext,
    r: Pending,
    ex: Existing,
    found: ChunkLookups,
    writes: RoundWrites,
    result: ChunkResult,
    now: string,
  ): Promise<'updated' | 'unchanged' | 'rejected'> {
    const x = r.value;
    if (mode === 'create') {
      found.parentIds.set(x.code, Number(ex.id));
      return 'unchanged';
    }
    if (ex.status === 'deleted') {
      rejectRow(result, r, `customer ${x.code} was deleted; it cannot be imported again`);
      return 'rejected';
    }
    const patch = fieldPatch(ex, x);
    const parentId = x.parentCode ? found.parentIds.get(x.parentCode)! : undefined;
    if (parentId !== undefined && Number(ex.parent_id ?? 0) !== parentId) {
      if (await isAncestor(w.svc.db, Number(ex.id), parentId)) {
        rejectRow(result, r, `cycle: ${x.parentCode} is below ${x.code} in the organisation tree`, 'parent_code');
        return 'rejected';
      }
      patch.parent_id = parentId;
    }
    const ownerChanged = x.ownerId !== undefined && Number(ex.owner_id ?? 0) !== x.ownerId;
    if (ownerChanged) {
      patch.owner_id = x.ownerId;
      patch.owned_since = now;
    }
    const contactChanged = x.contactName
      ? contactDiffers(found.contacts.get(contactKey(ex.id, x.contactName)), x)
      : false;
    found.parentIds.set(x.code, Number(ex.id));
    if (Object.keys(patch).length === 0 && !contactChanged) return 'unchanged';
    if (Object.keys(patch).length) {
      await w.svc
        .db('customers')
        .where({ id: ex.id })
        .update({ ...patch, updated_at: now, import_batch_id: w.batchId });
    }
    if (ownerChanged) writes.ownerChanges.push([x.code, ex.owner_id == null ? null : Number(ex.owner_id), x.ownerId!]);
    if (contactChanged) writes.contactWrites.push(r);
    return 'updated';
  }

  /** The columns of `ex` a row changes (empty cells keep what is there), with their normalised forms. */
  function fieldPatch(ex: Existing, x: CustomerImportRow): Record<string, unknown> {
    const patch: Record<string, unknown> = {};
    for (const [k, col] of FIELDS) {
      const val = x[k];
      if (val !== undefined && String(ex[col] ?? '') !== String(val)) patch[col] = val;
    }
    if (patch.name !== undefined) {
      patch.name_norm = normName(String(patch.name));
      known.names.add(patch.name_norm as string);
    }
    if (patch.phone !== undefined) {
      patch.phone_norm = normPhone(String(patch.phone));
      if (patch.phone_norm) known.phones.add(patch.phone_norm as string);
    }
    if (patch.grade !== undefined) patch.grade_manual = true;
    return patch;
  }

  /** A row for a new customer: queue its insert (and its owner's history and contact). */
  function addNew(
    w: WriteContext,
    store: CustomersImportStore,
    r: Pending,
    found: ChunkLookups,
    writes: RoundWrites,
    now: string,
  ): 'inserted' | 'unchanged' {
    if (mode === 'update') return 'unchanged';
    const x = r.value;
    const parentId = x.parentCode ? found.parentIds.get(x.parentCode)! : undefined;
    writes.inserts.push({
      code: x.code,
      name: x.name,
      name_norm: x.nameNorm ?? normName(x.name),
      kind: 'company',
      parent_id: parentId ?? null,
      industry: x.industry ?? null,
      region: x.region ?? null,
      address: x.address ?? null,
      phone: x.phone ?? null,
      phone_norm: normPhone(x.phone),
      email: x.email ?? null,
      source: x.source ?? null,
      grade: x.grade ?? null,
      grade_manual: Boolean(x.grade),
      owner_id: x.ownerId ?? null,
      owned_since: x.ownerId ? now : null,
      status: 'active',
      deal_status: 'none',
      note: x.note ?? null,
      import_batch_id: w.batchId,
      created_by: w.svc.actor.id > 0 ? w.svc.actor.id : null,
      created_at: now,
      updated_at: now,
    });
    // New customers' history is written by one INSERT … SELECT where the store can (see insertCustomers).
    if (x.ownerId && !store.historyOfInserts) writes.ownerChanges.push([x.code, null, x.ownerId]);
    if (x.contactName) writes.contactWrites.push(r);
    return 'inserted';
  }

  /** One round's writes: the new customers, then the ownership history and the contacts of its rows. */
  async function writeRound(
    w: WriteContext,
    store: CustomersImportStore,
    writes: RoundWrites,
    found: ChunkLookups,
    now: string,
  ): Promise<void> {
    const by = w.svc.actor.id > 0 ? w.svc.actor.id : null;
    const reason = `import ${w.batchId}`;
    const ids = await store.insertCustomers(writes.inserts, { reason, at: now, by });
    for (const r of writes.inserts) {
      known.codes.add(r.code as string);
      known.names.add(r.name_norm as string);
      if (r.phone_norm) known.phones.add(r.phone_norm as string);
    }
    for (const [code, id] of ids) found.parentIds.set(code, id);
    const history = writes.ownerChanges.map(([code, from, to]) => ({
      customer_id: found.parentIds.get(code)!,
      from_user_id: from,
      to_user_id: to,
      action: 'import',
      reason,
      at: now,
      by_user_id: by,
    }));
    await store.insertMany('ownership_history', history);
    const newContacts: Record<string, unknown>[] = [];
    for (const r of writes.contactWrites) {
      const x = r.value;
      const id = found.parentIds.get(x.code)!;
      const existing = found.contacts.get(contactKey(id, x.contactName!));
      if (existing) {
        await w.svc
          .db('contacts')
          .where({ id: existing.id })
          .update({
            ...(x.contactPhone !== undefined ? { mobile: x.contactPhone } : {}),
            ...(x.contactEmail !== undefined ? { email: x.contactEmail } : {}),
            updated_at: now,
          });
      } else {
        newContacts.push({
          customer_id: id,
          name: x.contactName,
          mobile: x.contactPhone ?? null,
          email: x.contactEmail ?? null,
          is_primary: !found.hasContacts.has(id),
          created_at: now,
          updated_at: now,
        });
        found.hasContacts.add(id);
      }
    }
    await store.insertMany('contacts', newContacts);
  }

  return {
    kind: 'customers',
    columns: CUSTOMER_COLUMNS,
    chunkSize: 2500,
    sqliteChunkSize: 2000,
    sqliteCommitRows: 100_000,
    async begin(svc, info) {
      // A little over the estimate (rows vary in length), capped: a wrong guess only costs a doubling later.
      seen.reserve(Math.min(Math.ceil((info?.estimatedRows ?? 0) * 1.05), 20_000_000));
      known = await loadKnownValues(svc.db);
      nameEncoding = await svc.settings.get<ClearingEncoding>('settlement.fileEncoding');
      consecutiveIds = await hasConsecutiveIds(svc.db);
      bigFile = (info?.estimatedRows ?? 0) > 2 * known.rows;
      const all: { id: number; name: string; status: string }[] = await svc.db('users').select('id', 'name', 'status');
      for (const u of all) users.set(u.name, { id: Number(u.id), active: u.status === 'active' });
      if (opts.defaultOwner) {
        const u = users.get(opts.defaultOwner);
        if (!u?.active) {
          throw new CrmError(
            'E3120',
            {
              zh: `--owner 用户不存在或已停用：${opts.defaultOwner}`,
              en: `--owner: no such active user: ${opts.defaultOwner}`,
            },
            ExitCode.usage,
          );
        }
        defaultOwnerId = u.id;
      }
    },
    bulkLoad() {
      // The same file (more than twice the size of the table, decided in begin) is loaded in bulk on SQLite:
      // rebuilding the secondary indexes once, sorted, costs far less than inserting each row at a random place
      // of each of them.
      return bigFile;
    },
    validate,
    async writeChunk(w, rows) {
      if (w.bulk && !dropped) dropped = await dropSecondaryIndexes(w.svc.db);
      // Rows whose parent is itself held back wait too.
      const now: Pending[] = [];
      for (const r of rows) {
        if (r.value.parentCode && deferredCodes.has(r.value.parentCode)) {
          held.add(r);
          deferredCodes.set(r.value.code, r.line);
        } else now.push(r);
      }
      const res = await writeRows(w, now, false);
      for (const r of res.held) {
        held.add(r);
        deferredCodes.set(r.value.code, r.line);
      }
      return res;
    },
    async finish(w) {
      const total: ChunkResult = { inserted: 0, updated: 0, unchanged: 0, rejected: [], warnings: [] };
      // Write held-back rows as their parents appear (read back from disk a chunk at a time); what is left
      // is a cycle or hangs below one.
      for (let round = 0; held.count && round < 10_000; round++) {
        const next = new RowSpill<Pending>();
        let progress = false;
        for (const batch of held.batches(2000)) {
          const res = await writeRows(w, batch, true);
          total.inserted += res.inserted;
          total.updated += res.updated;
          total.unchanged += res.unchanged;
          total.rejected!.push(...res.rejected!);
          total.warnings!.push(...res.warnings!);
          if (res.held.length < batch.length) progress = true;
          for (const r of res.held) next.add(r);
        }
        held = next;
        if (!progress) break;
      }
      const deferred: Pending[] = [];
      for (const batch of held.batches(10_000)) deferred.push(...batch);
      const left = new Map(deferred.map((r) => [r.value.code, r]));
      for (const r of deferred) {
        const chain = [r.value.code];
        let cur = r.value.parentCode;
        let inCycle = false;
        while (cur && left.has(cur) && chain.length < 1000) {
          if (cur === r.value.code) {
            inCycle = true;
            break;
          }
          if (chain.includes(cur)) break;
          chain.push(cur);
          cur = left.get(cur)!.value.parentCode;
        }
        const reason = inCycle
          ? `cycle in the organisation tree: ${[...chain, r.value.code].join(' → ')}`
          : `parent ${r.value.parentCode} is in a cycle or was rejected`;
        total.rejected!.push({ line: r.line, column: 'parent_code', reason, raw: r.raw });
      }
      // A bulk load that wrote rows: its indexes back, then its duplicate pass (SQLite only: on MariaDB a GROUP BY
      // over the whole name index reads far more than a small buffer pool holds, so it keeps the per-chunk lookups).
      if (dropped) {
        await rebuildIndexes(w.svc.db, dropped);
        dropped = null;
        total.warnings!.push(...(await bulkDuplicateWarnings(w.svc.db, w.batchId, seen)));
      }
      return total;
    },
  };
}

function contactDiffers(
  existing: { phone: string | null; email: string | null } | undefined,
  x: CustomerImportRow,
): boolean {
  if (!existing) return true;
  if (x.contactPhone !== undefined && (existing.phone ?? '') !== x.contactPhone) return true;
  if (x.contactEmail !== undefined && (existing.email ?? '') !== x.contactEmail) return true;
  return false;
}

async function isAncestor(db: Knex, id: number, of: number): Promise<boolean> {
  let cur: number | null = of;
  for (let depth = 0; cur != null && depth < 64; depth++) {
    if (cur === id) return true;
    const row: { parent_id: number | null } | undefined = await db('customers').where({ id: cur }).first('parent_id');
    cur = row?.parent_id == null ? null : Number(row.parent_id);
  }
  return false;
}

/**
 * Warn about rows whose name or phone another (not deleted) customer already has, or an earlier row of the same
 * chunk: one warning per row and column, naming the first such customer. Only values the sketches say may be
 * taken by some other customer are looked up: a count of 0, or of 1 when the row's own existing record carries
 * the same value, means there is nobody else (the counts never undercount).
 */
async function duplicateWarnings(
  store: CustomersImportStore,
  rows: Pending[],
  out: LineError[],
  byCode: Map<string, Existing>,
  known: KnownValues,
): Promise<void> {
  const names = new Map<string, Pending[]>();
  const phones = new Map<string, Pending[]>();
  /** The first row of the chunk with each value: later rows with it are duplicates of that row. */
  const firstName = new Map<string, string>();
  const firstPhone = new Map<string, string>();
  const inChunk = new Map<Pending, [string | undefined, string | undefined]>();
  for (const r of rows) {
    const n = r.value.nameNorm ?? normName(r.value.name);
    const ex = byCode.get(r.value.code);
    const nameCount = known.names.count(n);
    if (nameCount > (ex && ex.status !== 'deleted' && ex.name === r.value.name ? 1 : 0)) {
      const byName = names.get(n);
      if (byName) byName.push(r);
      else names.set(n, [r]);
    }
    const p = normPhone(r.value.phone);
    if (p && known.phones.count(p) > (ex && ex.status !== 'deleted' && ex.phone === r.value.phone ? 1 : 0)) {
      const byPhone = phones.get(p);
      if (byPhone) byPhone.push(r);
      else phones.set(p, [r]);
    }
    const sameName = firstName.get(n);
    if (sameName === undefined) firstName.set(n, r.value.code);
    const samePhone = p ? firstPhone.get(p) : undefined;
    if (p && samePhone === undefined) firstPhone.set(p, r.value.code);
    if (sameName !== undefined || samePhone !== undefined) inChunk.set(r, [sameName, samePhone]);
  }
  const warned = new Set<string>();
  const warn = (r: Pending, what: 'name' | 'phone', code: string) => {
    const id = `${r.line}:${what}`;
    if (code === r.value.code || warned.has(id)) return;
    warned.add(id);
    out.push({ line: r.line, column: what, reason: `possible duplicate of customer ${code} (same ${what})` });
  };
  if (names.size || phones.size) {
    for (const h of await store.sameNameOrPhone([...names.keys()], [...phones.keys()])) {
      for (const r of (h.name_norm ? names.get(h.name_norm) : undefined) ?? []) warn(r, 'name', h.code);
      for (const r of (h.phone_norm ? phones.get(h.phone_norm) : undefined) ?? []) warn(r, 'phone', h.code);
    }
  }
  for (const [r, [sameName, samePhone]] of inChunk) {
    if (sameName !== undefined) warn(r, 'name', sameName);
    if (samePhone !== undefined) warn(r, 'phone', samePhone);
  }
  out.sort((a, b) => a.line - b.line || (a.column < b.column ? -1 : 1));
}

/**
 * A bulk load's duplicate warnings, found in one pass over the rebuilt name and phone indexes: a customer this
 * import wrote whose name (or phone) another customer that is not deleted also has, and that was there before or
 * came earlier in the file, gets one warning naming the first such customer.
 */
async function bulkDuplicateWarnings(db: Knex, batchId: string, seen: CodeLines): Promise<LineError[]> {
  const out: LineError[] = [];
  for (const [col, what] of [
    ['name_norm', 'name'],
    ['phone_norm', 'phone'],
  ] as const) {
    // The values two or more customers share, from the index alone; then only their members are read, by index.
    const values: string[] = (
      await db('customers').whereNotNull(col).groupBy(col).havingRaw('count(*) > 1').select({ v: col })
    ).map((r: { v: string }) => r.v);
    const members: { id: number; code: string; value: string; batch: string | null; status: string }[] = [];
    for (const part of slices(values, 200)) {
      members.push(
        ...(await db('customers')
          .whereIn(col, part)
          .select('id', 'code', { value: col }, { batch: 'import_batch_id' }, 'status')),
      );
    }
    members.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : Number(a.id) - Number(b.id)));
    const live = members.filter((m) => m.status !== 'deleted');
    for (let start = 0; start < live.length; ) {
      let end = start + 1;
      while (end < live.length && live[end]!.value === live[start]!.value) end++;
      for (let i = start; i < end; i++) {
        const c = live[i]!;
        if (c.batch !== batchId) continue;
        // The first other customer that is not a later row of this file.
        for (let j = start; j < end; j++) {
          const o = live[j]!;
          if (j === i || (o.batch === batchId && j > i)) continue;
          const line = seen.get(c.code);
          if (line !== undefined)
            out.push({ line, column: what, reason: `possible duplicate of customer ${o.code} (same ${what})` });
          break;
        }
      }
      start = end;
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

/**
 * How many rows may carry a value: a saturating count per hash bucket (4 MiB, whatever the number of rows).
 * Counts only grow, so they never undercount: 0 means "certainly nobody"; anything else is checked in the
 * database.
 */
export class CountSketch {
  private readonly counts = new Uint8Array(1 << 22);
  add(value: string): void {
    const i = hash1(value) & (this.counts.length - 1);
    if (this.counts[i]! < 255) this.counts[i]!++;
  }

  count(value: string): number {
    return this.counts[hash1(value) & (this.counts.length - 1)]!;
  }

  maybe(value: string): boolean {
    return this.count(value) > 0;
  }
}

/** Codes, normalised names and phones of the customers in the database (names and phones: at least those not deleted). */
export interface KnownValues {
  codes: CountSketch;
  names: CountSketch;
  phones: CountSketch;
  /** Customers in the database (deleted ones too). */
  rows: number;
}

/** Every customer's code, name and phone, read once into sketches. */
async function loadKnownValues(db: Knex): Promise<KnownValues> {
  const codes = new CountSketch();
  const names = new CountSketch();
  const phones = new CountSketch();
  const rows = await scanCustomerKeys(db, {
    code: (v) => codes.add(v),
    name: (v) => names.add(v),
    phone: (v) => phones.add(v),
  });
  return { codes, names, phones, rows };
}

function hash1(s: string): number {
  let a = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) a = Math.imul(a ^ s.charCodeAt(i), 0x01000193);
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  return a >>> 0;
}

/**
 * Code → line, without keeping the codes: two independent 32-bit hashes per code in an open-addressing table
 * (12 bytes a slot). A false match needs both hashes of two different codes to collide (about 1 in 2^64 per
 * pair: ~3e-8 for a file of a million codes).
 */
export class CodeLines {
  private h1 = new Int32Array(1024);
  private h2 = new Int32Array(1024);
  private lines = new Int32Array(1024); // 0 = empty slot
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(code: string): number | undefined {
    const [a, b] = hashes(code);
    const cap = this.lines.length;
    for (let i = (a >>> 0) % cap; ; i = i + 1 === cap ? 0 : i + 1) {
      const line = this.lines[i]!;
      if (line === 0) return undefined;
      if (this.h1[i] === a && this.h2[i] === b) return line;
    }
  }

  has(code: string): boolean {
    return this.get(code) !== undefined;
  }

  /** Record code at line (line ≥ 1); an existing code keeps its line unless `replace`. */
  set(code: string, line: number, replace = true): void {
    // Up to 85% full (linear probing stays short enough for integer compares); then twice the size.
    if ((this.count + 1) * 20 > this.lines.length * 17) this.resize(this.lines.length * 2);
    const [a, b] = hashes(code);
    this.put(a, b, line, replace);
  }

  private put(a: number, b: number, line: number, replace: boolean): void {
    const cap = this.lines.length;
    for (let i = (a >>> 0) % cap; ; i = i + 1 === cap ? 0 : i + 1) {
      if (this.lines[i] === 0) {
        this.h1[i] = a;
        this.h2[i] = b;
        this.lines[i] = line;
        this.count++;
        return;
      }
      if (this.h1[i] === a && this.h2[i] === b) {
        if (replace) this.lines[i] = line;
        return;
      }
    }
  }

  /**
   * Make room for `n` codes at once, 80% full: no doubling later (a doubling holds the old and the new table
   * together, and leaves a table up to twice as large as needed).
   */
  reserve(n: number): void {
    const size = Math.ceil((n * 5) / 4);
    if (size > this.lines.length) this.resize(size);
  }

  private resize(size: number): void {
    const { h1, h2, lines } = this;
    this.h1 = new Int32Array(size);
    this.h2 = new Int32Array(size);
    this.lines = new Int32Array(size);
    this.count = 0;
    for (let i = 0; i < lines.length; i++) if (lines[i] !== 0) this.put(h1[i]!, h2[i]!, lines[i]!, true);
  }
}

/** FNV-1a and a murmur-style mix over the UTF-16 code units, both 32-bit. */
function hashes(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b = Math.imul(b ^ (b >>> 15), 0xc2b2ae35);
  b ^= b >>> 16;
  return [a | 0, b | 0];
}

/** The options of `crm customers import`: the engine's, and the default owner (`--owner`). */
export interface CustomersImportOptions extends ImportOptions {
  defaultOwner?: string;
}

const MODES: readonly string[] = ['upsert', 'create', 'update'] satisfies ImportMode[];

/**
 * The checks of a customers import (admins only; a known mode, default upsert) and the spec they give; the owner
 * is checked when the import begins. Every caller goes through here: importCustomers, and the command while it
 * hands a spec to runImportCommand.
 */
export function prepareCustomersImport(
  svc: ServiceContext,
  opts: Pick<CustomersImportOptions, 'mode' | 'defaultOwner'>,
): { spec: ImportSpec<CustomerImportRow>; mode: ImportMode } {
  requireCapability(svc.actor, 'crm.admin', { zh: '批量导入客户', en: 'bulk-import customers' });
  const mode = opts.mode ?? 'upsert';
  if (!MODES.includes(mode)) {
    throw new CrmError(
      'E3121',
      { zh: `未知的导入模式：${mode}`, en: `unknown import mode: ${mode} (upsert, create or update)` },
      ExitCode.usage,
    );
  }
  const known = mode as ImportMode;
  return { spec: customersImportSpec({ mode: known, defaultOwner: opts.defaultOwner }), mode: known };
}

/** `crm customers import`: the one entry point (the command and the tests). */
export const importCustomers: ImportEntry<CustomersImportOptions> = async (svc, opts) => {
  const { spec, mode } = prepareCustomersImport(svc, opts);
  return runImport(svc, spec, { ...opts, mode });
};
