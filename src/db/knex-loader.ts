import { createRequire } from 'node:module';
import type { Knex } from 'knex';

type KnexFactory = typeof import('knex').knex;
type LoadFn = (request: string, parent: { filename?: string | null } | null | undefined, isMain: boolean) => unknown;

const require = createRequire(import.meta.url);
let factory: KnexFactory | null = null;

/**
 * Knex, loaded once. Knex asks for its lodash helpers one module at a time (`lodash/isEmpty`, `lodash/merge`, …):
 * about 255 small files, each resolved, read and compiled, which was the largest single cost of starting a
 * command that opens the database (issue 8: `crm customers list` is mostly start-up). The same functions come
 * from lodash's one-file build, so those requests made by knex's own files are answered from it: 255 module
 * loads become one. The lodash package is the one knex itself resolves, a name the full build lacks falls back
 * to the ordinary load, and requests from anywhere else are not touched.
 */
export function loadKnex(): KnexFactory {
  if (factory) return factory;
  redirectKnexLodash();
  factory = require('knex') as KnexFactory;
  return factory;
}

let redirected = false;
function redirectKnexLodash(): void {
  if (redirected) return;
  redirected = true;
  const Module = require('node:module') as unknown as { _load: LoadFn };
  const load = Module._load;
  if (typeof load !== 'function') return;
  const knexDir = `${require.resolve('knex/package.json').slice(0, -'package.json'.length)}`;
  let lodash: Record<string, unknown> | null = null;
  Module._load = function (this: unknown, request, parent, isMain) {
    if (request.startsWith('lodash/') && parent?.filename?.startsWith(knexDir)) {
      lodash ??= load.call(this, 'lodash', parent, false) as Record<string, unknown>;
      const name = request.slice('lodash/'.length);
      if (Object.hasOwn(lodash, name) && typeof lodash[name] === 'function') return lodash[name];
    }
    return load.call(this, request, parent, isMain);
  };
}

export type { Knex };
