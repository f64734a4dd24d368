import type { Knex } from 'knex';
import { businessDate, createdUpdated, fen, timestamp, userRef } from './helpers.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('product_categories', (t) => {
    t.increments('id');
    t.string('name', 100).notNullable();
    t.integer('parent_id').unsigned().references('id').inTable('product_categories');
    t.string('path', 500).notNullable().unique(); // 'Hardware/Servers': unique across the tree
    timestamp(t, 'created_at').notNullable();
  });

  await knex.schema.createTable('products', (t) => {
    t.increments('id');
    t.string('code', 64).notNullable().unique();
    t.string('name', 200).notNullable();
    t.integer('category_id').unsigned().references('id').inTable('product_categories');
    t.string('unit', 32);
    fen(t, 'price_fen').notNullable();
    t.boolean('on_sale').notNullable().defaultTo(true);
    t.string('import_batch_id', 36);
    createdUpdated(t);
  });

  await knex.schema.createTable('opportunities', (t) => {
    t.increments('id');
    t.integer('customer_id').unsigned().notNullable().references('id').inTable('customers');
    t.string('name', 200).notNullable();
    fen(t, 'amount_fen').notNullable();
    t.string('stage', 32).notNullable();
    t.integer('probability').notNullable(); // percent at the current stage
    t.string('status', 8).notNullable().defaultTo('open'); // open | won | lost
    businessDate(t, 'expected_close_date');
    userRef(t, 'owner_id').notNullable();
    timestamp(t, 'closed_at');
    createdUpdated(t);
    t.index(['owner_id', 'status']);
  });

  await knex.schema.createTable('opportunity_stage_history', (t) => {
    t.increments('id');
    t.integer('opportunity_id').unsigned().notNullable().references('id').inTable('opportunities');
    t.string('from_stage', 32);
    t.string('to_stage', 32).notNullable();
    t.integer('probability').notNullable();
    timestamp(t, 'at').notNullable();
    userRef(t, 'user_id');
    t.index(['opportunity_id']);
  });

  await knex.schema.createTable('orders', (t) => {
    t.increments('id');
    t.string('number', 64).notNullable().unique();
    t.integer('customer_id').unsigned().notNullable().references('id').inTable('customers');
    t.integer('opportunity_id').unsigned().references('id').inTable('opportunities');
    userRef(t, 'owner_id').notNullable();
    // draft | submitted | approved | rejected | fulfilled | closed | cancelled
    t.string('status', 16).notNullable();
    fen(t, 'total_fen').notNullable();
    t.integer('max_discount_bp').notNullable().defaultTo(0); // basis points of percent: 1250 = 12.50%
    t.boolean('needs_approval').notNullable().defaultTo(false);
    businessDate(t, 'signed_at');
    businessDate(t, 'start_date');
    businessDate(t, 'end_date');
    userRef(t, 'signer_id');
    timestamp(t, 'submitted_at');
    timestamp(t, 'approved_at');
    userRef(t, 'approved_by');
    t.string('reject_reason', 300);
    t.string('cancel_reason', 300);
    createdUpdated(t);
    t.index(['customer_id']);
    t.index(['owner_id', 'status']);
  });

  await knex.schema.createTable('order_items', (t) => {
    t.increments('id');
    t.integer('order_id').unsigned().notNullable().references('id').inTable('orders');
    t.integer('line_no').notNullable();
    t.integer('product_id').unsigned().notNullable().references('id').inTable('products');
    t.bigInteger('quantity_milli').notNullable(); // quantity × 1000
    fen(t, 'unit_price_fen').notNullable();
    t.integer('discount_bp').notNullable().defaultTo(0); // 1250 = 12.50%
    fen(t, 'subtotal_fen').notNullable();
    t.unique(['order_id', 'line_no']);
  });

  // 回款计划: numbered instalments; their sum never exceeds the order total.
  await knex.schema.createTable('plan_instalments', (t) => {
    t.increments('id');
    t.integer('order_id').unsigned().notNullable().references('id').inTable('orders');
    t.integer('number').notNullable();
    businessDate(t, 'due_date').notNullable();
    fen(t, 'amount_fen').notNullable();
    fen(t, 'paid_fen').notNullable().defaultTo(0);
    t.string('status', 16).notNullable(); // due | partly_paid | paid | overdue | void
    t.unique(['order_id', 'number']);
    t.index(['status', 'due_date']);
  });

  // Receipts 回款 and refunds 退款; each is one settlement transaction, written in the same DB transaction.
  await knex.schema.createTable('order_payments', (t) => {
    t.increments('id');
    t.integer('order_id').unsigned().notNullable().references('id').inTable('orders');
    t.integer('instalment_id').unsigned().references('id').inTable('plan_instalments');
    t.string('kind', 8).notNullable(); // receipt | refund
    fen(t, 'amount_fen').notNullable();
    timestamp(t, 'at').notNullable();
    businessDate(t, 'business_date').notNullable();
    t.string('method', 16);
    t.string('payer_account', 64);
    t.string('reason', 300);
    t.string('ref', 64).notNullable().unique();
    t.bigInteger('transaction_id').unsigned().references('id').inTable('settlement_transactions');
    userRef(t, 'handler_id');
    timestamp(t, 'created_at').notNullable();
    t.index(['order_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'order_payments',
    'plan_instalments',
    'order_items',
    'orders',
    'opportunity_stage_history',
    'opportunities',
    'products',
    'product_categories',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
