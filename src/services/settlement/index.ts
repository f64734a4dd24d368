/** Settlement services: the ledger, the business day, vouchers, clearing files, summary lists. */
export * from './ledger.js';
