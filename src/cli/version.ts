import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** Read from package.json so there is one version number. */
export const VERSION: string = (require('../../package.json') as { version: string }).version;
