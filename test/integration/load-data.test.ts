import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerLines } from '../../fixtures/gen-customers.js';
import { DUPLICATE_LOOKUP_VALUES } from '../../src/db/customers-import-store.js';
import { loadDataAvailable, loadRows, offeredFile, refuseLoadData } from '../../src/db/load-data.js';
import { importCustomers } from '../../src/services/customers/import.js';
import { importFeed } from '../../src/services/settlement/index.js';
import { describeEachDb } from '../support/db.js';
import { addCustomer } from './settlement-support.js';

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Buffer));
  return Buffer.concat(parts).toString('utf8');
}

it('offers its rows only under its own name, escaped for LOAD DATA', async () => {
  const factory = offeredFile('crm-load-x.tsv', [
    ['a\tb', null, 3, true],
    ['back\\slash\nnew\rline\0nul', '\\N', 0, false],
  ]);
  expect(await text(factory('crm-load-x.tsv'))).toBe(
    'a\\tb\t\\N\t3\t1\nback\\\\slash\\nnew\\rline\\0nul\t\\\\N\t0\t0\n',
  );
  // A server asking for any other file (a hostile one could ask for /etc/passwd) gets an error, not a file.
  await expect(text(factory('/etc/passwd'))).rejects.toThrow(/only "crm-load-x.tsv" is offered/);
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-load-data-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeEachDb('LOAD DATA bulk loads', (h) => {
  it('is used on MariaDB with local_infile on, never on SQLite', async () => {
    expect(await loadDataAvailable(h.db())).toBe(h.name === 'mysql');
    expect(await loadDataAvailable(h.db(), { enabled: false })).toBe(false);
    // Turned off on one transaction (as the feed does for the ledger's poster): off there only.
    await h.db().transaction(async (trx) => {
      refuseLoadData(trx);
      expect(await loadDataAvailable(trx)).toBe(false);
      expect(await loadDataAvailable(h.db())).toBe(h.name === 'mysql');
    });
  });

  describe.skipIf(h.name !== 'mysql')('on MariaDB (SQLite has no LOAD DATA: skipped there)', () => {
    beforeAll(async () => {
      await h.db().raw('DROP TABLE IF EXISTS load_probe');
      await h
        .db()
        .raw(
          'CREATE TABLE load_probe (id INT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(20) NOT NULL UNIQUE, v TEXT NULL, n BIGINT NULL, b TINYINT NOT NULL DEFAULT 0) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
        );
    });

    it('stores every value as sent: separators, backslashes, NUL, NULL, the text \\N, Chinese and emoji, big integers', async () => {
      const db = h.db();
      const values: [string, string | null, number | null, boolean][] = [
        ['t1', 'tab\there', 1, true],
        ['t2', 'line\nbreak\r\nand CR', -2, false],
        ['t3', 'back\\slash \\N \\t', 9007199254740991, true],
        ['t4', null, null, false],
        ['t5', '\\N', 0, false],
        ['t6', '财政局 "总部", 第二处 😀', 123456789012, true],
        ['t7', 'nul\0inside', 7, false],
        ['t8', '', 8, true],
      ];
      const r = await db.transaction((trx) =>
        loadRows(trx, 'load_probe', ['k', 'v', 'n', 'b'], values, { firstId: true }),
      );
      expect(r.affected).toBe(values.length);
      const back = await db('load_probe')
        .whereIn(
          'k',
          values.map((v) => v[0]),
        )
        .orderBy('id')
        .select();
      expect(back.map((x) => [x.k, x.v, x.n == null ? null : Number(x.n), Boolean(x.b)])).toEqual(values);
      // The rows of one load take consecutive ids from the first (InnoDB lock mode 1 here).
      expect(back.map((x) => x.id)).toEqual(values.map((_, i) => r.firstId + i));
    });

    it('a duplicate key throws (LOCAL would skip it silently) and the transaction rolls back', async () => {
      const db = h.db();
      const before = await db('load_probe').count({ n: '*' }).first();
      await expect(
        db.transaction((trx) =>
          loadRows(
            trx,
            'load_probe',
            ['k', 'v'],
            [
              ['d1', 'new'],
              ['t1', 'already there'],
            ],
          ),
        ),
      ).rejects.toMatchObject({
        code: 'E1310',
        exitCode: 5,
        message: expect.stringMatching(/1 \/ 2 rows stored.*Duplicate/),
      });
      expect(await db('load_probe').count({ n: '*' }).first()).toEqual(before);
      expect(await db('load_probe').where({ k: 'd1' }).first()).toBeUndefined();
    });

    it('a value the column cannot take throws instead of being truncated', async () => {
      await expect(loadRows(h.db(), 'load_probe', ['k'], [['x'.repeat(30)]])).rejects.toMatchObject({ code: 'E1310' });
    });

    it('a customers import gives the same customers, parents, history and contacts with LOAD DATA as with INSERTs', async () => {
      const file = path.join(dir, 'customers.csv');
      const lines = [...customerLines({ rows: 3000, seed: 7, owners: ['bob', 'carol'] })].flat();
      // A contact column too, so the contacts table is loaded as well.
      const csv = lines.map((line, i) => (i === 0 ? `${line},contact_name` : `${line},联系人${i % 3 === 0 ? i : ''}`));
      fs.writeFileSync(file, `${csv.join('\n')}\n`);
      const db = h.db();
      await h.addUser('bob', 'sales');
      await h.addUser('carol', 'manager');
      const snapshot = async () => {
        const customers = await db('customers as c')
          .leftJoin('customers as p', 'p.id', 'c.parent_id')
          .select(
            'c.code',
            'c.name',
            'c.name_norm',
            'c.phone_norm',
            'c.grade',
            'c.grade_manual',
            'c.owner_id',
            'p.code as parent',
          )
          .orderBy('c.code');
        const history = await db('ownership_history as h')
          .join('customers as c', 'c.id', 'h.customer_id')
          .select('c.code', 'h.to_user_id', 'h.action')
          .orderBy('c.code');
        const contacts = await db('contacts as k')
          .join('customers as c', 'c.id', 'k.customer_id')
          .select('c.code', 'k.name', 'k.is_primary')
          .orderBy('c.code');
        return { customers, history, contacts };
      };
      const wipe = async () => {
        await db.raw('SET FOREIGN_KEY_CHECKS = 0');
        for (const t of ['contacts', 'ownership_history', 'customers']) await db(t).del();
        await db.raw('SET FOREIGN_KEY_CHECKS = 1');
      };
      await wipe();
      const loaded = await importCustomers(await h.as(), { file });
      const withLoad = await snapshot();
      await wipe();
      const inserted = await importCustomers(await h.as(), { file, loadData: false });
      const withInserts = await snapshot();
      expect(loaded.inserted).toBeGreaterThan(2900);
      expect({ ...loaded, batchId: '', warningDetails: [] }).toMatchObject({
        ...inserted,
        batchId: '',
        warningDetails: [],
      });
      expect(withLoad.customers.length).toBe(loaded.inserted);
      expect(withLoad.customers.filter((c) => c.parent).length).toBeGreaterThan(50);
      expect(withLoad.history.length).toBeGreaterThan(1000);
      expect(withLoad.contacts.length).toBeGreaterThan(500);
      expect(withLoad).toEqual(withInserts);
    });

    it('the duplicate-name/phone lookups stay below the index-dive limit and read the index, not the table', async () => {
      const db = h.db();
      const [[limit]] = (await db.raw('SELECT @@eq_range_index_dive_limit AS n')) as [[{ n: number }]];
      expect(DUPLICATE_LOOKUP_VALUES).toBeLessThan(Number(limit!.n));
      const names: string[] = await db('customers')
        .distinct('name_norm')
        .limit(DUPLICATE_LOOKUP_VALUES)
        .pluck('name_norm');
      expect(names.length).toBe(DUPLICATE_LOOKUP_VALUES);
      const sql = db('customers')
        .whereIn('name_norm', names)
        .select('code', 'name_norm', 'phone_norm', 'status')
        .toSQL();
      const [plan] = (await db.raw(`EXPLAIN ${sql.sql}`, sql.bindings as unknown[])) as [
        { type: string; key: string }[],
      ];
      expect(plan[0]).toMatchObject({ type: 'range', key: 'customers_name_norm_index' });
    });

    it('a bank feed gives the same transactions with LOAD DATA as with INSERTs', async () => {
      const db = h.db();
      const top = await addCustomer(db, '620000', '甘肃省财政厅');
      await addCustomer(db, '620100', '兰州市财政局', top);
      const lines = ['ref,occurred_at,customer,kind,amount,account_class,payer_account,memo'];
      for (let i = 0; i < 3000; i++) {
        const memo = i % 7 === 0 ? '"差旅费, 含\t制表符与\\反斜杠"' : i % 5 === 0 ? '' : `办公费${i}`;
        lines.push(
          `L-${String(i).padStart(5, '0')},2026-11-20 ${String(9 + (i % 6)).padStart(2, '0')}:00:00,${i % 2 ? '620100' : '620000'},` +
            `${i % 10 ? 'payment' : 'refund'},${(i + 1) * 3}.${String(i % 100).padStart(2, '0')},其他,${i % 3 ? `6222${i}` : ''},${memo}`,
        );
      }
      const file = path.join(dir, 'feed.csv');
      fs.writeFileSync(file, `${lines.join('\n')}\n`);
      const snapshot = () =>
        db('settlement_transactions')
          .where('ref', 'like', 'L-%')
          .orderBy('ref')
          .select(
            'ref',
            'kind',
            'amount_fen',
            'customer_id',
            'unit_code',
            'unit_name',
            'payer_account',
            'memo',
            'occurred_at',
            'business_date',
            'late',
            'content_hash',
            'clearing_status',
          );
      const loaded = await importFeed(await h.as(), { file });
      const withLoad = await snapshot();
      await db('settlement_transactions').where('ref', 'like', 'L-%').del();
      const inserted = await importFeed(await h.as(), { file, loadData: false });
      const withInserts = await snapshot();
      expect([loaded.inserted, loaded.rejected]).toEqual([3000, 0]);
      expect([inserted.inserted, inserted.rejected]).toEqual([3000, 0]);
      expect(withLoad.filter((t) => String(t.memo).includes('\t')).length).toBeGreaterThan(400);
      expect(withLoad.every((t) => t.unit_code === '620000')).toBe(true);
      expect(withLoad).toEqual(withInserts);
    });
  });
});
