import { expect, it } from 'vitest';
import { RowSpill } from '../../src/io/import/spill.js';

it('RowSpill gives back every row in order, across read blocks and multi-byte text', () => {
  const spill = new RowSpill<{ line: number; raw: string[] }>();
  // ~3 MB of JSON: rows and characters cut by the 1 MiB read blocks.
  const rows = Array.from({ length: 6000 }, (_, i) => ({
    line: i + 2,
    raw: [`代码${i}`, '名称，"引号"\n换行'.repeat(20)],
  }));
  for (const r of rows) spill.add(r);
  expect(spill.count).toBe(6000);
  const batches = [...spill.batches(700)];
  expect(batches.map((b) => b.length)).toEqual([...Array(8).fill(700), 400]);
  expect(batches.flat()).toEqual(rows);
  expect(spill.count).toBe(0);
  expect([...spill.batches(700)]).toEqual([]);
  // Usable again after being read.
  spill.add(rows[0]!);
  expect([...spill.batches(10)]).toEqual([[rows[0]]]);
});
