import type { Knex } from 'knex';
import { businessDate, timestamp, userRef } from './helpers.js';

/**
 * Customer service (客户服务管理): tickets with their history, escalations and return visits; satisfaction
 * surveys; care plans and the care contacts they created. Job instances gain a `slot` (the hour of an hourly
 * job, empty for daily jobs), so an instance is (job, business date, slot).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('job_runs', (t) => {
    t.string('slot', 8).notNullable().defaultTo('');
  });
  await knex.schema.alterTable('job_runs', (t) => {
    t.dropUnique(['job', 'business_date']);
    t.unique(['job', 'business_date', 'slot']);
  });
  await knex.schema.alterTable('job_executions', (t) => {
    t.string('slot', 8).notNullable().defaultTo('');
  });

  await knex.schema.createTable('tickets', (t) => {
    t.increments('id');
    t.string('number', 40).notNullable().unique();
    t.integer('customer_id').unsigned().notNullable().references('id').inTable('customers');
    t.integer('contact_id').unsigned().references('id').inTable('contacts');
    t.integer('order_id').unsigned().references('id').inTable('orders');
    t.string('kind', 16).notNullable(); // complaint | fault | request | enquiry
    t.string('priority', 16).notNullable(); // urgent | high | normal | low
    t.string('channel', 16);
    t.string('title', 200).notNullable();
    t.text('content').notNullable();
    t.string('status', 16).notNullable(); // open | responded | resolved | closed | reopened
    userRef(t, 'handler_id');
    timestamp(t, 'received_at').notNullable();
    timestamp(t, 'response_due').notNullable();
    timestamp(t, 'resolve_due').notNullable();
    timestamp(t, 'responded_at');
    timestamp(t, 'resolved_at');
    timestamp(t, 'closed_at');
    t.text('resolution');
    t.text('measures');
    businessDate(t, 'revisit_due');
    timestamp(t, 'revisited_at');
    t.integer('satisfaction');
    userRef(t, 'created_by');
    timestamp(t, 'created_at').notNullable();
    timestamp(t, 'updated_at').notNullable();
    t.index(['status']);
    t.index(['customer_id']);
    t.index(['handler_id']);
    t.index(['received_at']);
  });

  // Every step of a ticket's life: received, assigned, responded, noted, resolved, closed, reopened, revisited, escalated.
  await knex.schema.createTable('ticket_events', (t) => {
    t.increments('id');
    t.integer('ticket_id').unsigned().notNullable().references('id').inTable('tickets');
    timestamp(t, 'at').notNullable();
    userRef(t, 'user_id');
    t.string('user_name', 64).notNullable();
    t.string('step', 16).notNullable();
    t.text('content');
    t.text('detail_json');
    t.index(['ticket_id']);
  });

  // One escalation per breach: a due time passed, for the response or the resolution.
  await knex.schema.createTable('ticket_escalations', (t) => {
    t.increments('id');
    t.integer('ticket_id').unsigned().notNullable().references('id').inTable('tickets');
    t.string('kind', 16).notNullable(); // response | resolve
    timestamp(t, 'due_at').notNullable();
    timestamp(t, 'at').notNullable();
    userRef(t, 'to_user_id');
    t.string('instance', 40);
    t.unique(['ticket_id', 'kind', 'due_at']);
  });

  await knex.schema.createTable('ticket_revisits', (t) => {
    t.increments('id');
    t.integer('ticket_id').unsigned().notNullable().references('id').inTable('tickets');
    timestamp(t, 'at').notNullable();
    t.integer('satisfaction').notNullable();
    t.text('comment');
    userRef(t, 'user_id');
    t.boolean('reopened').notNullable().defaultTo(false);
    t.index(['ticket_id']);
    t.index(['at']);
  });

  await knex.schema.createTable('surveys', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable();
    t.text('filters_json');
    userRef(t, 'created_by');
    timestamp(t, 'created_at').notNullable();
  });

  await knex.schema.createTable('survey_invitations', (t) => {
    t.integer('survey_id').unsigned().notNullable().references('id').inTable('surveys');
    t.integer('customer_id').unsigned().notNullable().references('id').inTable('customers');
    t.string('grade', 2);
    timestamp(t, 'invited_at').notNullable();
    t.primary(['survey_id', 'customer_id']);
  });

  await knex.schema.createTable('survey_responses', (t) => {
    t.increments('id');
    t.integer('survey_id').unsigned().notNullable().references('id').inTable('surveys');
    t.integer('customer_id').unsigned().notNullable().references('id').inTable('customers');
    t.integer('score').notNullable();
    t.text('comment');
    userRef(t, 'user_id');
    timestamp(t, 'at').notNullable();
    t.unique(['survey_id', 'customer_id']);
  });

  // Care plans (客户关怀): a rule that makes care contacts due, as follow-ups the owner sees among the due ones.
  await knex.schema.createTable('care_plans', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable();
    t.string('rule', 16).notNullable(); // periodic | anniversary
    t.string('every', 16); // month | quarter | year (periodic)
    t.string('grade', 2); // only customers of this grade (periodic)
    t.string('method', 16).notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    userRef(t, 'created_by');
    timestamp(t, 'created_at').notNullable();
  });

  // What a plan created: one per plan, customer and period (2026-Q4, 2026-11, 2026), never twice.
  await knex.schema.createTable('care_contacts', (t) => {
    t.increments('id');
    t.integer('plan_id').unsigned().notNullable().references('id').inTable('care_plans');
    t.integer('customer_id').unsigned().notNullable().references('id').inTable('customers');
    t.string('period', 16).notNullable();
    businessDate(t, 'due_date').notNullable();
    t.integer('followup_id').unsigned().references('id').inTable('followups');
    timestamp(t, 'created_at').notNullable();
    t.unique(['plan_id', 'customer_id', 'period']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'care_contacts',
    'care_plans',
    'survey_responses',
    'survey_invitations',
    'surveys',
    'ticket_revisits',
    'ticket_escalations',
    'ticket_events',
    'tickets',
  ])
    await knex.schema.dropTableIfExists(table);
  await knex.schema.alterTable('job_runs', (t) => {
    t.dropUnique(['job', 'business_date', 'slot']);
    t.unique(['job', 'business_date']);
  });
  await knex.schema.alterTable('job_runs', (t) => t.dropColumn('slot'));
  await knex.schema.alterTable('job_executions', (t) => t.dropColumn('slot'));
}
