import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_COLUMNS, customerLines, parseSeed } from '../../fixtures/gen-customers.js';
import {
  ACCOUNT_CLASSES,
  goodCodesFromCount,
  goodCodesFromFile,
  TRANSACTION_COLUMNS,
  transactionLines,
} from '../../fixtures/gen-transactions.js';
import { ROOT } from '../support/cli.js';

type Row = Record<string, string>;

function text(chunks: Iterable<string[]>): string {
  let s = '';
  for (const chunk of chunks) s += `${chunk.join('\n')}\n`;
  return s;
}
const customersCsv = (rows: number, seed: number) => text(customerLines({ rows, seed }));
const rowsOf = (csv: string): Row[] => parse(csv, { columns: true }) as Row[];

/** The rules a customers import applies to the three kinds of bad row the generator makes. */
function isBad(r: Row): boolean {
  return (
    r.name === '' || !/^[A-E]?$/.test(r.grade ?? '') || (r.email !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(r.email!))
  );
}

const ROWS = 20_000;
let dir: string;
let csv: string;
let rows: Row[];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-gen-'));
  csv = customersCsv(ROWS, 7);
  rows = rowsOf(csv);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('gen-customers', () => {
  it('gives byte-identical output for the same seed, and different output for another seed', () => {
    expect(customersCsv(3000, 7)).toBe(customersCsv(3000, 7));
    expect(customersCsv(3000, 8)).not.toBe(customersCsv(3000, 7));
    expect(csv.startsWith(`${CUSTOMER_COLUMNS.join(',')}\n`)).toBe(true);
    expect(rows).toHaveLength(ROWS);
  });

  it('writes the same bytes from the command line, to a file and to stdout', () => {
    const out = path.join(dir, 'c.csv');
    const script = path.join(ROOT, 'fixtures', 'gen-customers.js');
    const toFile = spawnSync(process.execPath, [script, '--rows', '3000', '--seed', '7', '--out', out]);
    expect(toFile.status).toBe(0);
    const toStdout = spawnSync(process.execPath, [script, '--rows=3000', '--seed=7'], { encoding: 'utf8' });
    expect(toStdout.status).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(customersCsv(3000, 7));
    expect(toStdout.stdout).toBe(customersCsv(3000, 7));
  });

  it('refuses an unknown option with a usage message', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'fixtures', 'gen-customers.js'), '--rowz', '5'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown option --rowz');
  });

  it('makes about 1% bad rows, of all three kinds', () => {
    const bad = rows.filter(isBad);
    expect(bad.length / ROWS).toBeGreaterThan(0.007);
    expect(bad.length / ROWS).toBeLessThan(0.013);
    expect(bad.some((r) => r.name === '')).toBe(true);
    expect(bad.some((r) => r.email!.includes('@@') || (r.email !== '' && !r.email!.includes('@')))).toBe(true);
    expect(bad.some((r) => !/^[A-E]?$/.test(r.grade!))).toBe(true);
  });

  it('has unique codes and names', () => {
    expect(new Set(rows.map((r) => r.code)).size).toBe(ROWS);
    const named = rows.filter((r) => r.name !== '');
    expect(new Set(named.map((r) => r.name)).size).toBe(named.length);
  });

  it('gives about 5% of rows a parent that is a good, parentless row of the same file, sometimes after the child', () => {
    const index = new Map(rows.map((r, i) => [r.code!, i]));
    const children = rows.map((r, i) => [r, i] as const).filter(([r]) => r.parent_code !== '');
    expect(children.length / ROWS).toBeGreaterThan(0.04);
    expect(children.length / ROWS).toBeLessThan(0.06);
    let after = 0;
    for (const [child, i] of children) {
      const p = index.get(child.parent_code!);
      expect(p, `parent ${child.parent_code} of ${child.code}`).toBeDefined();
      const parent = rows[p!]!;
      expect(isBad(parent)).toBe(false);
      expect(parent.parent_code).toBe('');
      if (p! > i) after++;
    }
    expect(after).toBeGreaterThan(children.length * 0.3);
    expect(after).toBeLessThan(children.length * 0.7);
  });

  it('reads numeric seeds as numbers and hashes other strings', () => {
    expect(parseSeed('42')).toBe(42);
    expect(parseSeed('bench')).toBe(parseSeed('bench'));
    expect(parseSeed('bench')).not.toBe(parseSeed('bench2'));
  });
});

describe('gen-transactions', () => {
  it('names only customers that the customers import accepts, rebuilt the same from the file or from the count', async () => {
    const file = path.join(dir, 'customers.csv');
    fs.writeFileSync(file, csv);
    const fromFile = await goodCodesFromFile(file);
    const fromCount = goodCodesFromCount(ROWS, 7);
    const good = rows.filter((r) => !isBad(r)).map((r) => r.code);
    expect(fromFile).toEqual(good);
    expect(Array.from({ length: fromCount.length }, (_, k) => fromCount.at(k))).toEqual(good);

    const a = text(transactionLines({ rows: 5000, seed: 3, codes: fromFile }));
    const b = text(transactionLines({ rows: 5000, seed: 3, codes: fromCount }));
    expect(a).toBe(b);
    expect(text(transactionLines({ rows: 5000, seed: 4, codes: fromFile }))).not.toBe(a);

    const txns = rowsOf(a);
    const goodSet = new Set(good);
    expect(Object.keys(txns[0]!)).toEqual(TRANSACTION_COLUMNS);
    expect(txns.every((t) => goodSet.has(t.customer!))).toBe(true);
    expect(new Set(txns.map((t) => t.ref)).size).toBe(5000);
  });

  it('writes one business day in time order, with valid kinds, amounts and account classes', () => {
    const txns = rowsOf(text(transactionLines({ rows: 5000, seed: 3, codes: goodCodesFromCount(1000, 3) })));
    const times = txns.map((t) => t.occurred_at!);
    expect(times.every((t) => /^2026-11-20 (0[89]|1[0-5]):\d\d:\d\d$/.test(t))).toBe(true);
    expect(times[0]! >= '2026-11-20 08:30:00').toBe(true);
    expect(times.at(-1)! < '2026-11-20 15:30:00').toBe(true);
    expect([...times].sort()).toEqual(times);
    expect(txns.every((t) => /^\d+\.\d\d$/.test(t.amount!) && Number(t.amount) > 0)).toBe(true);
    expect(txns.every((t) => ACCOUNT_CLASSES.includes(t.account_class!))).toBe(true);
    const refunds = txns.filter((t) => t.kind === 'refund').length;
    expect(refunds).toBeGreaterThan(100);
    expect(refunds + txns.filter((t) => t.kind === 'payment').length).toBe(5000);
  });
});
