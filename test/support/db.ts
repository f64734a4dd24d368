import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe } from 'vitest';
import { ensureMysqlDatabase, openDatabase } from '../../src/db/connection.js';
import type { Clock } from '../../src/domain/clock.js';
import type { ServiceContext } from '../../src/services/context.js';
import { SettingsService } from '../../src/services/settings.js';
import { initialise } from '../../src/services/system.js';
import { createUser, resolveActor, SYSTEM_ACTOR } from '../../src/services/users.js';
import { mysqlBaseUrl, requireMysql } from './env.js';

export type DbName = 'sqlite' | 'mysql';

/** A clock tests can move. */
export class TestClock implements Clock {
  private t: Date;
  constructor(iso = '2026-11-23T10:00:00+08:00') {
    this.t = new Date(iso);
  }
  now(): Date {
    return new Date(this.t.getTime());
  }
  set(iso: string): void {
    this.t = new Date(iso);
  }
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
}

/** What a suite gets for each database: a fresh, migrated database with an admin user named "admin". */
export interface DbHarness {
  readonly name: DbName;
  /** The URL of this suite's database (for spawning the CLI against it). */
  url(): string;
  db(): Knex;
  clock: TestClock;
  /** A service context acting as `user` (default "admin"). */
  as(user?: string): Promise<ServiceContext>;
  /** Create a user (admin acting), returns its name. */
  addUser(name: string, role: string, supervisor?: string): Promise<string>;
}

let counter = 0;
function uniqueName(): string {
  counter += 1;
  return `crm_t_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

function mysqlUrlFor(dbName: string): string {
  const u = new URL(mysqlBaseUrl!);
  u.pathname = `/${dbName}`;
  return u.toString();
}

/**
 * Run the same suite on SQLite (a real file in a temp dir) and on MariaDB (a fresh database on the
 * server named by CRM_TEST_MYSQL_URL). Without that variable the MySQL run is skipped (globalSetup prints
 * one line for the whole run), unless CRM_TEST_REQUIRE_MYSQL=1, where it fails.
 */
export function describeEachDb(title: string, body: (h: DbHarness) => void): void {
  for (const name of ['sqlite', 'mysql'] as const) {
    if (name === 'mysql' && !mysqlBaseUrl) {
      if (requireMysql) {
        describe(`${title} [mysql]`, () => {
          throw new Error('CRM_TEST_REQUIRE_MYSQL=1 but CRM_TEST_MYSQL_URL is not set');
        });
      } else {
        describe.skip(`${title} [mysql] (skipped: CRM_TEST_MYSQL_URL not set)`, () => body(unavailable(name)));
      }
      continue;
    }
    describe(`${title} [${name}]`, () => {
      const h = createHarness(name);
      beforeAll(async () => {
        await (h as HarnessImpl).setup();
      });
      afterAll(async () => {
        await (h as HarnessImpl).teardown();
      });
      body(h);
    });
  }
}

function unavailable(name: DbName): DbHarness {
  const fail = () => {
    throw new Error('database not available');
  };
  return { name, url: fail, db: fail, clock: new TestClock(), as: fail, addUser: fail };
}

interface HarnessImpl extends DbHarness {
  setup(): Promise<void>;
  teardown(): Promise<void>;
}

function createHarness(name: DbName): HarnessImpl {
  let knex: Knex | null = null;
  let url = '';
  let tmpDir = '';
  let dbName = '';
  const clock = new TestClock();
  const h: HarnessImpl = {
    name,
    clock,
    url: () => url,
    db: () => {
      if (!knex) throw new Error('harness not set up');
      return knex;
    },
    async as(user = 'admin') {
      const db = h.db();
      return { db, clock, actor: await resolveActor(db, user), settings: SettingsService.create(db) };
    },
    async addUser(userName, role, supervisor) {
      const db = h.db();
      await createUser(
        { db, clock, actor: SYSTEM_ACTOR, settings: SettingsService.create(db) },
        { name: userName, role, supervisor },
      );
      return userName;
    },
    async setup() {
      if (name === 'sqlite') {
        tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-test-'));
        url = `sqlite:${path.join(tmpDir, 'crm.sqlite')}`;
      } else {
        dbName = uniqueName();
        url = mysqlUrlFor(dbName);
        await ensureMysqlDatabase(url);
      }
      knex = await openDatabase(url);
      // The OS account running the tests may act as any user (CRM_USER=admin, --user bob), as after `crm init`.
      await initialise(knex, clock, 'admin', undefined, { mode: 'os', osAccount: os.userInfo().username });
    },
    async teardown() {
      await knex?.destroy();
      knex = null;
      if (name === 'sqlite') fs.rmSync(tmpDir, { recursive: true, force: true });
      else await dropMysqlDatabase(dbName);
    },
  };
  return h;
}

async function dropMysqlDatabase(dbName: string): Promise<void> {
  const { default: knexFactory } = await import('knex');
  const u = new URL(mysqlBaseUrl!);
  const admin = knexFactory({
    client: 'mysql2',
    connection: {
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username || 'root'),
      password: decodeURIComponent(u.password),
    },
    pool: { min: 0, max: 1 },
  });
  try {
    await admin.raw('DROP DATABASE IF EXISTS ??', [dbName]);
  } finally {
    await admin.destroy();
  }
}

/** A fresh database URL for tests that spawn CLI processes (not migrated). Returns [url, cleanup]. */
export async function freshDatabaseUrl(name: DbName): Promise<[string, () => Promise<void>]> {
  if (name === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-test-'));
    return [`sqlite:${path.join(dir, 'crm.sqlite')}`, async () => fs.rmSync(dir, { recursive: true, force: true })];
  }
  if (!mysqlBaseUrl) throw new Error('CRM_TEST_MYSQL_URL not set');
  const dbName = uniqueName();
  const url = mysqlUrlFor(dbName);
  await ensureMysqlDatabase(url);
  return [url, () => dropMysqlDatabase(dbName)];
}

export const mysqlAvailable = Boolean(mysqlBaseUrl);
