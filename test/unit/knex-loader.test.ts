import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnex } from '../../src/db/knex-loader.js';

const require = createRequire(import.meta.url);
const knexDir = path.dirname(require.resolve('knex/package.json'));

/** Every `lodash/NAME` that knex's own files require. */
function lodashNamesKnexRequires(): string[] {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) {
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/require\('lodash\/([^']+)'\)/g)) names.add(m[1]!);
      }
    }
  };
  walk(path.join(knexDir, 'lib'));
  return [...names].sort();
}

describe('knex loader', () => {
  it("answers each of knex's lodash requests with the same function from lodash's one-file build", () => {
    const names = lodashNamesKnexRequires();
    expect(names.length).toBeGreaterThan(20); // the scan is real
    const knexRequire = createRequire(path.join(knexDir, 'lib', 'index.js'));
    const full = knexRequire('lodash') as Record<string, (...a: unknown[]) => unknown>;
    for (const name of names) {
      const single = knexRequire(`lodash/${name}`) as (...a: unknown[]) => unknown;
      expect(typeof full[name], name).toBe('function');
      // Same function under the same name and arity (aliases too: each is forEach, first is head, extend is assignIn).
      expect([full[name]!.name, full[name]!.length], name).toEqual([single.name, single.length]);
    }
  });

  it('loads knex once and a working knex', async () => {
    const knex = loadKnex();
    expect(loadKnex()).toBe(knex);
    const db = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    try {
      expect(db('t').where({ a: 1 }).whereIn('b', [1, 2]).toString()).toBe(
        'select * from `t` where `a` = 1 and `b` in (1, 2)',
      );
      expect(await db.raw('select 1 + 1 as two')).toEqual([{ two: 2 }]);
    } finally {
      await db.destroy();
    }
  });
});
