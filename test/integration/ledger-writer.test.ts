import { beforeAll, expect, it } from 'vitest';
import { openLedgerWriter } from '../../src/db/ledger-writer.js';
import { sqliteStatements } from '../../src/services/settlement/ledger.js';
import { describeEachDb } from '../support/db.js';

const TABLE = 'ledger_writer_probe';
const COLUMNS = ['id', 'name', 'amount_fen'] as const;

/** 123 rows: two full SQLite statements of 50 and a rest; names that LOAD DATA must escape, and NULLs. */
const ROWS = Array.from({ length: 123 }, (_, i) => [
  i + 1,
  i % 10 === 0 ? null : `单位 ${i}\t\\ "${i}"\n`,
  (i + 1) * 1_000_001,
]);

describeEachDb('ledger bulk writer', (h) => {
  beforeAll(async () => {
    await h.db().schema.createTable(TABLE, (t) => {
      t.integer('id').primary();
      t.string('name', 40).nullable();
      t.bigInteger('amount_fen').notNullable();
    });
  });

  const writeAll = async (useStatements: boolean) => {
    await h.db()(TABLE).delete();
    await h.db().transaction(async (trx) => {
      const writer = await openLedgerWriter(trx, TABLE, COLUMNS, useStatements ? await sqliteStatements(trx) : null);
      for (const row of ROWS) {
        row.forEach((v, i) => {
          writer.params[writer.at + i] = v;
        });
        writer.rowWritten();
      }
      await writer.end();
    });
    const got = await h
      .db()(TABLE)
      .orderBy('id')
      .select(...COLUMNS);
    return got.map((r: Record<string, unknown>) => [Number(r.id), r.name, Number(r.amount_fen)]);
  };

  it('writes every row exactly (SQLite: prepared multi-row INSERTs; MariaDB: LOAD DATA)', async () => {
    expect(await writeAll(true)).toEqual(ROWS);
  });

  it('writes every row exactly without the SQLite connection (SQLite: knex inserts; MariaDB: LOAD DATA)', async () => {
    expect(await writeAll(false)).toEqual(ROWS);
  });
});
