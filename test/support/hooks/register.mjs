// Loaded with `node --import` by test/cli/startup.test.ts: records every module the process loads. ES modules are
// seen as they resolve; CommonJS modules (knex and the drivers are loaded with require) are listed from the
// require cache when the process exits.
import fs from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./trace-resolve.mjs', import.meta.url);

const out = process.env.CRM_TRACE_IMPORTS;
if (out) {
  const { _cache } = createRequire(import.meta.url)('node:module');
  process.on('exit', () => {
    const urls = Object.keys(_cache).map((f) => pathToFileURL(f).href);
    if (urls.length > 0) fs.appendFileSync(out, `${urls.join('\n')}\n`);
  });
}
