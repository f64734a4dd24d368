import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { type ConnectionConfig, resolveConnectionConfig } from '../config/connection.js';
import { dataDir, defaultConfigFile } from '../config/paths.js';
import { type Clock, clockFromEnv, DEFAULT_TIME_ZONE, formatLocal } from '../domain/clock.js';
import { CrmError, ExitCode, type L10n } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import type { JobRegistry } from '../jobs/types.js';
import type { ReportFormat } from '../reports/render/index.js';
import type { Identity } from '../services/auth/index.js';
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
  as?: string;
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
  /** How the acting user was established (known once the services are open). */
  identity: Identity | null = null;

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

  /** Whether the user was named for this run (`--as`, `--user`, CRM_USER or a token) rather than the OS account or session. */
  get userGiven(): boolean {
    return Boolean(this.requestedUser()) || this.identity?.by === 'token';
  }

  /** Someone to act as, if named: `--as`, else `--user`, else CRM_USER (admins only: see resolveIdentity). */
  requestedUser(): string | undefined {
    return this.globals.as || this.globals.user || this.env.CRM_USER || undefined;
  }

  userName(): string {
    return this.requestedUser() ?? this.osAccount();
  }

  /** The operating-system account running crm (never the environment's USER, which anyone can set). */
  osAccount(): string {
    try {
      return os.userInfo().username;
    } catch {
      return `uid:${process.getuid?.() ?? 'unknown'}`;
    }
  }

  /** The verb running (`users passwd`), set before its action: some may run while a password change is pending. */
  commandPath = '';

  /** `$XDG_CONFIG_HOME/crm/session.json`: the sign-in session of `password` mode (mode 0600). */
  get sessionFile(): string {
    return path.join(path.dirname(defaultConfigFile(this.env)), 'session.json');
  }

  /** The session token in the session file, if any. A file others may read is refused (it is a key). */
  readSession(): { token: string; file: string } | undefined {
    const file = this.sessionFile;
    const text = readSecretFile(file, 'E1612');
    if (text === undefined) return undefined;
    try {
      const parsed = JSON.parse(text) as { token?: unknown };
      if (typeof parsed.token === 'string' && parsed.token) return { token: parsed.token, file };
    } catch {
      // fall through: an unreadable session is no session
    }
    return undefined;
  }

  /**
   * A scheduler or script token: CRM_TOKEN, else the file named by `tokenFile` in the config file. Never from argv
   * (other accounts can read a process's arguments).
   */
  apiToken(): string | undefined {
    const fromEnv = this.env.CRM_TOKEN?.trim();
    if (fromEnv) return fromEnv;
    const file = this.connection().tokenFile;
    if (!file) return undefined;
    const text = readSecretFile(path.resolve(path.dirname(this.connection().configFile), file), 'E1615', true);
    return text?.trim() || undefined;
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
      const { resolveIdentity } = await import('../services/auth/index.js');
      const clock = this.clock(tz);
      const identity = await resolveIdentity(
        { db, clock, settings },
        {
          osAccount: this.osAccount(),
          requested: this.requestedUser(),
          token: this.apiToken(),
          session: this.readSession(),
          allowPendingChange: PENDING_CHANGE_VERBS.includes(this.commandPath),
        },
      );
      const actor: Actor = identity.actor;
      this.identity = identity;
      this.timeZone = tz;
      return { db, clock, actor, settings };
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

/** Verbs a signed-in user may run while an admin's reset still requires a new password. */
const PENDING_CHANGE_VERBS = ['users passwd', 'whoami', 'logout'];

/**
 * Read a file holding a secret (session, token). Missing: undefined (unless `required`). Readable by others, or
 * owned by another account: refused (exit 4), since a key others can read is no key.
 */
export function readSecretFile(file: string, code: string, required = false): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CrmError(
      code,
      { zh: `无法读取密钥文件 ${file}`, en: `cannot read the secret file ${file}` },
      ExitCode.permission,
      { zh: '检查文件是否存在、是否属于你', en: 'check that the file exists and is yours' },
    );
  }
  const uid = process.getuid?.();
  if ((stat.mode & 0o077) !== 0 || (uid !== undefined && stat.uid !== uid)) {
    throw new CrmError(
      code,
      {
        zh: `密钥文件 ${file} 可被他人读取或不属于当前账户`,
        en: `the secret file ${file} is readable by others or not owned by this account`,
      },
      ExitCode.permission,
      {
        zh: `运行 chmod 600 ${file}（会话文件：删除后重新 "crm login"）`,
        en: `run chmod 600 ${file} (a session file: delete it and "crm login" again)`,
      },
    );
  }
  return fs.readFileSync(file, 'utf8');
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
