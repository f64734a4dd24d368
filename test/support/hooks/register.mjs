// Loaded with `node --import` by test/cli/startup.test.ts: records every module the process resolves.
import { register } from 'node:module';

register('./trace-resolve.mjs', import.meta.url);
