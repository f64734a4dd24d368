import type { Knex } from 'knex';
import { businessDate, createdUpdated, fen, timestamp, userRef } from './helpers.js';

/**
 * The approval engine (审批): flows changed from their defaults, requests with their applicable steps frozen at
 * submission, one decision per (request, round, step) (the unique key that makes a step decided exactly once),
 * people copied on a request, and delegations while an approver is away.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('approval_flows', (t) => {
    t.string('type', 32).primary();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.text('steps_json').notNullable();
    timestamp(t, 'updated_at').notNullable();
    userRef(t, 'updated_by');
  });

  await knex.schema.createTable('approval_requests', (t) => {
    t.increments('id');
    t.string('type', 32).notNullable();
    t.string('title', 200).notNullable();
    t.string('status', 16).notNullable(); // pending | approved | rejected | withdrawn
    userRef(t, 'requester_id').notNullable();
    userRef(t, 'submitted_by').notNullable();
    fen(t, 'amount_fen');
    businessDate(t, 'from_date');
    businessDate(t, 'to_date');
    t.integer('customer_id').unsigned().references('id').inTable('customers');
    t.integer('order_id').unsigned().references('id').inTable('orders').unique();
    t.text('items_json');
    t.string('attendees', 300);
    t.string('note', 500);
    t.text('steps_json').notNullable(); // the applicable steps, frozen when (re)submitted
    t.integer('round').notNullable().defaultTo(1);
    t.integer('current_step'); // 1-based; null once the request has ended
    timestamp(t, 'step_opened_at');
    t.integer('reminded_step'); // the step a reminder went out for (once per step)
    t.integer('escalated_levels').notNullable().defaultTo(0); // levels added to the current step by escalation
    t.string('reject_reason', 300);
    fen(t, 'actual_fen'); // reception and gift: what was spent, reported after approval
    t.string('actual_note', 300);
    timestamp(t, 'settled_at');
    timestamp(t, 'submitted_at').notNullable();
    timestamp(t, 'decided_at');
    t.integer('version').notNullable().defaultTo(0); // touched first in every decision: the row lock
    createdUpdated(t);
    t.index(['status', 'type']);
    t.index(['requester_id', 'status']);
  });

  await knex.schema.createTable('approval_decisions', (t) => {
    t.increments('id');
    t.integer('request_id').unsigned().notNullable().references('id').inTable('approval_requests');
    t.integer('round').notNullable();
    t.integer('step').notNullable();
    t.string('decision', 16).notNullable(); // approved | rejected
    userRef(t, 'user_id').notNullable();
    userRef(t, 'on_behalf_of'); // the approver a delegate decided for
    t.string('comment', 500);
    timestamp(t, 'opened_at').notNullable(); // when the step began to wait (working days to decide)
    timestamp(t, 'at').notNullable();
    t.unique(['request_id', 'round', 'step']);
  });

  await knex.schema.createTable('approval_cc', (t) => {
    t.integer('request_id').unsigned().notNullable().references('id').inTable('approval_requests');
    userRef(t, 'user_id').notNullable();
    t.primary(['request_id', 'user_id']);
  });

  await knex.schema.createTable('approval_delegations', (t) => {
    t.increments('id');
    userRef(t, 'from_user_id').notNullable();
    userRef(t, 'to_user_id').notNullable();
    businessDate(t, 'from_date').notNullable();
    businessDate(t, 'to_date').notNullable();
    timestamp(t, 'created_at').notNullable();
    t.index(['from_user_id', 'to_date']);
  });

  // Orders already waiting for a manager move onto the engine: one pending request each, at its first step.
  const waiting: { id: number; number: string; owner_id: number; total_fen: unknown; submitted_at: string | null }[] =
    await knex('orders').where({ status: 'submitted' }).select('id', 'number', 'owner_id', 'total_fen', 'submitted_at');
  const now = new Date().toISOString();
  for (const o of waiting) {
    await knex('approval_requests').insert({
      type: 'order',
      title: o.number,
      status: 'pending',
      requester_id: o.owner_id,
      submitted_by: o.owner_id,
      amount_fen: Number(o.total_fen),
      order_id: o.id,
      steps_json: JSON.stringify([{ approver: { kind: 'manager', levels: 0 } }]),
      round: 1,
      current_step: 1,
      step_opened_at: o.submitted_at ?? now,
      submitted_at: o.submitted_at ?? now,
      created_at: now,
      updated_at: now,
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'approval_delegations',
    'approval_cc',
    'approval_decisions',
    'approval_requests',
    'approval_flows',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
