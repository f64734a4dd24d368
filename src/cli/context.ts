import os from 'node:os';
import type { Knex } from 'knex';
import { type ConnectionConfig, resolveConnectionConfig } from '../config/connection.js';
import { dataDir } from '../config/paths.js';
import { type Clock, clockFromEnv, DEFAULT_TIME_ZONE, formatLocal } from '../domain/clock.js';
import { CrmError, ExitCode, type L10n } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import type { JobRegistry } from '../jobs/types.js';
import type { ReportFormat } from '../reports/render/index.js';
import type { ServiceContext } from '../services/context.js';
import { SettingsService } from '../services/settings.js';
import { type Lang, resolveLang, tr } from './i18n.js';
import type { IO } from './io.js';

let installedJobs: JobRegistry | null = null;

/**
 * Run these jobs instead of the product's in this process. For tests that spawn the CLI
 * (test/support/crm-test-jobs.mjs calls it before main); production code never does.
 */
export function installJobRegistry(registry: JobRegistry | null): void {
  installedJobs = registry;
}

/** Lists use table, tsv, csv and json; reports add print and html. */
export type OutputFormat = ReportFormat;

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  db?: string;
  config?: string;
  user?: string;
  lang?: string;
  json?: boolean;
  csv?: boolean;
  format?: string;
  debug?: boolean;
  color?: boolean;
}

/**
 * Everything a command may touch: streams, environment, configuration, the database, the clock,
 * and who is acting. Commands never reach for `process` or `console`; tests build a context with buffers.
 */
export class CliContext {
  globals: GlobalOptions = {};
  /** The business time zone (setting `timezone`), known once the services are open; times people read use it. */
  timeZone = DEFAULT_TIME_ZONE;
  lang: Lang;
  private dbPromise: Promise<Knex> | null = null;
  private servicesPromise: Promise<ServiceContext> | null = null;
  private connectionConfig: ConnectionConfig | null = null;

  constructor(
    readonly io: IO,
    readonly env: Record<string, string | undefined>,
    readonly cwd: string,
  ) {
    this.lang = resolveLang(undefined, env);
  }

  setGlobals(globals: GlobalOptions): void {
    this.globals = globals;
    this.connectionConfig = null;
    this.lang = resolveLang(globals.lang, this.env, this.safeConnection()?.lang);
  }

  private safeConnection(): ConnectionConfig | null {
    try {
      return this.connection();
    } catch {
      return null;
    }
  }

  connection(): ConnectionConfig {
    this.connectionConfig ??= resolveConnectionConfig({ db: this.globals.db, config: this.globals.config }, this.env);
    return this.connectionConfig;
  }

  /** A UTC instant as people read it: `2026-11-23 10:00:00` in the business time zone ('' for none). */
  localTime(iso: unknown): string {
    if (iso === null || iso === undefined || iso === '') return '';
    const at = new Date(String(iso));
    return Number.isNaN(at.getTime()) ? String(iso) : formatLocal(at, this.timeZone);
  }

  t(message: L10n, params?: Record<string, string | number>): string {
    return tr(this.lang, message, params);
  }

  out(text = ''): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** Notes and warnings go to stderr, so stdout stays clean for pipes and --json. */
  note(message: L10n, params?: Record<string, string | number>): void {
    this.io.stderr.write(`${this.t(message, params)}\n`);
  }

  get json(): boolean {
    return Boolean(this.globals.json) || this.globals.format === 'json';
  }

  /** The output format: explicit flag, else a table for people and tab-separated lines for pipes. */
  format(allowed: readonly OutputFormat[] = ['table', 'tsv', 'csv', 'json']): OutputFormat {
    let format: OutputFormat;
    if (this.globals.json) format = 'json';
    else if (this.globals.csv) format = 'csv';
    else if (this.globals.format) format = this.globals.format as OutputFormat;
    else format = this.io.stdout.isTTY ? 'table' : 'tsv';
    if (!allowed.includes(format)) {
      throw new CrmError(
        'E0003',
        {
          zh: `此命令不支持输出格式 ${format}（可选：${allowed.join(', ')}）`,
          en: `this command cannot write format ${format} (use one of ${allowed.join(', ')})`,
        },
        ExitCode.usage,
      );
    }
    return format;
  }

  /** Colour only on a terminal, and never when NO_COLOR is set or --no-color given. */
  get color(): boolean {
    return this.io.stdout.isTTY && !this.env.NO_COLOR && this.globals.color !== false;
  }

  /** Prompts and progress only when a person is at a terminal, never in CI or pipes. */
  get interactive(): boolean {
    return this.io.stdinIsTTY && this.io.stderr.isTTY && !this.env.CI;
  }

  get showProgress(): boolean {
    return this.io.stderr.isTTY && !this.env.CI;
  }

  /** The business clock; CRM_NOW pins "now" (an offset-less value is read in the business time zone). */
  clock(timeZone = 'Asia/Shanghai'): Clock {
    return clockFromEnv(this.env, timeZone);
  }

  /** Where the CRM keeps its files when no setting says otherwise (XDG_DATA_HOME/crm, else ~/.local/share/crm). */
  get dataDir(): string {
    return dataDir(this.env);
  }

  /**
   * Import engine options an operator may set for one run: CRM_NO_LOAD_DATA=1 sends MariaDB rows as INSERTs
   * instead of LOAD DATA LOCAL (for servers that refuse local_infile), CRM_IMPORT_HEAP_MB the memory floor (MB)
   * below which an import spills rows to disk.
   */
  get importOptions(): { loadData?: boolean; heapFloorMb?: number } {
    const heap = this.env.CRM_IMPORT_HEAP_MB?.trim();
    return {
      ...(this.env.CRM_NO_LOAD_DATA === '1' ? { loadData: false } : {}),
      ...(heap && /^\d+$/.test(heap) && Number(heap) > 0 ? { heapFloorMb: Number(heap) } : {}),
    };
  }

  /** The jobs this process knows: the installed registry, else the product's (loaded when a jobs verb runs). */
  async jobRegistry(): Promise<JobRegistry> {
    return installedJobs ?? (await import('../jobs/definitions.js')).BUILTIN_JOBS;
  }

  /** CRM_JOBS_LEASE_MS (tests, impatient operators): a job lease that wins over the setting `jobs.leaseSeconds`. */
  get jobsLeaseMs(): number | undefined {
    const raw = this.env.CRM_JOBS_LEASE_MS?.trim();
    return raw && /^\d+$/.test(raw) && Number(raw) > 0 ? Number(raw) : undefined;
  }

  /** Whether the user was named for this run (`--user` or CRM_USER) rather than taken from the OS. */
  get userGiven(): boolean {
    return Boolean(this.globals.user || this.env.CRM_USER);
  }

  userName(): string {
    if (this.globals.user) return this.globals.user;
    if (this.env.CRM_USER) return this.env.CRM_USER;
    try {
      return os.userInfo().username;
    } catch {
      return this.env.USER ?? 'unknown';
    }
  }

  /** Open the database (lazily: commands that need none never load a driver). */
  async db(): Promise<Knex> {
    this.dbPromise ??= (async () => {
      const { openDatabase } = await import('../db/connection.js');
      return openDatabase(this.connection().databaseUrl, this.cwd);
    })();
    return this.dbPromise;
  }

  /** The database, checked to be initialised and migrated. */
  async readyDb(): Promise<Knex> {
    const db = await this.db();
    const { migrationStatus } = await import('../db/migrate.js');
    let status: Awaited<ReturnType<typeof migrationStatus>>;
    try {
      status = await migrationStatus(db);
    } catch (err) {
      throw databaseUnreachable(this.connection().databaseUrl, err as Error);
    }
    if (status.every((s) => !s.applied)) {
      throw new CrmError('E1501', { zh: '数据库尚未初始化', en: 'the database is not initialised' }, ExitCode.error, {
        zh: '先运行 "crm init"（会创建数据库和第一个管理员）',
        en: 'run "crm init" first (it creates the database and the first admin)',
      });
    }
    if (status.some((s) => !s.applied)) {
      throw new CrmError(
        'E1502',
        { zh: '数据库结构不是最新的', en: 'the database schema is out of date' },
        ExitCode.error,
        { zh: '运行 "crm db migrate"', en: 'run "crm db migrate"' },
      );
    }
    return db;
  }

  /** Services' context: database, business clock, settings and the acting user. */
  async services(): Promise<ServiceContext> {
    this.servicesPromise ??= (async () => {
      const db = await this.readyDb();
      const settings = SettingsService.create(db);
      const tz = await settings.get<string>('timezone');
      const { resolveActor } = await import('../services/users.js');
      const actor: Actor = await resolveActor(db, this.userName());
      this.timeZone = tz;
      return { db, clock: this.clock(tz), actor, settings };
    })();
    return this.servicesPromise;
  }

  async close(): Promise<void> {
    if (this.dbPromise) {
      const db = await this.dbPromise.catch(() => null);
      this.dbPromise = null;
      this.servicesPromise = null;
      await db?.destroy();
    }
  }
}

export function databaseUnreachable(url: string, err: Error): CrmError {
  const redacted = url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
  return new CrmError(
    'E1503',
    { zh: `无法连接数据库 ${redacted}：${err.message}`, en: `cannot reach the database ${redacted}: ${err.message}` },
    ExitCode.error,
    {
      zh: '检查 --db / CRM_DATABASE_URL 与数据库服务是否运行',
      en: 'check --db / CRM_DATABASE_URL and that the database server is running',
    },
  );
}
