import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { cacheDir } from '../config/paths.js';
import { writeFileAtomic } from '../io/atomic-write.js';

/**
 * A V8 code cache for the CommonJS packages a `crm` process loads (knex, commander, the drivers), kept in the
 * user's cache directory (`$XDG_CACHE_HOME/crm`, else `~/.cache/crm`). Compiling those ~100 files was the largest
 * part of starting a command that opens the database (issue 8); with the cache V8 reuses the code it compiled in an
 * earlier run. Node 20 has no built-in compile cache (`module.enableCompileCache` is Node 22), so this does what
 * the `v8-compile-cache` package does, for files under node_modules only.
 *
 * Correctness: an entry is used only for the same file (path), unchanged since it was cached: same size, mtime,
 * ctime and inode (ctime moves on any write or replacement, npm's fixed mtimes notwithstanding, as git's index relies
 * on); the cache file is per Node version and architecture, and V8 itself rejects data made by another V8 or under
 * other flags (then the entry is made again). A missing, unreadable or damaged cache file, or one that cannot be
 * written, only means compiling as usual. The file is replaced whole (write, then rename), so concurrent runs
 * never see half of one. `CRM_NO_CODE_CACHE=1` turns it off.
 */

interface CjsModule {
  exports: unknown;
  require(id: string): unknown;
}
interface ModuleStatics {
  prototype: { _compile(this: CjsModule, content: string, filename: string, format?: string): unknown };
  wrap(content: string): string;
  _resolveFilename(request: string, parent: CjsModule, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: CjsModule): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}
interface Entry {
  stamp: string;
  data: Buffer;
}

const MAGIC = 'crm-v8-code-cache-1';
/** Above this the entries not used by the run that rewrites the file are dropped. */
const MAX_BYTES = 48 << 20;
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

let installed = false;

export function installCodeCache(env: Record<string, string | undefined>): void {
  if (installed || env.CRM_NO_CODE_CACHE) return;
  // Dynamic import() from a cached module must behave as from any other: needs Node >= 20.12.
  const importModuleDynamically = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  if (!importModuleDynamically) return;
  const Module = createRequire(import.meta.url)('node:module') as ModuleStatics;
  const original = Module.prototype._compile;
  if (typeof original !== 'function' || typeof Module.wrap !== 'function') return;
  installed = true;

  const file = path.join(cacheDir(env), 'v8', `${process.version}-${process.arch}.bin`);
  const entries = readCache(file);
  const fresh = new Map<string, { stamp: string; script: vm.Script }>();
  const used = new Set<string>();

  Module.prototype._compile = function (this: CjsModule, content: string, filename: string, format?: string) {
    if (format === 'module' || !filename.includes(NODE_MODULES) || content.startsWith('#!')) {
      return original.call(this, content, filename, format);
    }
    const stamp = stampOf(filename);
    const entry = stamp ? entries.get(filename) : undefined;
    const cachedData = entry && entry.stamp === stamp ? entry.data : undefined;
    let script: vm.Script;
    try {
      script = new vm.Script(Module.wrap(content), { filename, cachedData, importModuleDynamically });
    } catch {
      return original.call(this, content, filename, format); // let Node report it (or load it as ESM)
    }
    if (cachedData && !script.cachedDataRejected) used.add(filename);
    else if (stamp) fresh.set(filename, { stamp, script });
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const require = (id: string) => this.require(id);
    const resolve = (request: string, options?: unknown) => Module._resolveFilename(request, this, false, options);
    resolve.paths = (request: string) => Module._resolveLookupPaths(request, this);
    require.resolve = resolve;
    require.main = process.mainModule;
    require.extensions = Module._extensions;
    require.cache = Module._cache;
    return fn.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };

  process.once('exit', () => {
    if (fresh.size === 0) return;
    try {
      const out: [string, string, Buffer][] = [];
      let bytes = 0;
      for (const [name, { stamp, script }] of fresh) {
        const data = script.createCachedData();
        out.push([name, stamp, data]);
        bytes += data.length;
      }
      for (const [name, e] of entries) {
        if (fresh.has(name)) continue;
        if (!used.has(name) && bytes + e.data.length > MAX_BYTES) continue;
        out.push([name, e.stamp, e.data]);
        bytes += e.data.length;
      }
      writeCache(file, out);
    } catch {
      // A cache that cannot be written is only a slower next start.
    }
  });
}

function stampOf(filename: string): string | null {
  try {
    const st = fs.statSync(filename);
    return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
  } catch {
    return null;
  }
}

/** Layout: 4-byte length of a JSON header {magic, entries: [file, stamp, offset, length][]}, the header, the data. */
function readCache(file: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  try {
    const buf = fs.readFileSync(file);
    const headerLength = buf.readUInt32LE(0);
    const header = JSON.parse(buf.toString('utf8', 4, 4 + headerLength)) as {
      magic?: string;
      entries?: [string, string, number, number][];
    };
    if (header.magic !== MAGIC || !Array.isArray(header.entries)) return entries;
    const base = 4 + headerLength;
    for (const [name, stamp, offset, length] of header.entries) {
      if (base + offset + length > buf.length) return new Map();
      entries.set(name, { stamp, data: buf.subarray(base + offset, base + offset + length) });
    }
  } catch {
    entries.clear();
  }
  return entries;
}

function writeCache(file: string, out: [string, string, Buffer][]): void {
  let offset = 0;
  const list = out.map(([name, stamp, data]) => {
    const e = [name, stamp, offset, data.length] as const;
    offset += data.length;
    return e;
  });
  const header = Buffer.from(JSON.stringify({ magic: MAGIC, entries: list }), 'utf8');
  const size = Buffer.alloc(4);
  size.writeUInt32LE(header.length, 0);
  writeFileAtomic(file, Buffer.concat([size, header, ...out.map(([, , data]) => data)]), { createDir: true });
}
