import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importCustomers } from '../../src/services/customers/import.js';
import { isolatedEnv, ROOT, runCli, TEST_BIN } from '../support/cli.js';
import { describeEachDb } from '../support/db.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-cust-import-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: string | Buffer): string {
  n++;
  const f = path.join(dir, `f${n}.csv`);
  fs.writeFileSync(f, content);
  return f;
}

async function state(db: import('knex').Knex) {
  const rows = await db('customers as c')
    .leftJoin('customers as p', 'p.id', 'c.parent_id')
    .leftJoin('users as u', 'u.id', 'c.owner_id')
    .select('c.code', 'c.name', 'p.code as parent', 'u.name as owner', 'c.phone', 'c.grade')
    .orderBy('c.code');
  const contacts = await db('contacts as k')
    .join('customers as c', 'c.id', 'k.customer_id')
    .select('c.code', 'k.name', 'k.mobile', 'k.email')
    .orderBy(['c.code', 'k.name']);
  return { rows, contacts };
}

describeEachDb('customers import', (h) => {
  beforeAll(async () => {
    await h.addUser('carol', 'manager');
    await h.addUser('bob', 'sales', 'carol');
  });

  it('imports UTF-8 with BOM, CRLF, quoted fields; child before parent; reports bad rows with lines', async () => {
    const csv =
      '\uFEFF客户编码,客户名称,上级编码,电话,邮箱,负责人,等级,联系人,联系人电话,Colour\r\n' +
      'C2,"教育局, 第二处",C1,010-12345678,a@b.cn,bob,B,张三,13800000000,red\r\n' +
      'C1,"财政局 ""总部""",,010-5555555,,carol,A,,,\r\n' +
      'C3,"多行\r\n名称",C2,,,bob,,,,\r\n' +
      'C4,坏邮箱,,,not-an-email,,,,,\r\n' +
      'C5,无主,,,,nobody,,,,\r\n' +
      'C6,等级,,,,,Z,,,\r\n' +
      'C1,重复,,,,,,,,\r\n' +
      'C7,孤儿,NOPE,,,,,,,\r\n';
    const s = await importCustomers(await h.as(), { file: file(csv) });
    expect(s).toMatchObject({ read: 8, inserted: 3, updated: 0, unchanged: 0, rejected: 5 });
    expect(s.errors.map((e) => [e.line, e.column])).toEqual([
      [6, 'email'],
      [7, 'owner'],
      [8, 'grade'],
      [9, 'code'],
      [10, 'parent_code'],
    ]);
    expect(s.errors[3]!.reason).toBe('duplicate code C1: first at line 3');
    expect(s.warnings).toBe(1); // the unknown column
    const { rows, contacts } = await state(h.db());
    expect(rows).toEqual([
      { code: 'C1', name: '财政局 "总部"', parent: null, owner: 'carol', phone: '010-5555555', grade: 'A' },
      { code: 'C2', name: '教育局, 第二处', parent: 'C1', owner: 'bob', phone: '010-12345678', grade: 'B' },
      { code: 'C3', name: '多行\r\n名称', parent: 'C2', owner: 'bob', phone: null, grade: null },
    ]);
    expect(contacts).toEqual([{ code: 'C2', name: '张三', mobile: '13800000000', email: null }]);
    const history = await h.db()('ownership_history').where({ action: 'import' });
    expect(history).toHaveLength(3);
  });

  it('imports GBK and reports the same file again as all unchanged', async () => {
    const csv = 'code,name,parent_code,region\r\nG1,北京市财政局,,北京\r\nG2,北京市教育局,G1,北京\r\n';
    const f = file(iconv.encode(csv, 'gbk'));
    const first = await importCustomers(await h.as(), { file: f });
    expect(first).toMatchObject({ encoding: 'gbk', inserted: 2, rejected: 0 });
    const second = await importCustomers(await h.as(), { file: f });
    expect(second).toMatchObject({ read: 2, inserted: 0, updated: 0, unchanged: 2, rejected: 0 });
    const batches = await h.db()('import_batches').whereIn('id', [first.batchId, second.batchId]);
    expect(new Set(batches.map((b) => b.sha256)).size).toBe(1);
    const c = await h.db()('customers').where({ code: 'G2' }).first();
    expect(c.import_batch_id).toBe(first.batchId);
  });

  it('rejects a cycle and what hangs below it, and a changed row is updated', async () => {
    const csv = 'code,name,parent_code\nY1,一,Y3\nY2,二,Y1\nY3,三,Y2\nY4,四,Y3\nG2,北京市教育局（新）,G1\n';
    const s = await importCustomers(await h.as(), { file: file(csv) });
    expect(s).toMatchObject({ inserted: 0, updated: 1, rejected: 4 });
    const reasons = Object.fromEntries(s.errors.map((e) => [e.line, e.reason]));
    expect(reasons[2]).toBe('cycle in the organisation tree: Y1 → Y3 → Y2 → Y1');
    expect(reasons[5]).toMatch(/parent Y3 is in a cycle or was rejected/);
    expect(await h.db()('customers').whereIn('code', ['Y1', 'Y2', 'Y3', 'Y4'])).toHaveLength(0);
  });

  it('atomic: any rejected row rolls everything back; dry run writes nothing', async () => {
    const csv = 'code,name\nAT1,甲\nAT2,\n';
    const s = await importCustomers(await h.as(), { file: file(csv), atomic: true });
    expect(s).toMatchObject({ rejected: 1, rolledBack: true, inserted: 0 });
    expect(await h.db()('customers').where({ code: 'AT1' })).toHaveLength(0);
    const d = await importCustomers(await h.as(), { file: file('code,name\nDR1,甲\n'), dryRun: true });
    expect(d).toMatchObject({ inserted: 1, batchId: null });
    expect(await h.db()('customers').where({ code: 'DR1' })).toHaveLength(0);
  });

  it('refuses a file without the name column before reading rows (exit 7), and non-admins', async () => {
    await expect(importCustomers(await h.as(), { file: file('code,region\nX,北京\n') })).rejects.toMatchObject({
      code: 'E3101',
      exitCode: 7,
    });
    await expect(importCustomers(await h.as('bob'), { file: file('code,name\nX,甲\n') })).rejects.toMatchObject({
      code: 'E4001',
    });
  });

  it('refuses an unknown mode and an unknown --owner as usage errors, before writing anything', async () => {
    const before = await h.db()('import_batches').count({ n: '*' });
    await expect(
      importCustomers(await h.as(), { file: file('code,name\nM1,甲\n'), mode: 'merge' }),
    ).rejects.toMatchObject({ code: 'E3121', exitCode: 2 });
    await expect(
      importCustomers(await h.as(), { file: file('code,name\nM1,甲\n'), defaultOwner: 'nobody' }),
    ).rejects.toMatchObject({ code: 'E3120', exitCode: 2 });
    expect(await h.db()('customers').where({ code: 'M1' })).toHaveLength(0);
    expect(await h.db()('import_batches').count({ n: '*' })).toEqual(before);
  });

  it('an import killed mid-file and run again ends in the same state as one clean run', async () => {
    // A table at least half the file's size: committed chunk by chunk (no bulk load; see the next suite).
    const filler = ['code,name'];
    for (let i = 0; i < 1300; i++) filler.push(`FILL${i},填充客户${i}`);
    expect(await importCustomers(await h.as(), { file: file(`${filler.join('\n')}\n`) })).toMatchObject({
      inserted: 1300,
    });
    const lines = ['code,name,parent_code,owner,contact_name,contact_phone'];
    // Children first, so held-back rows are in play when the process dies.
    for (let i = 0; i < 2500; i++)
      lines.push(
        `K${i},客户${i},${i % 10 === 0 ? '' : `K${i - (i % 10)}`},bob,联系人${i},1380000${String(i).padStart(4, '0')}`,
      );
    lines.push('KP,最后的上级,,carol,,');
    lines.splice(1, 0, 'KC,先出现的下级,KP,bob,,');
    const f = file(`${lines.join('\n')}\n`);
    const env = isolatedEnv(dir, {
      CRM_DATABASE_URL: h.url(),
      CRM_TEST_IMPORT_KILL_AFTER_CHUNKS: '1',
      CRM_TEST_IMPORT_CHUNK_ROWS: '1000',
    });
    const killed = runCli(['customers', 'import', f, '--json'], env, ROOT, undefined, TEST_BIN);
    expect(killed.code).not.toBe(0);
    const partial = await h.db()('customers').where('code', 'like', 'K%').count({ n: '*' }).first();
    expect(Number(partial?.n)).toBeGreaterThan(0);
    expect(Number(partial?.n)).toBeLessThan(2502);
    const again = runCli(
      ['customers', 'import', f, '--json'],
      { ...env, CRM_TEST_IMPORT_KILL_AFTER_CHUNKS: '0' },
      ROOT,
      undefined,
      TEST_BIN,
    );
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.rejected).toBe(0);
    expect(summary.inserted + summary.unchanged).toBe(2502);
    const third = JSON.parse(
      runCli(
        ['customers', 'import', f, '--json'],
        { ...env, CRM_TEST_IMPORT_KILL_AFTER_CHUNKS: '0' },
        ROOT,
        undefined,
        TEST_BIN,
      ).stdout,
    );
    expect(third).toMatchObject({ read: 2502, unchanged: 2502, inserted: 0, updated: 0 });
    const db = h.db();
    expect(Number((await db('customers').where('code', 'like', 'K%').count({ n: '*' }).first())?.n)).toBe(2502);
    expect(
      Number(
        (
          await db('contacts as k')
            .join('customers as c', 'c.id', 'k.customer_id')
            .where('c.code', 'like', 'K%')
            .count({ n: '*' })
            .first()
        )?.n,
      ),
    ).toBe(2500);
    const kc = await db('customers as c')
      .join('customers as p', 'p.id', 'c.parent_id')
      .where('c.code', 'KC')
      .first('p.code as parent');
    expect(kc.parent).toBe('KP');
    const k15 = await db('customers as c')
      .join('customers as p', 'p.id', 'c.parent_id')
      .where('c.code', 'K15')
      .first('p.code as parent');
    expect(k15.parent).toBe('K10');
  });
  it('warns about the same name or phone as another customer, not about a row matching only itself', async () => {
    const base = 'code,name,phone\nW1,同名公司,13900000001\nW2,另一家,13900000002\nW3,第三家,\n';
    const first = await importCustomers(await h.as(), { file: file(base) });
    expect(first).toMatchObject({ inserted: 3, warnings: 0 });
    // Unchanged rows match only themselves: no warning, whatever the chunking.
    const again = await importCustomers(await h.as(), { file: file(base), chunkSize: 1 });
    expect(again).toMatchObject({ unchanged: 3, warnings: 0 });
    // A new row with W1's name, W2 taking W1's phone, and (in a later chunk) a row with the new row's name.
    const dup = 'code,name,phone\nW4,同名公司,\nW2,另一家,13900000001\nW5,新名字,\nW6,新名字,\n';
    const s = await importCustomers(await h.as(), { file: file(dup), chunkSize: 3 });
    expect(s).toMatchObject({ inserted: 3, updated: 1 });
    expect(s.warningDetails.map((w) => [w.line, w.column, w.reason])).toEqual([
      [2, 'name', 'possible duplicate of customer W1 (same name)'],
      [3, 'phone', 'possible duplicate of customer W1 (same phone)'],
      [5, 'name', 'possible duplicate of customer W5 (same name)'],
    ]);
    // W4 is now a customer with a name another one has: its unchanged row still warns.
    const w4 = await importCustomers(await h.as(), { file: file('code,name\nW4,同名公司\n') });
    expect(w4).toMatchObject({ unchanged: 1, warnings: 1 });
    expect(w4.warningDetails[0]!.reason).toBe('possible duplicate of customer W1 (same name)');
    // A deleted customer's name is free again: no warning.
    await h.db()('customers').where({ code: 'W3' }).update({ status: 'deleted' });
    const w7 = await importCustomers(await h.as(), { file: file('code,name\nW7,第三家\n') });
    expect(w7).toMatchObject({ inserted: 1, warnings: 0 });
  });
});

/** The indexes of the tables a bulk load drops and rebuilds (SQLite), or of customers (MariaDB). */
async function indexNames(h: import('../support/db.js').DbHarness): Promise<string[]> {
  const db = h.db();
  if (h.name === 'sqlite') {
    const rows: { name: string }[] = await db('sqlite_master')
      .where({ type: 'index' })
      .whereIn('tbl_name', ['customers', 'ownership_history', 'contacts'])
      .select('name');
    return rows.map((r) => r.name).sort();
  }
  const [rows] = (await db.raw('SHOW INDEX FROM customers')) as [{ Key_name: string }[]];
  return [...new Set(rows.map((r) => r.Key_name))].sort();
}

describeEachDb('customers bulk load (a file more than twice the size of the table)', (h) => {
  beforeAll(async () => {
    await h.addUser('carol', 'manager');
    await h.addUser('bob', 'sales', 'carol');
  });

  it('a killed bulk load leaves nothing (SQLite: one transaction, indexes intact); run again it completes', async () => {
    const before = await indexNames(h);
    const lines = ['code,name,parent_code,owner'];
    for (let i = 0; i < 2400; i++) lines.push(`B${i},批量${i},${i % 8 === 0 ? '' : `B${i - (i % 8)}`},bob`);
    lines.splice(1, 0, 'BC,先出现的下级,BP,bob');
    lines.push('BP,最后的上级,,carol');
    const f = file(`${lines.join('\n')}\n`);
    const env = isolatedEnv(dir, {
      CRM_DATABASE_URL: h.url(),
      CRM_TEST_IMPORT_KILL_AFTER_CHUNKS: '2',
      CRM_TEST_IMPORT_CHUNK_ROWS: '1000',
    });
    const killed = runCli(['customers', 'import', f, '--json'], env, ROOT, undefined, TEST_BIN);
    expect(killed.code).not.toBe(0);
    const partial = Number((await h.db()('customers').where('code', 'like', 'B%').count({ n: '*' }).first())?.n);
    // SQLite loads in bulk: nothing was committed. MariaDB commits chunk by chunk.
    expect(partial > 0, `${partial} rows committed before the kill`).toBe(h.name === 'mysql');
    expect(await indexNames(h)).toEqual(before);
    const again = runCli(
      ['customers', 'import', f, '--json'],
      { ...env, CRM_TEST_IMPORT_KILL_AFTER_CHUNKS: '0' },
      ROOT,
      undefined,
      TEST_BIN,
    );
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ read: 2402, rejected: 0 });
    expect(await indexNames(h)).toEqual(before);
    const db = h.db();
    expect(Number((await db('customers').where('code', 'like', 'B%').count({ n: '*' }).first())?.n)).toBe(2402);
    const bc = await db('customers as c').join('customers as p', 'p.id', 'c.parent_id').where('c.code', 'BC');
    expect(bc.map((r: { code: string }) => r.code)).toEqual(['BP']);
    // One history row per new customer, from nobody to its owner, once (not again for the killed attempt).
    const history: { code: string; from: number | null; to: string; action: string; n: number }[] = await db(
      'ownership_history as o',
    )
      .join('customers as c', 'c.id', 'o.customer_id')
      .join('users as u', 'u.id', 'o.to_user_id')
      .where('c.code', 'like', 'B%')
      .groupBy('c.code', 'o.from_user_id', 'u.name', 'o.action')
      .select('c.code', { from: 'o.from_user_id' }, { to: 'u.name' }, 'o.action', db.raw('count(*) as n'));
    expect(history).toHaveLength(2402);
    expect(history.every((r) => r.from === null && r.action === 'import' && Number(r.n) === 1)).toBe(true);
    expect(history.find((r) => r.code === 'BP')?.to).toBe('carol');
    expect(history.find((r) => r.code === 'B7')?.to).toBe('bob');
  });

  it('finds duplicate names and phones in one pass: against earlier customers and earlier rows of the file', async () => {
    // 2402 customers now; a file of more than 4804 rows is loaded in bulk on SQLite.
    const lines = ['code,name,phone'];
    lines.push('D1,批量5,'); // the name of an existing customer (B5)
    lines.push('D2,新公司甲,13911112222');
    lines.push('D3,新公司甲,'); // the name of D2, two lines above
    lines.push('D4,不同的名字,139-1111-2222'); // D2's phone, written differently
    lines.push('B9,批量9,'); // an existing customer, unchanged: matches only itself
    for (let i = 0; i < 5000; i++) lines.push(`E${i},填充${i},`);
    const stages: boolean[] = [];
    const s = await importCustomers(await h.as(), {
      file: file(`${lines.join('\n')}\n`),
      onFinishing: (p) => stages.push(p.bulk),
    });
    expect(s).toMatchObject({ inserted: 5004, unchanged: 1, rejected: 0 });
    // The engine says when the last stage begins, and whether it is a bulk load's (SQLite only).
    expect(stages).toEqual([h.name === 'sqlite']);
    expect(s.warningDetails.map((w) => [w.line, w.column, w.reason])).toEqual([
      [2, 'name', 'possible duplicate of customer B5 (same name)'],
      [4, 'name', 'possible duplicate of customer D2 (same name)'],
      [5, 'phone', 'possible duplicate of customer D2 (same phone)'],
    ]);
  });
});
