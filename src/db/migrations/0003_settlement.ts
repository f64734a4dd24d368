import type { Knex } from 'knex';
import { businessDate, fen, timestamp, userRef } from './helpers.js';

export async function up(knex: Knex): Promise<void> {
  // The state of each business day: not present = not opened.
  await knex.schema.createTable('business_days', (t) => {
    businessDate(t, 'date').primary();
    t.string('state', 16).notNullable(); // open | cut_off | cleared
    timestamp(t, 'opened_at');
    userRef(t, 'opened_by');
    t.boolean('forced').notNullable().defaultTo(false);
    t.string('force_reason', 300);
    timestamp(t, 'cut_off_at');
    userRef(t, 'cut_off_by');
    timestamp(t, 'cleared_at');
  });

  await knex.schema.createTable('clearing_runs', (t) => {
    t.increments('id');
    businessDate(t, 'voucher_date').notNullable();
    businessDate(t, 'pending_date').notNullable();
    t.string('state', 16).notNullable(); // running | completed | superseded
    t.integer('rerun_of').unsigned().references('id').inTable('clearing_runs');
    t.string('reason', 300);
    timestamp(t, 'started_at').notNullable();
    timestamp(t, 'finished_at');
    userRef(t, 'user_id');
    t.index(['voucher_date', 'state']);
  });

  await knex.schema.createTable('clearing_files', (t) => {
    t.increments('id');
    t.integer('run_id').unsigned().notNullable().references('id').inTable('clearing_runs');
    t.string('name', 64).notNullable().unique();
    t.string('kind', 2).notNullable(); // qs | tk
    businessDate(t, 'voucher_date').notNullable();
    businessDate(t, 'pending_date').notNullable();
    t.integer('sequence').notNullable();
    t.string('voucher_number', 32).notNullable();
    t.integer('row_count').notNullable();
    t.integer('txn_count').notNullable();
    fen(t, 'total_fen').notNullable();
    t.string('sha256', 64).notNullable();
    t.string('path', 1000).notNullable();
    t.string('encoding', 8).notNullable();
    t.string('status', 16).notNullable(); // active | superseded
    timestamp(t, 'created_at').notNullable();
    t.index(['voucher_date']);
  });

  await knex.schema.createTable('settlement_transactions', (t) => {
    t.bigIncrements('id');
    t.string('ref', 64).notNullable().unique();
    t.string('kind', 8).notNullable(); // payment | refund
    fen(t, 'amount_fen').notNullable();
    t.integer('customer_id').unsigned().notNullable().references('id').inTable('customers');
    t.string('unit_code', 64).notNullable(); // first-level unit 国标码, fixed at posting
    t.string('unit_name', 200).notNullable();
    t.string('account_class', 32).notNullable();
    t.string('payer_account', 64);
    t.string('memo', 300);
    timestamp(t, 'occurred_at').notNullable();
    businessDate(t, 'business_date').notNullable();
    t.boolean('late').notNullable().defaultTo(false);
    t.string('source', 8).notNullable(); // feed | order
    t.string('content_hash', 64).notNullable(); // same ref, different content = conflict
    t.string('import_batch_id', 36);
    t.string('clearing_status', 8).notNullable().defaultTo('pending'); // pending | cleared
    businessDate(t, 'clearing_date');
    t.integer('clearing_file_id').unsigned().references('id').inTable('clearing_files');
    timestamp(t, 'created_at').notNullable();
    userRef(t, 'created_by');
    t.index(['business_date', 'clearing_status']);
    t.index(['clearing_date']);
    t.index(['customer_id']);
  });

  // The voucher register 重空登记簿: one row per number, so each is used once and gaps are visible.
  await knex.schema.createTable('voucher_ranges', (t) => {
    t.increments('id');
    t.string('kind', 8).notNullable(); // payment | refund
    t.string('from_number', 32).notNullable();
    t.string('to_number', 32).notNullable();
    timestamp(t, 'registered_at').notNullable();
    userRef(t, 'registered_by');
  });
  await knex.schema.createTable('vouchers', (t) => {
    t.increments('id');
    t.string('kind', 8).notNullable();
    t.string('number', 32).notNullable(); // keeps leading zeros
    t.integer('range_id').unsigned().notNullable().references('id').inTable('voucher_ranges');
    t.string('status', 8).notNullable().defaultTo('unused'); // unused | used | void
    t.integer('file_id').unsigned().references('id').inTable('clearing_files');
    timestamp(t, 'used_at');
    t.string('void_reason', 300);
    timestamp(t, 'voided_at');
    userRef(t, 'voided_by');
    t.unique(['kind', 'number']);
    t.index(['kind', 'status']);
  });

  // Snapshots of the summary list 财政拨付划款汇总清单, per date and clearing status.
  await knex.schema.createTable('summary_snapshots', (t) => {
    t.increments('id');
    businessDate(t, 'date').notNullable();
    t.string('status', 8).notNullable(); // pending | cleared
    timestamp(t, 'generated_at').notNullable();
    userRef(t, 'generated_by');
    t.unique(['date', 'status']);
  });
  await knex.schema.createTable('summary_rows', (t) => {
    t.increments('id');
    t.integer('snapshot_id').unsigned().notNullable().references('id').inTable('summary_snapshots').onDelete('CASCADE');
    t.string('unit_code', 64).notNullable();
    t.string('unit_name', 200).notNullable();
    t.string('kind', 8).notNullable();
    t.integer('txn_count').notNullable();
    fen(t, 'total_fen').notNullable();
    t.index(['snapshot_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'summary_rows',
    'summary_snapshots',
    'vouchers',
    'voucher_ranges',
    'settlement_transactions',
    'clearing_files',
    'clearing_runs',
    'business_days',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
