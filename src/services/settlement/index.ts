/** Settlement services: the ledger, the business day, vouchers, clearing files, summary lists. */
export * from './clearing.js';
export * from './common.js';
export * from './day.js';
export * from './ledger.js';
export * from './summary.js';
export * from './vouchers.js';
