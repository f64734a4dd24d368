import type { Knex } from 'knex';
import { createdUpdated, timestamp, userRef } from './helpers.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customers', (t) => {
    t.increments('id');
    t.string('code', 64).notNullable().unique(); // for budget units: the national standard code 国标码
    t.string('name', 200).notNullable();
    t.string('name_norm', 200).notNullable(); // normalised for duplicate checks
    t.string('kind', 16).notNullable().defaultTo('company'); // unit | company | person
    t.integer('parent_id').unsigned().references('id').inTable('customers');
    t.string('industry', 64);
    t.string('region', 64);
    t.string('address', 300);
    t.string('phone', 40);
    t.string('phone_norm', 40);
    t.string('email', 200);
    t.string('source', 64);
    t.string('grade', 1);
    t.boolean('grade_manual').notNullable().defaultTo(false);
    userRef(t, 'owner_id'); // null: in the public pool
    t.string('status', 16).notNullable().defaultTo('active'); // active | locked | deleted
    t.string('deal_status', 16).notNullable().defaultTo('none'); // none | dealt
    timestamp(t, 'last_followup_at');
    timestamp(t, 'last_deal_at');
    timestamp(t, 'owned_since');
    t.text('note');
    t.string('import_batch_id', 36);
    userRef(t, 'created_by');
    createdUpdated(t);
    t.index(['parent_id']);
    t.index(['owner_id']);
    t.index(['name_norm']);
    t.index(['phone_norm']);
    t.index(['status']);
  });

  await knex.schema.createTable('contacts', (t) => {
    t.increments('id');
    t.integer('customer_id').unsigned().notNullable().references('id').inTable('customers');
    t.string('name', 100).notNullable();
    t.string('title', 100);
    t.string('phone', 40);
    t.string('mobile', 40);
    t.string('email', 200);
    t.boolean('is_primary').notNullable().defaultTo(false);
    createdUpdated(t);
    t.index(['customer_id']);
  });

  await knex.schema.createTable('leads', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable(); // company or person name
    t.string('contact_name', 100);
    t.string('phone', 40);
    t.string('email', 200);
    t.string('source', 64);
    t.string('status', 16).notNullable().defaultTo('new'); // new | working | converted | disqualified
    userRef(t, 'owner_id');
    t.integer('customer_id').unsigned().references('id').inTable('customers');
    t.string('disqualify_reason', 300);
    t.text('note');
    timestamp(t, 'converted_at');
    createdUpdated(t);
  });

  await knex.schema.createTable('followups', (t) => {
    t.increments('id');
    t.integer('customer_id').unsigned().references('id').inTable('customers');
    t.integer('lead_id').unsigned().references('id').inTable('leads');
    userRef(t, 'user_id').notNullable();
    t.string('method', 16).notNullable(); // phone | visit | email | sms | meeting
    t.text('content').notNullable();
    timestamp(t, 'at').notNullable();
    timestamp(t, 'next_at');
    timestamp(t, 'created_at').notNullable();
    t.index(['customer_id', 'at']);
    t.index(['user_id', 'at']);
  });

  // Every owner change: create, import, claim, assign, release, return (pool rule), merge.
  await knex.schema.createTable('ownership_history', (t) => {
    t.increments('id');
    t.integer('customer_id').unsigned().notNullable().references('id').inTable('customers');
    userRef(t, 'from_user_id');
    userRef(t, 'to_user_id');
    t.string('action', 16).notNullable();
    t.string('reason', 300);
    timestamp(t, 'at').notNullable();
    userRef(t, 'by_user_id');
    t.index(['customer_id', 'at']);
    t.index(['to_user_id', 'action', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['ownership_history', 'followups', 'leads', 'contacts', 'customers']) {
    await knex.schema.dropTableIfExists(table);
  }
}
