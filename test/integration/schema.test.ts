import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { dialectOf } from '../../src/db/connection.js';
import { migrateLatest, migrationStatus } from '../../src/db/migrate.js';
import { ROOT } from '../support/cli.js';
import { describeEachDb } from '../support/db.js';

/** Tables and columns as declared in docs/data-model.md (`### \`table\`` headings followed by a column table). */
function declaredSchema(): Map<string, string[]> {
  const text = fs.readFileSync(path.join(ROOT, 'docs', 'data-model.md'), 'utf8');
  const tables = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of text.split('\n')) {
    const heading = /^### `(\w+)`/.exec(line);
    if (heading) {
      current = [];
      tables.set(heading[1]!, current);
      continue;
    }
    const row = /^\| (\w+) \|/.exec(line);
    if (current && row && row[1] !== 'column') current.push(row[1]!);
  }
  return tables;
}

describeEachDb('schema', (h) => {
  it('migrations from empty equal the declared schema', async () => {
    const db = h.db();
    const declared = declaredSchema();
    expect(declared.size).toBeGreaterThan(20);
    const actual = new Map<string, string[]>();
    if (dialectOf(db) === 'sqlite') {
      const tables: { name: string }[] = await db.raw(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'knex_%'",
      );
      for (const { name } of tables) {
        const cols: { name: string }[] = await db.raw(`pragma table_info(${name})`);
        actual.set(
          name,
          cols.map((c) => c.name),
        );
      }
    } else {
      const [rows] = await db.raw(
        "select table_name as t, column_name as c from information_schema.columns where table_schema = database() and table_name not like 'knex\\_%' order by table_name, ordinal_position",
      );
      for (const r of rows as { t: string; c: string }[]) actual.set(r.t, [...(actual.get(r.t) ?? []), r.c]);
    }
    expect([...actual.keys()].sort()).toEqual([...declared.keys()].sort());
    for (const [table, columns] of declared) {
      expect(actual.get(table), `columns of ${table}`).toEqual(columns);
    }
  });

  it('migrate again changes nothing', async () => {
    const db = h.db();
    const before = await migrationStatus(db);
    expect(before.every((m) => m.applied)).toBe(true);
    expect(await migrateLatest(db)).toEqual([]);
    expect(await migrationStatus(db)).toEqual(before);
  });

  it('business keys are unique', async () => {
    const db = h.db();
    const now = new Date().toISOString();
    await db('customers').insert({ code: 'U1', name: 'A', name_norm: 'a', created_at: now, updated_at: now });
    await expect(
      db('customers').insert({ code: 'U1', name: 'B', name_norm: 'b', created_at: now, updated_at: now }),
    ).rejects.toThrow();
    await db('job_runs').insert({
      job: 'cutoff',
      business_date: '2026-11-23',
      state: 'completed',
      trigger: 'manual',
      started_at: now,
    });
    await expect(
      db('job_runs').insert({
        job: 'cutoff',
        business_date: '2026-11-23',
        state: 'running',
        trigger: 'manual',
        started_at: now,
      }),
    ).rejects.toThrow();
  });

  it('money columns hold amounts beyond 2^31 fen exactly', async () => {
    const db = h.db();
    const now = new Date().toISOString();
    const [cid] = await db('customers').insert({
      code: 'BIG',
      name: 'Big',
      name_norm: 'big',
      created_at: now,
      updated_at: now,
    });
    const big = 9_007_199_254_740_991; // Number.MAX_SAFE_INTEGER fen
    await db('settlement_transactions').insert({
      ref: 'R-BIG',
      kind: 'payment',
      amount_fen: big,
      customer_id: cid,
      unit_code: 'BIG',
      unit_name: 'Big',
      account_class: '其他',
      occurred_at: now,
      business_date: '2026-11-23',
      source: 'feed',
      content_hash: 'x',
      created_at: now,
    });
    const row = await db('settlement_transactions').where({ ref: 'R-BIG' }).first('amount_fen');
    expect(String(row.amount_fen)).toBe(String(big));
  });
});
