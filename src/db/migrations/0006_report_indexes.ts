import type { Knex } from 'knex';

/**
 * Indexes for the reports on large databases (issue 7 "1M customers, 1M transactions"; issue 8 benchmark).
 * Each serves a period filter that otherwise scans the whole table:
 * - customers (owner_id, created_at, status): new customers per owner in a period, read from the index alone.
 *   It replaces the single-column owner_id index (a prefix of it), so customer imports maintain no extra index.
 * - orders (signed_at, created_at): counted orders of a period, signed in it or (unsigned) created in it:
 *   both branches of the OR are range searches on this one index.
 * - order_payments (business_date): receipts and refunds of a period.
 * - order_payments (order_id, business_date, kind, amount_fen): net received per order up to a date (receivables),
 *   read from the index alone; replaces the single-column order_id index.
 * - opportunities (status, closed_at): won and lost in a period (funnel).
 */
export async function up(knex: Knex): Promise<void> {
  // Create the wider index before dropping the narrow one: on MySQL a foreign key needs an index on its column.
  await knex.schema.alterTable('customers', (t) => {
    t.index(['owner_id', 'created_at', 'status'], 'customers_owner_created_status_index');
  });
  await knex.schema.alterTable('customers', (t) => {
    t.dropIndex(['owner_id'], 'customers_owner_id_index');
  });
  await knex.schema.alterTable('orders', (t) => {
    t.index(['signed_at', 'created_at'], 'orders_signed_created_index');
  });
  await knex.schema.alterTable('order_payments', (t) => {
    t.index(['business_date'], 'order_payments_business_date_index');
    t.index(['order_id', 'business_date', 'kind', 'amount_fen'], 'order_payments_order_date_kind_amount_index');
  });
  await knex.schema.alterTable('order_payments', (t) => {
    t.dropIndex(['order_id'], 'order_payments_order_id_index');
  });
  await knex.schema.alterTable('opportunities', (t) => {
    t.index(['status', 'closed_at'], 'opportunities_status_closed_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('opportunities', (t) => {
    t.dropIndex(['status', 'closed_at'], 'opportunities_status_closed_index');
  });
  await knex.schema.alterTable('order_payments', (t) => {
    t.index(['order_id'], 'order_payments_order_id_index');
  });
  await knex.schema.alterTable('order_payments', (t) => {
    t.dropIndex(['order_id', 'business_date', 'kind', 'amount_fen'], 'order_payments_order_date_kind_amount_index');
    t.dropIndex(['business_date'], 'order_payments_business_date_index');
  });
  await knex.schema.alterTable('orders', (t) => {
    t.dropIndex(['signed_at', 'created_at'], 'orders_signed_created_index');
  });
  await knex.schema.alterTable('customers', (t) => {
    t.index(['owner_id'], 'customers_owner_id_index');
  });
  await knex.schema.alterTable('customers', (t) => {
    t.dropIndex(['owner_id', 'created_at', 'status'], 'customers_owner_created_status_index');
  });
}
