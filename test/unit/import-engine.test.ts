import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { HeapCap, type ImportSpec, InOrder, runImport } from '../../src/io/import/index.js';
import { describeEachDb } from '../support/db.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-import-engine-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A toy spec: stores rows as settings-like keys in memory; rejects odd values. */
function toySpec(seen: string[][]): ImportSpec<{ key: string }> {
  return {
    kind: 'toy',
    columns: [
      { key: 'key', aliases: ['键'], required: true },
      { key: 'value', aliases: ['值'] },
    ],
    chunkSize: 2,
    validate(row) {
      if (!row.key) return { ok: false, errors: [{ column: 'key', reason: 'required' }] };
      if (row.value === 'bad') return { ok: false, errors: [{ column: 'value', reason: 'is bad' }] };
      return {
        ok: true,
        value: { key: row.key },
        warnings: row.value === 'meh' ? [{ column: 'value', reason: 'meh' }] : [],
      };
    },
    async writeChunk(_w, rows) {
      seen.push(rows.map((r) => `${r.line}:${r.value.key}`));
      return { inserted: rows.length, updated: 0, unchanged: 0 };
    },
  };
}

describeEachDb('import engine', (h) => {
  it('validates, chunks, reports rejects with lines, records and audits one batch', async () => {
    const file = path.join(dir, `toy-${h.name}.csv`);
    fs.writeFileSync(file, '键,值,extra\na,1,x\n,2,x\nb,bad,x\n\nc,"multi\nline",x\nd,meh,x\ne,5,x\n');
    const out = path.join(dir, `rej-${h.name}.csv`);
    const seen: string[][] = [];
    const svc = await h.as();
    const s = await runImport(svc, toySpec(seen), { file, errorsOut: out });
    expect(s).toMatchObject({ read: 6, inserted: 4, rejected: 2, warnings: 2 });
    expect(s.errors).toEqual([
      { line: 3, column: 'key', reason: 'required' },
      { line: 4, column: 'value', reason: 'is bad' },
    ]);
    expect(seen).toEqual([
      ['2:a', '6:c'],
      ['8:d', '9:e'],
    ]);
    const report = fs.readFileSync(out, 'utf8');
    expect(report).toBe('\uFEFF键,值,extra,line,reason\n,2,x,3,key: required\nb,bad,x,4,value: is bad\n');
    const batch = await h.db()('import_batches').where({ id: s.batchId }).first();
    expect(batch).toMatchObject({ kind: 'toy', status: 'completed', read_rows: 6, rejected: 2, last_line: 9 });
    expect(batch.sha256).toMatch(/^[0-9a-f]{64}$/);
    const audits = await h.db()('audit_log').where({ batch_id: s.batchId });
    expect(audits).toHaveLength(1);
    expect(audits[0].action).toBe('toy.import');
    // The reject report is never overwritten without --force.
    await expect(runImport(svc, toySpec([]), { file, errorsOut: out })).rejects.toMatchObject({ code: 'E3103' });
  });

  it('refuses a file without a required column before reading rows', async () => {
    const file = path.join(dir, `nohead-${h.name}.csv`);
    fs.writeFileSync(file, 'value\n1\n');
    const seen: string[][] = [];
    await expect(runImport(await h.as(), toySpec(seen), { file })).rejects.toMatchObject({
      code: 'E3101',
      exitCode: 7,
    });
    expect(seen).toEqual([]);
  });

  it('dry run records nothing', async () => {
    const file = path.join(dir, `dry-${h.name}.csv`);
    fs.writeFileSync(file, 'key\na\n');
    const before = await h.db()('import_batches').count({ n: '*' }).first();
    const s = await runImport(await h.as(), toySpec([]), { file, dryRun: true });
    expect(s).toMatchObject({ read: 1, inserted: 1, batchId: null });
    const after = await h.db()('import_batches').count({ n: '*' }).first();
    expect(Number(after?.n)).toBe(Number(before?.n));
  });
  it('a failing chunk: what was committed stays (checkpoint at its last line), the open rest is rolled back', async () => {
    // SQLite: 2-row chunks, a commit every 4 rows; MySQL: a commit per chunk, the next chunk read meanwhile.
    const file = path.join(dir, `fail-${h.name}.csv`);
    fs.writeFileSync(file, `key\n${Array.from({ length: 12 }, (_, i) => `k${i + 1}`).join('\n')}\n`);
    const spec: ImportSpec<{ key: string }> = {
      kind: 'toy',
      columns: [{ key: 'key', required: true }],
      chunkSize: 2,
      sqliteChunkSize: 2,
      sqliteCommitRows: 4,
      validate: (row) => ({ ok: true, value: { key: row.key! } }),
      async writeChunk(w, rows) {
        if (rows.some((r) => r.value.key === 'k7')) throw new Error('disk on fire');
        await w.svc
          .db('settings')
          .insert(
            rows.map((r) => ({ key: `toy.${h.name}.${r.value.key}`, value: '1', updated_at: '2026-01-01T00:00:00Z' })),
          );
        return { inserted: rows.length, updated: 0, unchanged: 0 };
      },
    };
    const committed: number[] = [];
    await expect(runImport(await h.as(), spec, { file, afterChunk: (n) => committed.push(n) })).rejects.toThrow(
      'disk on fire',
    );
    const keys = await h.db()('settings').where('key', 'like', `toy.${h.name}.%`).orderBy('key').pluck('key');
    // k1..k4 committed (lines 2-5); k5, k6 were in the open group on SQLite (rolled back) or committed on MySQL.
    const expected = {
      sqlite: { keys: ['k1', 'k2', 'k3', 'k4'], committed: [2] },
      mysql: { keys: ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'], committed: [1, 2, 3] },
    }[h.name];
    expect(keys).toEqual(expected.keys.map((k) => `toy.${h.name}.${k}`));
    expect(committed).toEqual(expected.committed);
    const batch = await h
      .db()('import_batches')
      .where({ kind: 'toy', status: 'failed' })
      .orderBy('started_at', 'desc')
      .first();
    expect(batch).toMatchObject({ status: 'failed', last_line: h.name === 'sqlite' ? 5 : 7 });
    expect(batch.error).toContain('disk on fire');
  });
});

it('HeapCap collects garbage once the heap is past its floor', () => {
  let junk: unknown[] | null = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `row ${i}` }));
  expect(junk.length).toBe(200_000);
  junk = null;
  const before = v8.getHeapStatistics().used_heap_size;
  new HeapCap(1).check();
  expect(v8.getHeapStatistics().used_heap_size).toBeLessThan(before);
});

describe('InOrder', () => {
  it('runs a stage in chunk-number order, whatever order the chunks arrive in', async () => {
    const order = new InOrder();
    const ran: number[] = [];
    const stage = async (n: number) => {
      const place = order.place(n);
      try {
        await place.wait();
        ran.push(n);
        await new Promise((r) => setTimeout(r, 1));
      } finally {
        place.release();
        place.release(); // idempotent
      }
    };
    await Promise.all([stage(3), stage(1), stage(4), stage(2)]);
    expect(ran).toEqual([1, 2, 3, 4]);
  });

  it('a chunk that fails still frees its place (the next one is not left waiting)', async () => {
    const order = new InOrder();
    const first = order.place(1);
    const second = order.place(2);
    const failing = (async () => {
      try {
        await first.wait();
        throw new Error('chunk 1 failed');
      } finally {
        first.release();
      }
    })();
    await expect(failing).rejects.toThrow('chunk 1 failed');
    await expect(second.wait()).resolves.toBeUndefined();
  });
});
