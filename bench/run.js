#!/usr/bin/env node
// The benchmark suite (issue 8): each `crm` case against a reference tool, side by side, on the same file and the
// same machine. Whole processes are measured: wall time from here, peak RSS from the OS (`/usr/bin/time -v`, else
// polling /proc/<pid>/status VmHWM).
//
//   npm run bench [-- --rows N --runs K --only NAME[,NAME] --keep --no-mysql --baseline-rows M --json]
//
// Cases whose command does not exist yet are reported as "not implemented yet"; references that cannot run
// (no sqlite3 CLI, MariaDB down, local_infile off) are reported as such. Nothing here asserts anything about time:
// the exit code is 0 unless the harness itself breaks (or a command crashes with --strict).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../fixtures/gen-customers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'crm.js');
const NODE = process.execPath;
const SEED = '20261120';
const FEED_DATE = '2026-11-20'; // a Friday: the transactions' business date (P)
const CLEAR_DATE = '2026-11-23'; // the next working day (D): vouchers dated D clear P
const IMPORT_OK = [0, 6]; // 6: the import finished but rejected some rows (the 1% bad rows)

// ---------------------------------------------------------------------------------------------------------------
// Options

const USAGE = `usage: npm run bench [-- options]
  --rows N            rows per data set (default 1000000; 2000 for a CI smoke run)
  --runs K            timed runs per side (default 3; quick cases run at least 5)
  --only NAME[,NAME]  only these cases (a name or a prefix: customers, settlement-import, reports, ...)
  --baseline-rows M   also run imports and clear once at M rows for the memory comparison
                      (default N/10 when N >= 200000; 0 turns it off)
  --mysql URL         MariaDB server (default mysql://root@127.0.0.1:3306); --no-mysql skips its cases
  --mysql-rows M      rows for the MariaDB cases (default N, at most 100000: a 1M-row MariaDB import takes
                      minutes a run, and the whole suite must fit in 10 minutes; the table shows the rows)
  --timeout S         kill a command after S seconds (default 300)
  --side-budget S     stop repeating one side of a case once its runs took S seconds (default 60)
  --out FILE          JSON results (default bench/results/latest.json, with the Markdown table in "markdown")
  --keep              keep the temp directory (data files and databases)
  --profile           after the timed runs, one more (untimed) run of ours under node --cpu-prof: where the
                      time goes, by function and by package, in the JSON and bench/results/profile-<case>.txt
  --readme            also write the table into the README's benchmark section
  --list              list the cases and exit`;

let opts;
try {
  opts = parseArgs(process.argv.slice(2), {
    rows: 'count',
    runs: 'count',
    only: 'string',
    'baseline-rows': 'count',
    mysql: 'string',
    'mysql-rows': 'count',
    'no-mysql': 'flag',
    timeout: 'count',
    'side-budget': 'count',
    out: 'string',
    keep: 'flag',
    list: 'flag',
    readme: 'flag',
    profile: 'flag',
    help: 'flag',
  });
} catch (e) {
  process.stderr.write(`${e.message}\n${USAGE}\n`);
  process.exit(2);
}
if (opts.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const ROWS = opts.rows ?? 1_000_000;
const RUNS = Math.max(1, opts.runs ?? 3);
const QUICK_RUNS = Math.max(5, RUNS);
const TIMEOUT_MS = (opts.timeout ?? 300) * 1000;
const BASELINE_ROWS = opts['baseline-rows'] ?? (ROWS >= 200_000 ? Math.round(ROWS / 10) : 0);
const MYSQL_ROWS = opts['mysql-rows'] ?? Math.min(ROWS, 100_000);
const OUT = path.resolve(opts.out ?? path.join(ROOT, 'bench', 'results', 'latest.json'));
const MYSQL_URL = new URL(opts.mysql ?? 'mysql://root@127.0.0.1:3306');
const MYSQL_DB = 'crm_bench';
const MYSQL_REF_DB = 'crm_bench_ref';
/** Stop repeating one side of a case once its runs together took this long (the whole suite must fit 10 min). */
const SIDE_BUDGET_MS = (opts['side-budget'] ?? 60) * 1000;

// ---------------------------------------------------------------------------------------------------------------
// Measuring a process

const TIME_BIN = '/usr/bin/time';
const hasGnuTime = (() => {
  try {
    const f = path.join(os.tmpdir(), `crm-bench-time-${process.pid}`);
    const r = spawnSync(TIME_BIN, ['-v', '-o', f, 'true']);
    const ok = r.status === 0 && /Maximum resident set size/.test(fs.readFileSync(f, 'utf8'));
    fs.rmSync(f, { force: true });
    return ok;
  } catch {
    return false;
  }
})();

const KEEP_OUTPUT = 16 << 20;

/**
 * Run one process to the end. Returns {ms, rssKB, code, signal, stdout, stderr, timedOut}.
 * Wall time is taken around spawn..exit here; peak RSS comes from GNU time's wait4() rusage or, without it,
 * from polling VmHWM (the kernel's high-water mark, so a late poll still sees the peak).
 */
function measure(cmd, args, { env, cwd = ROOT, input } = {}) {
  return new Promise((resolve) => {
    const statFile = path.join(os.tmpdir(), `crm-bench-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const [file, argv] = hasGnuTime ? [TIME_BIN, ['-v', '-o', statFile, cmd, ...args]] : [cmd, args];
    const started = process.hrtime.bigint();
    const child = spawn(file, argv, { env, cwd, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      if (stdout.length < KEEP_OUTPUT) stdout += d;
    });
    child.stderr.on('data', (d) => {
      if (stderr.length < KEEP_OUTPUT) stderr += d;
    });
    if (input) child.stdin.end(input);
    let hwm = 0;
    const poll = hasGnuTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {}
        }, 10);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, TIMEOUT_MS);
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let rssKB = hwm || null;
      let exit = code;
      if (hasGnuTime) {
        try {
          const stat = fs.readFileSync(statFile, 'utf8');
          rssKB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stat)?.[1]) || null;
          const st = /Exit status: (\d+)/.exec(stat);
          if (st) exit = Number(st[1]);
          if (/terminated by signal/.test(stat)) exit = null;
        } catch {}
        fs.rmSync(statFile, { force: true });
      }
      resolve({ ms, rssKB, code: exit, signal, stdout, stderr, timedOut });
    });
  });
}

/** Run a setup command (untimed); throws with its output when it fails. */
function must(cmd, args, { env, input, ok = [0], what } = {}) {
  const r = spawnSync(cmd, args, { env, cwd: ROOT, input, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) throw new Error(`${what ?? cmd}: ${r.error.message}`);
  if (!ok.includes(r.status)) {
    const lines = `${r.stdout}\n${r.stderr}`.trim().split('\n');
    const last = lines.filter((l) => /error|Error/.test(l))[0] ?? lines.at(-1);
    const label = what ?? `${path.basename(cmd)} ${args.map((a) => a.replace(`${ROOT}/`, '')).join(' ')}`;
    throw new Error(`${label} exited ${r.status}: ${last}\n${lines.slice(-8).join('\n')}`);
  }
  return r;
}

const median = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// ---------------------------------------------------------------------------------------------------------------
// Environment: a temp dir, the crm binary, sqlite3 and MariaDB

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bench-'));
const HOME = path.join(TMP, 'home');
fs.mkdirSync(HOME, { recursive: true });

function crmEnv(dbUrl, now = '2026-11-23T10:00:00+08:00') {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME,
    XDG_CONFIG_HOME: path.join(HOME, '.config'),
    XDG_DATA_HOME: path.join(HOME, '.local', 'share'),
    LANG: 'C',
    CRM_LANG: 'en',
    CRM_USER: 'admin',
    NO_COLOR: '1',
    CRM_NOW: now,
    ...(dbUrl ? { CRM_DATABASE_URL: dbUrl } : {}),
  };
}
const crm = (...args) => [NODE, [BIN, ...args]];

function toolVersion(cmd, args) {
  try {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim().split('\n')[0] : null;
  } catch {
    return null;
  }
}

const sqlite3Version = toolVersion('sqlite3', ['--version']);
const sqlite3Missing = sqlite3Version
  ? null
  : 'the sqlite3 CLI is not installed (apt-get install sqlite3): SQLite references not run';

const mysqlArgs = (db) => [
  '--protocol=tcp',
  '-h',
  MYSQL_URL.hostname || '127.0.0.1',
  '-P',
  MYSQL_URL.port || '3306',
  '-u',
  decodeURIComponent(MYSQL_URL.username || 'root'),
  ...(MYSQL_URL.password ? [`-p${decodeURIComponent(MYSQL_URL.password)}`] : []),
  ...(db ? [db] : []),
];
function mysqlUrl(db) {
  const u = new URL(MYSQL_URL.href);
  u.pathname = `/${db}`;
  return u.href;
}
function mysqlExec(sql, db) {
  return must('mysql', [...mysqlArgs(db), '-N', '-B', '-e', sql], { what: `mysql: ${sql.slice(0, 60)}` }).stdout;
}

let mysqlVersion = null;
let mysqlDown = null; // why our MariaDB cases cannot run
let loadDataOff = null; // why the LOAD DATA reference cannot run
if (opts['no-mysql']) mysqlDown = 'skipped (--no-mysql)';
else if (!toolVersion('mysql', ['--version']))
  mysqlDown = 'the mysql client is not installed (apt-get install mariadb-client)';
else {
  try {
    mysqlVersion = mysqlExec('SELECT VERSION()').trim();
    const v = mysqlExec("SHOW GLOBAL VARIABLES LIKE 'local_infile'").trim().split(/\s+/)[1];
    if (v !== 'ON' && v !== '1')
      loadDataOff = 'local_infile is OFF on the server (SET GLOBAL local_infile = 1): LOAD DATA reference not run';
  } catch (e) {
    mysqlDown = `MariaDB is not reachable at ${MYSQL_URL.host} (${e.message.split('\n').at(-1)})`;
  }
}

/** Is `crm <group> <verb>` there yet? (`--help` of a missing verb prints the group's help instead.) */
const available = new Map();
function hasCommand(group, verb) {
  const key = `${group} ${verb}`;
  if (!available.has(key)) {
    const r = spawnSync(NODE, [BIN, group, verb, '--help'], { env: crmEnv(), encoding: 'utf8' });
    available.set(key, r.status === 0 && r.stdout.includes(`crm ${group} ${verb}`));
  }
  return available.get(key);
}
class NotImplemented extends Error {}
function needCommand(group, verb) {
  if (!hasCommand(group, verb)) throw new NotImplemented(`\`crm ${group} ${verb}\` not implemented yet`);
}

// ---------------------------------------------------------------------------------------------------------------
// Data sets and database states (built lazily, untimed, reused by the cases that need them)

/** Customers (the first rows of the customers file) that the transaction feed names. */
const FEED_UNITS = 5000;

function dataSet(rows) {
  const dir = path.join(TMP, `data-${rows}`);
  const customers = path.join(dir, 'customers.csv');
  const transactions = path.join(dir, 'transactions.csv');
  if (!fs.existsSync(transactions)) {
    fs.mkdirSync(dir, { recursive: true });
    const t0 = Date.now();
    must(NODE, ['fixtures/gen-customers.js', '--rows', String(rows), '--seed', SEED, '--out', customers]);
    // A day's feed comes from a bounded set of budget units (a few thousand), not from a million different ones:
    // the clearing files aggregate by first-level unit, and one day has at most 99 files of 499 rows per kind.
    const units = path.join(dir, 'units.csv');
    const head = Buffer.alloc(8 * 1024 * 1024);
    const fd = fs.openSync(customers, 'r');
    const got = fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    const lines = head
      .subarray(0, got)
      .toString('utf8')
      .split('\n', FEED_UNITS + 1);
    fs.writeFileSync(units, `${lines.join('\n')}\n`);
    must(NODE, [
      'fixtures/gen-transactions.js',
      ...['--rows', String(rows), '--seed', SEED, '--customers', units, '--date', FEED_DATE],
      ...['--out', transactions],
    ]);
    log(`generated ${rows} customers and ${rows} transactions in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return { dir, customers, transactions };
}

function copyDb(from, to) {
  for (const suffix of ['', '-wal', '-shm']) {
    fs.rmSync(to + suffix, { force: true });
    if (fs.existsSync(from + suffix)) fs.copyFileSync(from + suffix, to + suffix);
  }
  return to;
}
function removeDb(file) {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}
const sqliteUrl = (file) => `sqlite:${file}`;

/** Users the generated customers are owned by (gen-customers' default owners). */
function addUsers(env) {
  must(...crm('users', 'add', 'carol', '--role', 'manager'), { env });
  must(...crm('users', 'add', 'bob', '--role', 'sales', '--supervisor', 'carol'), { env });
  must(...crm('users', 'add', 'dave', '--role', 'sales', '--supervisor', 'carol'), { env });
  must(...crm('users', 'add', 'olga', '--role', 'operator'), { env });
}

function importCustomersArgs(file) {
  return crm('customers', 'import', file, '--json');
}
function importTransactionsArgs(file) {
  return crm('settlement', 'import', file, '--json');
}
const IMPORT_NOW = `${FEED_DATE}T15:40:00+08:00`; // the feed arrives after the day's last transaction
const CLEAR_NOW = `${CLEAR_DATE}T15:35:00+08:00`;

const states = new Map(); // key -> path of a SQLite file in that state (templates: copy before writing)
function sqliteState(rows, name) {
  const key = `${rows}:${name}`;
  if (states.has(key)) return states.get(key);
  const file = path.join(TMP, `sqlite-${rows}-${name}.sqlite`);
  const env = crmEnv(sqliteUrl(file));
  const data = dataSet(rows);
  removeDb(file);
  if (name === 'empty') {
    must(...crm('init', '--admin', 'admin', '--yes', '--auth', 'os'), { env });
    addUsers(env);
  } else if (name === 'customers') {
    needCommand('customers', 'import');
    copyDb(sqliteState(rows, 'empty'), file);
    must(...importCustomersArgs(data.customers), { env, ok: IMPORT_OK, what: 'crm customers import (setup)' });
  } else if (name === 'transactions') {
    needCommand('settlement', 'import');
    copyDb(sqliteState(rows, 'customers'), file);
    must(...importTransactionsArgs(data.transactions), {
      env: crmEnv(sqliteUrl(file), IMPORT_NOW),
      ok: IMPORT_OK,
      what: 'crm settlement import (setup)',
    });
  } else if (name === 'clear-ready') {
    copyDb(sqliteState(rows, 'transactions'), file);
    prepareClearing(crmEnv(sqliteUrl(file), CLEAR_NOW));
  } else throw new Error(`unknown state ${name}`);
  states.set(key, file);
  return file;
}
function keepState(rows, name, file) {
  if (!states.has(`${rows}:${name}`) && file) states.set(`${rows}:${name}`, file);
}

/** P cut off, D open and cut off, vouchers registered: what `settlement clear --date D` needs. */
function prepareClearing(env) {
  for (const verb of ['open', 'cutoff', 'clear']) needCommand('settlement', verb);
  needCommand('settlement', 'vouchers');
  must(...crm('settlement', 'cutoff', '--date', FEED_DATE, '--force'), { env });
  must(...crm('settlement', 'open', '--date', CLEAR_DATE), { env });
  must(...crm('settlement', 'cutoff', '--date', CLEAR_DATE), { env });
  for (const kind of ['payment', 'refund'])
    must(...crm('settlement', 'vouchers', 'add', '--kind', kind, '--from', '00000001', '--to', '00099999'), { env });
}

let mysqlState = null; // `${rows}:empty|customers`
function mysqlFresh(rows) {
  mysqlExec(`DROP DATABASE IF EXISTS ${MYSQL_DB}`);
  const env = crmEnv(mysqlUrl(MYSQL_DB));
  must(...crm('init', '--admin', 'admin', '--yes', '--auth', 'os'), { env });
  addUsers(env);
  mysqlState = `${rows}:empty`;
}
function mysqlWithCustomers(rows) {
  if (mysqlState === `${rows}:customers`) return;
  needCommand('customers', 'import');
  mysqlFresh(rows);
  must(...importCustomersArgs(dataSet(rows).customers), {
    env: crmEnv(mysqlUrl(MYSQL_DB)),
    ok: IMPORT_OK,
    what: 'crm customers import (MariaDB setup)',
  });
  mysqlState = `${rows}:customers`;
}
/** Back to "customers only": drop what a settlement import wrote. */
function mysqlClearTransactions() {
  mysqlExec(
    'SET FOREIGN_KEY_CHECKS = 0; TRUNCATE TABLE settlement_transactions; ' +
      "DELETE FROM import_batches WHERE kind <> 'customers'; SET FOREIGN_KEY_CHECKS = 1",
    MYSQL_DB,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// References

const CUSTOMER_REF_COLUMNS = [
  ['code', 'VARCHAR(64) NOT NULL'],
  ['name', 'VARCHAR(200)'],
  ['parent_code', 'VARCHAR(64)'],
  ['industry', 'VARCHAR(64)'],
  ['region', 'VARCHAR(64)'],
  ['address', 'VARCHAR(300)'],
  ['phone', 'VARCHAR(40)'],
  ['email', 'VARCHAR(200)'],
  ['source', 'VARCHAR(64)'],
  ['owner', 'VARCHAR(64)'],
  ['grade', 'VARCHAR(4)'],
  ['note', 'TEXT'],
];
const TXN_REF_COLUMNS = [
  ['ref', 'VARCHAR(64) NOT NULL'],
  ['occurred_at', 'DATETIME'],
  ['customer', 'VARCHAR(64)'],
  ['kind', 'VARCHAR(8)'],
  ['amount', 'DECIMAL(15,2)'],
  ['account_class', 'VARCHAR(32)'],
  ['payer_account', 'VARCHAR(64)'],
  ['memo', 'VARCHAR(300)'],
];
const REF_TABLES = {
  customers: { columns: CUSTOMER_REF_COLUMNS, key: 'code' },
  transactions: { columns: TXN_REF_COLUMNS, key: 'ref' },
};

/** `sqlite3 db ".import --csv"` into a fresh table with the same columns and a unique index on the key. */
function sqliteImportRef(table) {
  const { columns, key } = REF_TABLES[table];
  return {
    label: 'sqlite3 .import',
    unavailable: sqlite3Missing,
    async run(file) {
      const db = path.join(TMP, `ref-${table}.sqlite`);
      removeDb(db);
      const ddl =
        `CREATE TABLE ${table} (${columns.map(([c, t]) => `${c} ${t}`).join(', ')});` +
        `CREATE UNIQUE INDEX ${table}_${key} ON ${table}(${key});`;
      must('sqlite3', [db, ddl]);
      const r = await measure('sqlite3', ['-bail', db, `.import --csv --skip 1 ${file} ${table}`]);
      removeDb(db);
      return r;
    },
  };
}

/** `LOAD DATA LOCAL INFILE` into a fresh InnoDB table with the same columns and a unique index on the key. */
function loadDataRef(table) {
  const { columns, key } = REF_TABLES[table];
  return {
    label: 'LOAD DATA LOCAL INFILE',
    unavailable: mysqlDown ?? loadDataOff,
    async run(file) {
      mysqlExec(`DROP DATABASE IF EXISTS ${MYSQL_REF_DB}; CREATE DATABASE ${MYSQL_REF_DB} CHARACTER SET utf8mb4`);
      mysqlExec(
        `CREATE TABLE ${table} (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, ` +
          `${columns.map(([c, t]) => `${c} ${t}`).join(', ')}, UNIQUE KEY ${table}_${key} (${key})) ` +
          'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
        MYSQL_REF_DB,
      );
      const sql =
        `LOAD DATA LOCAL INFILE '${file.replace(/'/g, "''")}' INTO TABLE ${table} CHARACTER SET utf8mb4 ` +
        `FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '' LINES TERMINATED BY '\\n' ` +
        `IGNORE 1 LINES (${columns.map(([c]) => c).join(', ')})`;
      return measure('mysql', ['--local-infile=1', ...mysqlArgs(MYSQL_REF_DB), '-e', sql]);
    },
  };
}

/** What `settlement clear` does, as plain SQL in the sqlite3 CLI: aggregate P's pending set to a file, mark it. */
function sqliteClearRef(rows) {
  return {
    label: 'sqlite3 aggregate + UPDATE',
    unavailable: sqlite3Missing,
    async run() {
      const db = copyDb(sqliteState(rows, 'clear-ready'), path.join(TMP, 'ref-clear.sqlite'));
      const out = path.join(TMP, 'ref-clear.txt');
      const where = `business_date = '${FEED_DATE}' AND clearing_status = 'pending'`;
      const script = [
        'BEGIN IMMEDIATE;',
        `.once ${out}`,
        'SELECT kind, unit_code, max(unit_name), account_class, count(*), sum(amount_fen) FROM settlement_transactions',
        `  WHERE ${where} GROUP BY kind, unit_code, account_class ORDER BY kind, unit_code, account_class;`,
        `UPDATE settlement_transactions SET clearing_status = 'cleared', clearing_date = '${CLEAR_DATE}' WHERE ${where};`,
        'COMMIT;',
      ].join('\n');
      const r = await measure('sqlite3', ['-bail', db], { input: script });
      fs.rmSync(out, { force: true });
      return r;
    },
  };
}

const nodeRef = {
  label: 'node -e 0',
  unavailable: null,
  run: () => measure(NODE, ['-e', '0']),
};

// ---------------------------------------------------------------------------------------------------------------
// Cases

const MB = 1024;
const MEMORY_CAP_KB = 200 * MB;

/**
 * Each case: name, what it compares, the target, and how to run it.
 * prepare(rows) -> {env, args, before?(), after?(k)} for our side (untimed parts in before/after);
 * reference(rows) -> a reference or null; memory: the case is held to the RSS targets.
 */
const CASES = [
  {
    name: 'version',
    title: '`crm --version`',
    target: { ratio: 1.5 },
    quick: true,
    reference: () => nodeRef,
    prepare: () => ({ env: crmEnv(), cmd: crm('--version') }),
  },
  {
    name: 'customers-import-sqlite',
    title: '`crm customers import` into an empty SQLite database',
    target: { ratio: 2.5 },
    memory: true,
    rowsPerSec: true,
    reference: () => sqliteImportRef('customers'),
    refInput: (d) => d.customers,
    prepare(rows) {
      needCommand('customers', 'import');
      const file = path.join(TMP, `sqlite-${rows}-import.sqlite`);
      const env = crmEnv(sqliteUrl(file));
      return {
        env,
        cmd: importCustomersArgs(dataSet(rows).customers),
        ok: IMPORT_OK,
        before: () => copyDb(sqliteState(rows, 'empty'), file),
        afterAll: () => keepState(rows, 'customers', file),
      };
    },
  },
  {
    name: 'customers-reimport-sqlite',
    title: 'the same file imported again (all unchanged), SQLite',
    target: { leFirst: 'customers-import-sqlite' },
    memory: true,
    rowsPerSec: true,
    prepare(rows) {
      needCommand('customers', 'import');
      const file = copyDb(sqliteState(rows, 'customers'), path.join(TMP, `sqlite-${rows}-reimport.sqlite`));
      return { env: crmEnv(sqliteUrl(file)), cmd: importCustomersArgs(dataSet(rows).customers), ok: IMPORT_OK };
    },
  },
  {
    name: 'customers-list',
    title: '`crm customers list --limit 20 --json` on N customers (SQLite)',
    target: { ratio: 3 },
    quick: true,
    reference: () => nodeRef,
    prepare(rows) {
      needCommand('customers', 'list');
      return {
        env: crmEnv(sqliteUrl(sqliteState(rows, 'customers'))),
        cmd: crm('customers', 'list', '--limit', '20', '--json'),
      };
    },
  },
  {
    name: 'settlement-import-sqlite',
    title: '`crm settlement import` of N transactions into SQLite',
    target: { ratio: 2.5 },
    memory: true,
    rowsPerSec: true,
    reference: () => sqliteImportRef('transactions'),
    refInput: (d) => d.transactions,
    prepare(rows) {
      needCommand('settlement', 'import');
      const file = path.join(TMP, `sqlite-${rows}-settlement.sqlite`);
      return {
        env: crmEnv(sqliteUrl(file), IMPORT_NOW),
        cmd: importTransactionsArgs(dataSet(rows).transactions),
        ok: IMPORT_OK,
        before: () => copyDb(sqliteState(rows, 'customers'), file),
        afterAll: () => keepState(rows, 'transactions', file),
      };
    },
  },
  {
    name: 'settlement-clear-sqlite',
    title: '`crm settlement clear` of N pending transactions (files and marking), SQLite',
    target: { ratio: 2 },
    memory: true,
    rowsPerSec: true,
    reference: (rows) => sqliteClearRef(rows),
    prepare(rows) {
      needCommand('settlement', 'clear');
      const file = path.join(TMP, `sqlite-${rows}-clear.sqlite`);
      const outDir = path.join(TMP, 'clearing-files');
      return {
        env: crmEnv(sqliteUrl(file), CLEAR_NOW),
        cmd: crm(
          'settlement',
          'clear',
          '--date',
          CLEAR_DATE,
          '--pending-date',
          FEED_DATE,
          '--out-dir',
          outDir,
          '--json',
        ),
        before: () => {
          fs.rmSync(outDir, { recursive: true, force: true });
          fs.mkdirSync(outDir, { recursive: true });
          copyDb(sqliteState(rows, 'clear-ready'), file);
        },
      };
    },
  },
  {
    name: 'reports-performance',
    title: '`crm reports performance` on N customers and N transactions (SQLite)',
    target: { maxMs: 2000 },
    quick: true,
    prepare: (rows) => reportCase(rows, 'performance'),
  },
  {
    name: 'reports-funnel',
    title: '`crm reports funnel` on N customers and N transactions (SQLite)',
    target: { maxMs: 2000 },
    quick: true,
    prepare: (rows) => reportCase(rows, 'funnel'),
  },
  {
    name: 'customers-import-mysql',
    title: '`crm customers import` into an empty MariaDB database',
    target: { ratio: 2 },
    memory: true,
    rowsPerSec: true,
    mysql: true,
    reference: () => loadDataRef('customers'),
    refInput: (d) => d.customers,
    prepare(rows) {
      needCommand('customers', 'import');
      return {
        env: crmEnv(mysqlUrl(MYSQL_DB)),
        cmd: importCustomersArgs(dataSet(rows).customers),
        ok: IMPORT_OK,
        before: () => mysqlFresh(rows),
        after: (r) => {
          mysqlState = r.ok ? `${rows}:customers` : null;
        },
      };
    },
  },
  {
    name: 'customers-reimport-mysql',
    title: 'the same file imported again (all unchanged), MariaDB',
    target: { leFirst: 'customers-import-mysql' },
    memory: true,
    rowsPerSec: true,
    mysql: true,
    prepare(rows) {
      needCommand('customers', 'import');
      mysqlWithCustomers(rows);
      return { env: crmEnv(mysqlUrl(MYSQL_DB)), cmd: importCustomersArgs(dataSet(rows).customers), ok: IMPORT_OK };
    },
  },
  {
    name: 'settlement-import-mysql',
    title: '`crm settlement import` of N transactions into MariaDB',
    target: { ratio: 2 },
    memory: true,
    rowsPerSec: true,
    mysql: true,
    reference: () => loadDataRef('transactions'),
    refInput: (d) => d.transactions,
    prepare(rows) {
      needCommand('settlement', 'import');
      mysqlWithCustomers(rows);
      return {
        env: crmEnv(mysqlUrl(MYSQL_DB), IMPORT_NOW),
        cmd: importTransactionsArgs(dataSet(rows).transactions),
        ok: IMPORT_OK,
        before: () => mysqlClearTransactions(),
      };
    },
  },
];

/** A report over the month of the feed, on N customers and N transactions (customers only until the feed lands). */
function reportCase(rows, report) {
  needCommand('reports', report);
  let db;
  let note = null;
  try {
    db = sqliteState(rows, 'transactions');
  } catch (e) {
    if (!(e instanceof NotImplemented)) throw e;
    db = sqliteState(rows, 'customers');
    note = `on customers only: ${e.message}`;
  }
  return {
    env: crmEnv(sqliteUrl(db)),
    cmd: crm('reports', report, '--from', '2026-11-01', '--to', '2026-11-30', '--json'),
    note,
  };
}

if (opts.list) {
  for (const c of CASES) process.stdout.write(`${c.name.padEnd(28)}${c.title}\n`);
  process.exit(0);
}

const only = opts.only ? opts.only.split(',').map((s) => s.trim()) : null;
const selected = CASES.filter((c) => !only || only.some((o) => c.name === o || c.name.startsWith(o)));
if (only && selected.length === 0) {
  process.stderr.write(`--only ${opts.only}: no such case (see --list)\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------------------------
// Running

function log(message) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function firstLines(text, n = 3) {
  return text.trim().split('\n').slice(0, n).join(' | ').slice(0, 300);
}

/** Runs one side `runs` times (within the time budget); returns the summary of the runs. */
async function runSide(label, runs, runOnce) {
  const results = [];
  let spent = 0;
  for (let k = 0; k < runs; k++) {
    const r = await runOnce(k);
    results.push(r);
    spent += r.ms;
    if (!r.ok) break;
    if (spent > SIDE_BUDGET_MS && k + 1 < runs) {
      log(`  ${label}: time budget used after ${k + 1} run(s); not repeating`);
      break;
    }
  }
  const good = results.filter((r) => r.ok);
  return {
    wanted: runs,
    runs: results.map((r) => ({
      ms: Math.round(r.ms),
      rssKB: r.rssKB,
      code: r.code,
      ...(r.ok ? {} : { error: r.error }),
    })),
    medianMs: good.length ? Math.round(median(good.map((r) => r.ms))) : null,
    peakRssKB: good.length ? Math.max(...good.map((r) => r.rssKB ?? 0)) || null : null,
    error: results.find((r) => !r.ok)?.error ?? null,
    summary: results.at(-1)?.summary ?? null,
  };
}

function outcome(r, ok = [0]) {
  const good = !r.timedOut && r.code !== null && ok.includes(r.code);
  // Keep the counts of a --json summary (read, inserted, unchanged, rejected, cleared, ...), not its error list.
  let summary = null;
  try {
    const parsed = JSON.parse(r.stdout);
    summary = Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'number'));
    if (Array.isArray(parsed.files)) summary.files = parsed.files.length;
    if (!Object.keys(summary).length) summary = null;
  } catch {}
  return {
    ...r,
    ok: good,
    summary,
    error: good
      ? null
      : r.timedOut
        ? `timed out after ${TIMEOUT_MS / 1000} s`
        : `exit ${r.code ?? r.signal}: ${firstLines(r.stderr || r.stdout)}`,
  };
}

async function runCase(c, rows, { runs, withReference }) {
  const result = {
    case: c.name,
    title: c.title,
    rows,
    status: 'ok',
    ours: null,
    reference: null,
    notes: [],
  };
  const n = c.quick ? Math.max(runs, QUICK_RUNS) : runs;
  log(`${c.name} (${rows} rows)`);
  let prepared;
  try {
    prepared = c.prepare(rows);
  } catch (e) {
    result.status = e instanceof NotImplemented ? 'not implemented yet' : 'setup failed';
    result.notes.push(e.message);
    log(`  ${result.status}: ${e.message.split('\n')[0]}`);
  }
  if (prepared?.note) result.notes.push(prepared.note);
  if (prepared) {
    result.ours = await runSide('crm', n, async (k) => {
      try {
        prepared.before?.(k);
      } catch (e) {
        if (e instanceof NotImplemented) return { ms: 0, ok: false, error: e.message };
        log(`  setup failed: ${e.message}`);
        return { ms: 0, ok: false, error: `setup: ${e.message.split('\n')[0]}` };
      }
      const r = outcome(await measure(prepared.cmd[0], prepared.cmd[1], { env: prepared.env }), prepared.ok ?? [0]);
      prepared.after?.(r);
      log(`  crm run ${k + 1}: ${(r.ms / 1000).toFixed(2)} s, ${fmtRss(r.rssKB)}${r.ok ? '' : ` — ${r.error}`}`);
      return r;
    });
    if (result.ours.summary) result.notes.push(`crm: ${summaryText(result.ours.summary)}`);
    if (opts.profile && !result.ours.error && prepared.cmd[0] === NODE) result.profile = await profileRun(c, prepared);
    if (result.ours.error) {
      result.status = 'failed';
      result.notes.push(`crm: ${result.ours.error}`);
    } else prepared.afterAll?.();
  }
  const ref = withReference && c.reference ? c.reference(rows) : null;
  if (ref) {
    result.reference = { label: ref.label };
    if (ref.unavailable) {
      result.reference.unavailable = ref.unavailable;
      result.notes.push(`reference not run: ${ref.unavailable}`);
    } else {
      const input = c.refInput ? c.refInput(dataSet(rows)) : undefined;
      Object.assign(
        result.reference,
        await runSide(ref.label, n, async (k) => {
          let r;
          try {
            r = outcome(await ref.run(input));
          } catch (e) {
            if (e instanceof NotImplemented) return { ms: 0, ok: false, error: e.message };
            return { ms: 0, ok: false, error: `setup: ${e.message.split('\n')[0]}` };
          }
          log(
            `  ${ref.label} run ${k + 1}: ${(r.ms / 1000).toFixed(2)} s, ${fmtRss(r.rssKB)}${r.ok ? '' : ` — ${r.error}`}`,
          );
          return r;
        }),
      );
      if (result.reference.error) result.notes.push(`reference failed: ${result.reference.error}`);
    }
  }
  return result;
}

/** One more run of our side under the V8 profiler; self time by function and by package. */
async function profileRun(c, prepared) {
  const dir = fs.mkdtempSync(path.join(TMP, 'prof-'));
  try {
    prepared.before?.(0);
    const [cmd, args] = prepared.cmd;
    const r = await measure(cmd, ['--cpu-prof', '--cpu-prof-dir', dir, ...args], { env: prepared.env });
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) return { error: `no profile written (exit ${r.code})` };
    const prof = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
    const selfUs = new Map();
    for (let k = 0; k < prof.samples.length; k++)
      selfUs.set(prof.samples[k], (selfUs.get(prof.samples[k]) ?? 0) + (prof.timeDeltas[k] ?? 0));
    const byFn = new Map();
    const byPkg = new Map();
    let total = 0;
    for (const [id, us] of selfUs) {
      const f = nodes.get(id).callFrame;
      const where = f.url
        .replace(/^file:\/\//, '')
        .replace(`${ROOT}/`, '')
        .replace(/.*node_modules\//, 'node_modules/');
      const pkg = where.startsWith('node_modules/')
        ? where
            .split('/')
            .slice(0, where.startsWith('node_modules/@') ? 3 : 2)
            .join('/')
        : where.startsWith('dist/')
          ? where.split('/').slice(0, 3).join('/')
          : f.url
            ? 'node internals'
            : `(${f.functionName || 'native'})`;
      const fn = `${f.functionName || '(anonymous)'} ${where}:${f.lineNumber + 1}`;
      byFn.set(fn, (byFn.get(fn) ?? 0) + us);
      byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
      total += us;
    }
    const top = (m, n) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([name, us]) => ({ name, ms: Math.round(us / 1000), pct: Math.round((us / total) * 1000) / 10 }));
    const out = {
      wallMs: Math.round(r.ms),
      sampledMs: Math.round(total / 1000),
      byPackage: top(byPkg, 12),
      byFunction: top(byFn, 25),
    };
    const text = [
      `${c.name}: ${out.wallMs} ms wall, ${out.sampledMs} ms sampled on the main thread (idle = waiting on I/O)`,
      '',
      'by package / directory:',
      ...out.byPackage.map((x) => `  ${String(x.ms).padStart(7)} ms ${String(x.pct).padStart(5)}%  ${x.name}`),
      '',
      'by function (self time):',
      ...out.byFunction.map((x) => `  ${String(x.ms).padStart(7)} ms ${String(x.pct).padStart(5)}%  ${x.name}`),
    ].join('\n');
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(path.join(path.dirname(OUT), `profile-${c.name}.txt`), `${text}\n`);
    log(
      `  profile: ${out.byPackage
        .slice(0, 4)
        .map((x) => `${x.name} ${x.pct}%`)
        .join(', ')}`,
    );
    return out;
  } catch (e) {
    return { error: e.message.split('\n')[0] };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function summaryText(summary) {
  return Object.entries(summary)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function fmtRss(kb) {
  return kb ? `${Math.round(kb / 1024)} MB` : '—';
}
function fmtS(ms) {
  if (ms == null) return '—';
  return ms < 10_000 ? `${(ms / 1000).toFixed(3)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Fill in ratio, rows/s, target text and met? (yes / no / —), with a note for each unmet part. */
function judge(result, c, byName, baseline) {
  const ours = result.ours?.medianMs ?? null;
  const t = c.target;
  let refMs = result.reference?.medianMs ?? null;
  const parts = [];
  let met = null;
  if (t.leFirst) {
    const first = byName.get(t.leFirst);
    refMs = first?.ours?.medianMs ?? null;
    result.reference = { label: `first import (${t.leFirst})`, medianMs: refMs };
    parts.push('≤ first import');
    if (ours != null && refMs != null) met = ours <= refMs;
  } else if (t.ratio) {
    parts.push(`≤ ${t.ratio}× ref`);
    if (ours != null && refMs != null) met = ours / refMs <= t.ratio;
  } else if (t.maxMs) {
    parts.push(`median ≤ ${t.maxMs / 1000} s`);
    if (ours != null) met = ours <= t.maxMs;
  }
  if (met === false) result.notes.push(`time target missed: ${parts[0]}`);
  result.ratio = ours != null && refMs ? Math.round((ours / refMs) * 100) / 100 : null;
  result.rowsPerSec = c.rowsPerSec && ours ? Math.round(result.rows / (ours / 1000)) : null;
  if (c.memory) {
    parts.push('RSS ≤ 200 MB');
    const rss = result.ours?.peakRssKB;
    if (rss) {
      const memOk = rss <= MEMORY_CAP_KB;
      if (!memOk) result.notes.push(`peak RSS ${fmtRss(rss)} over 200 MB`);
      met = met === null ? (ours != null ? memOk : null) : met && memOk;
      const base = baseline?.get(c.name)?.ours?.peakRssKB;
      if (base) {
        parts.push(`±20% of ${baseline.rows} rows`);
        result.baselineRssKB = base;
        const within = rss <= base * 1.2;
        if (!within) result.notes.push(`peak RSS ${fmtRss(rss)} vs ${fmtRss(base)} at ${baseline.rows} rows (> +20%)`);
        met = met && within;
      }
    }
  }
  result.target = parts.join('; ');
  result.met = result.status === 'ok' ? met : null;
}

function table(results) {
  const head = [
    'case',
    'rows',
    'ours (median)',
    'reference (median)',
    'ratio',
    'rows/s',
    'our peak RSS',
    'target',
    'met?',
  ];
  const rows = results.map((r) => {
    const n = (side) => {
      const k = side?.runs?.length;
      return k && k !== side.wanted ? ` (${k} run${k > 1 ? 's' : ''})` : '';
    };
    const ref = r.reference;
    let refText = '—';
    if (ref?.unavailable) refText = `not run (${ref.label})`;
    else if (ref?.medianMs != null) refText = `${fmtS(ref.medianMs)}${n(ref)} (${ref.label})`;
    else if (ref?.error) refText = `failed (${ref.label})`;
    const ours = r.status === 'ok' ? fmtS(r.ours?.medianMs) + n(r.ours) : r.status;
    return [
      r.case,
      String(r.rows),
      ours,
      refText,
      r.ratio != null ? `${r.ratio}×` : '—',
      r.rowsPerSec != null ? r.rowsPerSec.toLocaleString('en-US') : '—',
      fmtRss(r.ours?.peakRssKB),
      r.target,
      r.met === true ? 'yes' : r.met === false ? 'NO' : '—',
    ];
  });
  return { head, rows };
}

function plainTable({ head, rows }) {
  const width = (s) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const line = (cells) => cells.map((c, i) => c + ' '.repeat(widths[i] - width(c))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function markdownTable({ head, rows }) {
  const esc = (s) => s.replace(/\|/g, '\\|');
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    sqlite3: sqlite3Version?.split(' ')[0] ?? null,
    mariadb: mysqlVersion,
    peakRssFrom: hasGnuTime ? '/usr/bin/time -v' : '/proc/<pid>/status VmHWM (polled)',
  };
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    process.stderr.write('dist/ is missing: run `npm run build` (npm run bench builds first)\n');
    return 1;
  }
  const started = Date.now();
  log(`rows ${ROWS} (MariaDB cases ${MYSQL_ROWS}), runs ${RUNS}, temp dir ${TMP}`);
  if (sqlite3Missing) log(sqlite3Missing);
  if (mysqlDown) log(`MariaDB cases not run: ${mysqlDown}`);
  if (loadDataOff) log(loadDataOff);

  // The memory baseline: imports and clear once at N/10 rows, our side only.
  let baseline = null;
  // MariaDB cases run at MYSQL_ROWS: compared with the baseline only when that is the full N.
  const memoryCases = selected.filter(
    (c) => c.memory && !c.target.leFirst && !(c.mysql && (mysqlDown || MYSQL_ROWS !== ROWS)),
  );
  if (BASELINE_ROWS > 0 && memoryCases.length) {
    log(`memory baseline at ${BASELINE_ROWS} rows`);
    baseline = new Map();
    baseline.rows = BASELINE_ROWS;
    for (const c of memoryCases)
      baseline.set(c.name, await runCase(c, BASELINE_ROWS, { runs: 1, withReference: false }));
  }

  const results = [];
  const byName = new Map();
  for (const c of selected) {
    let r;
    if (c.mysql && mysqlDown) {
      r = {
        case: c.name,
        title: c.title,
        rows: MYSQL_ROWS,
        status: 'not run',
        ours: null,
        reference: c.reference ? { label: c.reference(ROWS).label, unavailable: mysqlDown } : null,
        notes: [mysqlDown],
      };
    } else r = await runCase(c, c.mysql ? MYSQL_ROWS : ROWS, { runs: RUNS, withReference: true });
    judge(r, c, byName, baseline);
    byName.set(c.name, r);
    results.push(r);
  }

  if (mysqlState && !opts.keep) {
    try {
      mysqlExec(`DROP DATABASE IF EXISTS ${MYSQL_DB}; DROP DATABASE IF EXISTS ${MYSQL_REF_DB}`);
    } catch {}
  }

  const t = table(results);
  const report = {
    date: new Date().toISOString(),
    machine: machine(),
    rows: ROWS,
    mysqlRows: MYSQL_ROWS,
    runs: RUNS,
    seed: SEED,
    baselineRows: baseline ? BASELINE_ROWS : null,
    durationS: Math.round((Date.now() - started) / 1000),
    cases: results,
    markdown: markdownTable(t),
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  const m = report.machine;
  const mdHeader =
    `Measured ${report.date.slice(0, 10)} on ${m.cores} cores (${m.cpu}), ${m.memoryGB} GB RAM, ${m.os}; ` +
    `Node ${m.node}, sqlite3 ${m.sqlite3 ?? 'n/a'}, MariaDB ${m.mariadb ?? 'n/a'}; ${ROWS} rows` +
    (MYSQL_ROWS !== ROWS && !opts['no-mysql'] ? ` (MariaDB cases ${MYSQL_ROWS})` : '') +
    ', ' +
    `median of ${RUNS} runs (quick cases ${QUICK_RUNS}); whole run ${report.durationS} s.`;

  if (opts.readme) updateReadme(`${mdHeader}\n\n${report.markdown}\n\n${notesText(results, '- ')}`);

  process.stdout.write(`\n${plainTable(t)}\n\n`);
  process.stdout.write(notesText(results, '  '));
  process.stdout.write(`\n${mdHeader}\nResults: ${path.relative(process.cwd(), OUT)}\n`);
  if (!opts.keep) fs.rmSync(TMP, { recursive: true, force: true });
  else log(`kept ${TMP}`);
  return 0;
}

/** Replace what is between the results markers of the README's bench section (nothing else). */
function updateReadme(text) {
  const file = path.join(ROOT, 'README.md');
  const readme = fs.readFileSync(file, 'utf8');
  const start = '<!-- bench:results -->';
  const end = '<!-- /bench:results -->';
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) {
    log(`README.md has no ${start} ... ${end} markers; not updated`);
    return;
  }
  fs.writeFileSync(file, `${readme.slice(0, a + start.length)}\n${text.trim()}\n${readme.slice(b)}`);
  log('README.md: benchmark results updated');
}

function notesText(results, indent) {
  const lines = [];
  for (const r of results) for (const n of r.notes) lines.push(`${indent}${r.case}: ${n.split('\n')[0]}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

process.exitCode = await main().catch((e) => {
  process.stderr.write(`bench: ${e.stack ?? e}\n`);
  if (!opts.keep) fs.rmSync(TMP, { recursive: true, force: true });
  return 1;
});
