import type { Knex } from 'knex';
import { businessDate, createdUpdated, fen, timestamp, userRef } from './helpers.js';

/**
 * Daily work (办公): the staff directory's fields on users, tasks with their cc list, schedules with their
 * participants, customer visits (plan and report), work logs, announcements with read marks, and the morning
 * digest's sent register (one e-mail per user per day, even when the job is retried).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('department', 100);
    t.string('title', 100);
    t.string('phone', 40);
    t.string('mobile', 40);
    t.string('email', 200);
    t.string('lang', 2);
  });

  await knex.schema.createTable('tasks', (t) => {
    t.increments('id');
    t.string('title', 200).notNullable();
    t.text('description');
    userRef(t, 'assignee_id').notNullable();
    userRef(t, 'creator_id');
    timestamp(t, 'due_at');
    t.string('priority', 8).notNullable().defaultTo('normal');
    t.integer('customer_id').unsigned().references('id').inTable('customers');
    t.integer('order_id').unsigned().references('id').inTable('orders');
    t.integer('opportunity_id').unsigned().references('id').inTable('opportunities');
    t.string('status', 8).notNullable().defaultTo('open');
    timestamp(t, 'done_at');
    createdUpdated(t);
    t.index(['assignee_id', 'status', 'due_at']);
  });

  await knex.schema.createTable('task_cc', (t) => {
    t.integer('task_id').unsigned().notNullable().references('id').inTable('tasks').onDelete('CASCADE');
    userRef(t, 'user_id').notNullable();
    t.primary(['task_id', 'user_id']);
  });

  await knex.schema.createTable('schedules', (t) => {
    t.increments('id');
    t.string('title', 200).notNullable();
    timestamp(t, 'start_at').notNullable();
    timestamp(t, 'end_at').notNullable();
    t.boolean('all_day').notNullable().defaultTo(false);
    t.string('place', 200);
    t.integer('customer_id').unsigned().references('id').inTable('customers');
    t.integer('remind_minutes');
    userRef(t, 'owner_id').notNullable();
    t.string('status', 12).notNullable().defaultTo('active');
    t.text('note');
    createdUpdated(t);
    t.index(['start_at']);
  });

  await knex.schema.createTable('schedule_participants', (t) => {
    t.integer('schedule_id').unsigned().notNullable().references('id').inTable('schedules').onDelete('CASCADE');
    userRef(t, 'user_id').notNullable();
    t.primary(['schedule_id', 'user_id']);
  });

  await knex.schema.createTable('visits', (t) => {
    t.increments('id');
    t.integer('customer_id').unsigned().notNullable().references('id').inTable('customers');
    userRef(t, 'user_id').notNullable();
    userRef(t, 'companion_id');
    businessDate(t, 'planned_date').notNullable();
    t.string('purpose', 16).notNullable();
    t.string('status', 12).notNullable().defaultTo('planned');
    t.string('result', 1);
    t.text('notes');
    t.text('problems_handled');
    t.text('problems_open');
    businessDate(t, 'next_date');
    fen(t, 'expense_fen').notNullable().defaultTo(0);
    t.string('expense_item', 100);
    t.integer('followup_id').unsigned().references('id').inTable('followups');
    timestamp(t, 'reported_at');
    createdUpdated(t);
    t.index(['user_id', 'planned_date']);
  });

  await knex.schema.createTable('work_logs', (t) => {
    t.increments('id');
    userRef(t, 'user_id').notNullable();
    t.string('kind', 8).notNullable();
    businessDate(t, 'log_date').notNullable();
    t.text('content').notNullable();
    t.string('customer_codes', 500);
    createdUpdated(t);
    t.index(['user_id', 'log_date']);
  });

  await knex.schema.createTable('announcements', (t) => {
    t.increments('id');
    t.string('title', 200).notNullable();
    t.text('content').notNullable();
    businessDate(t, 'until_date');
    t.boolean('pinned').notNullable().defaultTo(false);
    userRef(t, 'author_id');
    createdUpdated(t);
  });

  await knex.schema.createTable('announcement_reads', (t) => {
    t.integer('announcement_id').unsigned().notNullable().references('id').inTable('announcements').onDelete('CASCADE');
    userRef(t, 'user_id').notNullable();
    timestamp(t, 'read_at').notNullable();
    t.primary(['announcement_id', 'user_id']);
  });

  await knex.schema.createTable('digest_sends', (t) => {
    t.increments('id');
    businessDate(t, 'business_date').notNullable();
    userRef(t, 'user_id').notNullable();
    t.string('email', 200).notNullable();
    t.string('status', 12).notNullable();
    t.string('message_id', 200).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('error', 500);
    timestamp(t, 'updated_at').notNullable();
    t.unique(['business_date', 'user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'digest_sends',
    'announcement_reads',
    'announcements',
    'work_logs',
    'visits',
    'schedule_participants',
    'schedules',
    'task_cc',
    'tasks',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('department');
    t.dropColumn('title');
    t.dropColumn('phone');
    t.dropColumn('mobile');
    t.dropColumn('email');
    t.dropColumn('lang');
  });
}
