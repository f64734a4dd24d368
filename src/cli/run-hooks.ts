import type { ClearPoint } from '../services/settlement/clearing.js';

/**
 * Points where a test may step into one run of the CLI: after an import chunk commits and at the clear's named
 * points (to kill the process there and prove the next run recovers), and the rows per import chunk (so a small
 * file spans several). Production never installs any; test/support/crm-test.mjs does, before main, from its own
 * environment.
 */
export interface RunHooks {
  /** Called by `settlement clear` at each of the clear's named points (files renamed, before the commit, …). */
  clearFaultAt?(point: ClearPoint): void;
  /** Called after each import chunk commits, with the number of chunks committed so far. */
  afterImportChunk?(chunks: number): void;
  /** Rows per import chunk. */
  importChunkRows?: number;
}

let installed: RunHooks = {};

export function installRunHooks(hooks: RunHooks): void {
  installed = hooks;
}

export function runHooks(): Readonly<RunHooks> {
  return installed;
}
