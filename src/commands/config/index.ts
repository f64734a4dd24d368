import type { Command } from 'commander';
import { act, group, verb } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { m } from '../../cli/i18n.js';
import { printJson, renderRows } from '../../cli/output.js';
import { CONNECTION_KEYS, type ConnectionKey, readConfigFile, writeConfigFile } from '../../config/connection.js';
import { redactUrl } from '../../db/connection.js';
import type { L10n } from '../../domain/i18n.js';
import type { Vocabulary } from '../../domain/vocabulary.js';
import type { ServiceContext } from '../../services/context.js';

// Services load when a verb runs, so registering the group loads only its option definitions (startup time).
const loadSettings = () => import('../../services/settings.js');
const loadJobsSchedule = () => import('../../services/jobs/schedule.js');

/** Where a setting lives and where its value comes from, as the table shows them (JSON keeps the codes). */
const SETTING_SOURCE: Vocabulary = {
  connection: m('本机连接', 'connection'),
  database: m('数据库', 'database'),
  default: m('默认', 'default'),
  env: m('环境变量', 'env'),
  file: m('配置文件', 'file'),
  flag: m('命令行', 'flag'),
};

/** A source code, or a job time that follows a business-day setting (`settlement.cutoffAt + 5 min`). */
function sourceWords(code: string): L10n | undefined {
  const follows = /^(\S+) \+ (\d+) min$/.exec(code);
  if (follows) return m(`${follows[1]} + ${follows[2]} 分钟`, code);
  return SETTING_SOURCE[code];
}

type Row = { key: string; value: string; where: string; source: string; description: string };

const isConnectionKey = (key: string): key is ConnectionKey => key in CONNECTION_KEYS;

function formatValue(value: unknown, format?: (v: never) => string): string {
  if (format) return format(value as never);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Connection settings (this machine): flag > environment > config file > default. */
function connectionRows(ctx: CliContext): Row[] {
  const conn = ctx.connection();
  const file = readConfigFile(conn.configFile);
  const langSource = ctx.globals.lang ? 'flag' : ctx.env.CRM_LANG ? 'env' : file.lang ? 'file' : 'default';
  return [
    {
      key: 'databaseUrl',
      value: redactUrl(conn.databaseUrl),
      where: 'connection',
      source: conn.databaseUrlSource,
      description: ctx.t(m('数据库地址（本机）', 'database URL (this machine)')),
    },
    {
      key: 'lang',
      value: ctx.lang,
      where: 'connection',
      source: langSource,
      description: ctx.t(m('界面语言（本机）', 'language (this machine)')),
    },
  ];
}

/** Each job's effective time and where it comes from, by its `jobs.<name>.schedule` key. */
async function jobTimesBySettingKey(svc: ServiceContext): Promise<Map<string, { time: string; source: string }>> {
  const { jobTime, describeTimeSource } = await loadJobsSchedule();
  const { JOB_CATALOG } = await import('../../jobs/catalog.js');
  const out = new Map<string, { time: string; source: string }>();
  for (const job of JOB_CATALOG) {
    const { time, source } = await jobTime(svc, job);
    out.set(`jobs.${job.name}.schedule`, { time, source: describeTimeSource(source) });
  }
  return out;
}

export function registerConfig(program: Command, ctx: CliContext): void {
  const config = group(
    program,
    ctx,
    'config',
    m(
      '配置：本机连接设置（配置文件）与共享业务设置（数据库）',
      'configuration: connection settings (this machine, config file) and business settings (shared, in the database)',
    ),
    [
      'crm config show',
      'crm config set settlement.bankCode 1234',
      'crm config set databaseUrl mysql://crm:secret@db:3306/crm',
      'crm config get pool.dailyClaimLimit --json',
    ],
  );

  verb(config, ctx, 'show', m('显示所有设置及其来源', 'show every setting and where it comes from')).action(
    act(ctx, async () => {
      const rows = connectionRows(ctx);
      const svc = await ctx.services();
      const jobTimes = await jobTimesBySettingKey(svc);
      for (const s of await svc.settings.all()) {
        const jobTime = jobTimes.get(s.key);
        rows.push({
          key: s.key,
          value: jobTime ? jobTime.time : formatValue(s.value, s.def.format as never),
          where: 'database',
          source: jobTime ? jobTime.source : s.isDefault ? 'default' : 'database',
          description: ctx.t(s.def.description),
        });
      }
      renderRows(
        ctx,
        [
          { key: 'key', label: m('设置项', 'key') },
          { key: 'value', label: m('值', 'value') },
          { key: 'where', label: m('存放位置', 'lives in'), words: SETTING_SOURCE },
          { key: 'source', label: m('来源', 'source'), words: sourceWords },
          { key: 'description', label: m('说明', 'description') },
        ],
        rows,
      );
    }),
  );

  verb(config, ctx, 'get <key>', m('显示一个设置', 'show one setting')).action(
    act<[string]>(ctx, async (key) => {
      const { settingDef } = await loadSettings();
      if (isConnectionKey(key)) {
        const row = connectionRows(ctx).find((r) => r.key === key)!;
        if (ctx.json) return printJson(ctx, { key, value: row.value, where: row.where, source: row.source });
        ctx.out(row.value);
        return;
      }
      settingDef(key); // unknown key: clear error before touching the database
      const svc = await ctx.services();
      const jobTime = (await jobTimesBySettingKey(svc)).get(key);
      if (jobTime) {
        if (ctx.json) return printJson(ctx, { key, value: jobTime.time, where: 'database', source: jobTime.source });
        ctx.out(jobTime.time);
        return;
      }
      const value = await svc.settings.get(key);
      const def = settingDef(key);
      if (ctx.json)
        return printJson(ctx, {
          key,
          value: def.redact ? def.redact(value) : value,
          where: 'database',
          source: (await svc.settings.isStored(key)) ? 'database' : 'default',
        });
      ctx.out(formatValue(value, settingDef(key).format as never));
    }),
  );

  verb(
    config,
    ctx,
    'set <key> <value>',
    m(
      '修改设置：连接设置写入配置文件，业务设置写入数据库（需管理员，记入审计）',
      'change a setting: connection keys go to the config file, business keys to the database (admins; audited)',
    ),
  ).action(
    act<[string, string]>(ctx, async (key, value) => {
      const { settingDef } = await loadSettings();
      if (isConnectionKey(key)) {
        const file = ctx.connection().configFile;
        const current = readConfigFile(file);
        current[key] = value;
        writeConfigFile(file, current);
        if (ctx.json) return printJson(ctx, { key, where: 'connection', file });
        ctx.out(ctx.t(m('已写入配置文件 {file}：{key}', 'wrote {key} to config file {file}'), { file, key }));
        return;
      }
      settingDef(key);
      // `-`: the value comes from stdin, so a secret (mail.smtp's password) never appears in argv or shell history.
      if (value === '-') value = await readStdinLine(ctx);
      const svc = await ctx.services();
      const stored = await svc.settings.set(key, value, svc.actor, svc.clock);
      const def = settingDef(key);
      if (ctx.json) return printJson(ctx, { key, value: def.redact ? def.redact(stored) : stored, where: 'database' });
      ctx.out(
        ctx.t(
          m('已设置 {key} = {value}（数据库，所有用户共享）', 'set {key} = {value} (database, shared by everyone)'),
          { key, value: formatValue(stored, settingDef(key).format as never) },
        ),
      );
    }),
  );
}

/** The first line of stdin, trimmed (for `crm config set KEY -`). */
async function readStdinLine(ctx: CliContext): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trim();
}
