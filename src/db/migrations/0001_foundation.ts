import type { Knex } from 'knex';
import { businessDate, createdUpdated, timestamp, userRef } from './helpers.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('name', 64).notNullable().unique();
    t.string('display_name', 100);
    t.string('role', 16).notNullable();
    t.integer('supervisor_id').unsigned().references('id').inTable('users');
    t.string('status', 16).notNullable().defaultTo('active');
    createdUpdated(t);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    timestamp(t, 'at').notNullable();
    userRef(t, 'user_id');
    t.string('user_name', 64).notNullable();
    t.string('action', 64).notNullable();
    t.string('entity', 64).notNullable();
    t.string('entity_id', 128);
    t.text('before_json');
    t.text('after_json');
    t.string('batch_id', 36);
    t.index(['entity', 'entity_id']);
    t.index(['at']);
  });

  await knex.schema.createTable('settings', (t) => {
    t.string('key', 100).primary();
    t.text('value').notNullable();
    timestamp(t, 'updated_at').notNullable();
    userRef(t, 'updated_by');
  });

  await knex.schema.createTable('calendar_overrides', (t) => {
    businessDate(t, 'date').primary();
    t.string('kind', 16).notNullable(); // workday | closure
    t.string('reason', 200).notNullable();
    userRef(t, 'created_by');
    timestamp(t, 'created_at').notNullable();
  });

  // Years the calendar package does not cover, imported by an admin (holidays and make-up working days).
  await knex.schema.createTable('calendar_years', (t) => {
    t.integer('year').primary();
    t.text('holidays_json').notNullable();
    t.text('workdays_json').notNullable();
    t.string('source', 200);
    userRef(t, 'imported_by');
    timestamp(t, 'imported_at').notNullable();
  });

  // Cross-process mutual exclusion (a cron job and an operator must not run one step at once).
  await knex.schema.createTable('locks', (t) => {
    t.string('name', 128).primary();
    t.string('holder', 200).notNullable();
    timestamp(t, 'acquired_at').notNullable();
    timestamp(t, 'expires_at').notNullable();
  });

  // A job instance is (job, business date): it completes at most once.
  await knex.schema.createTable('job_runs', (t) => {
    t.increments('id');
    t.string('job', 64).notNullable();
    businessDate(t, 'business_date').notNullable();
    t.string('state', 16).notNullable(); // running | completed | failed
    t.string('trigger', 16).notNullable(); // scheduler | manual | catch-up
    t.integer('attempts').notNullable().defaultTo(1);
    timestamp(t, 'started_at').notNullable();
    timestamp(t, 'finished_at');
    timestamp(t, 'lease_until');
    t.string('host', 128);
    t.integer('pid');
    userRef(t, 'user_id');
    t.text('steps_json'); // what each step recorded, so a failed run resumes
    t.text('result_json');
    t.text('error');
    t.unique(['job', 'business_date']);
    t.index(['state']);
  });

  // Every attempt of an instance, for history (`crm jobs history`).
  await knex.schema.createTable('job_executions', (t) => {
    t.increments('id');
    t.integer('run_id').unsigned().notNullable().references('id').inTable('job_runs');
    t.string('job', 64).notNullable();
    businessDate(t, 'business_date').notNullable();
    t.string('state', 16).notNullable();
    t.string('trigger', 16).notNullable();
    timestamp(t, 'started_at').notNullable();
    timestamp(t, 'finished_at');
    t.string('host', 128);
    t.integer('pid');
    userRef(t, 'user_id');
    t.string('rerun_reason', 200);
    t.text('result_json');
    t.text('error');
    t.index(['job', 'business_date']);
  });

  await knex.schema.createTable('import_batches', (t) => {
    t.string('id', 36).primary();
    t.string('kind', 32).notNullable(); // customers | products | transactions
    t.string('file_name', 500).notNullable();
    t.string('sha256', 64).notNullable();
    t.string('mode', 16);
    t.string('status', 16).notNullable(); // running | completed | failed
    t.boolean('dry_run').notNullable().defaultTo(false);
    t.integer('read_rows').notNullable().defaultTo(0);
    t.integer('inserted').notNullable().defaultTo(0);
    t.integer('updated').notNullable().defaultTo(0);
    t.integer('unchanged').notNullable().defaultTo(0);
    t.integer('rejected').notNullable().defaultTo(0);
    t.integer('warnings').notNullable().defaultTo(0);
    t.integer('last_line').notNullable().defaultTo(0); // checkpoint: last committed line
    userRef(t, 'user_id');
    timestamp(t, 'started_at').notNullable();
    timestamp(t, 'finished_at');
    t.text('error');
    t.index(['kind', 'sha256']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'import_batches',
    'job_executions',
    'job_runs',
    'locks',
    'calendar_years',
    'calendar_overrides',
    'settings',
    'audit_log',
    'users',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
