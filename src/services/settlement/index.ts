/** Settlement services: the ledger, the business day, vouchers, clearing files, summary lists. */
export * from './clearing.js';
export * from './common.js';
export * from './day.js';
export * from './day-steps.js';
export * from './feed.js';
export * from './ledger.js';
export * from './names.js';
export * from './run-day.js';
export * from './summary.js';
export * from './verify.js';
export * from './vouchers.js';
