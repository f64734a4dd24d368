import fs from 'node:fs';
import { CrmError, ExitCode } from '../domain/errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { defaultConfigFile, defaultDatabaseUrl } from './paths.js';

type Env = Record<string, string | undefined>;

/**
 * Settings of one person or machine (not shared through the database).
 * Precedence: flag > environment > config file > default.
 */
export interface ConnectionConfig {
  databaseUrl: string;
  databaseUrlSource: 'flag' | 'env' | 'file' | 'default';
  lang?: string;
  configFile: string;
  configFileExists: boolean;
  /** A file holding a scheduler token (`tokenFile` in the config file; relative to the config file's folder). */
  tokenFile?: string;
}

/** Keys a config file may hold, with the environment variable that overrides each. */
export const CONNECTION_KEYS = {
  databaseUrl: 'CRM_DATABASE_URL',
  lang: 'CRM_LANG',
} as const;
export type ConnectionKey = keyof typeof CONNECTION_KEYS;

export function readConfigFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CrmError(
      'E1201',
      {
        zh: `配置文件不是有效的 JSON：${file}（${(err as Error).message}）`,
        en: `config file is not valid JSON: ${file} (${(err as Error).message})`,
      },
      ExitCode.usage,
      { zh: '修正该文件，或用 --config 指定另一个文件', en: 'fix the file or point --config at another one' },
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CrmError(
      'E1201',
      { zh: `配置文件应为 JSON 对象：${file}`, en: `config file must hold a JSON object: ${file}` },
      ExitCode.usage,
    );
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

export function writeConfigFile(file: string, values: Record<string, string>): void {
  // 0o600: the file may hold a database password.
  writeFileAtomic(file, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600, createDir: true });
}

export function resolveConnectionConfig(flags: { db?: string; config?: string }, env: Env): ConnectionConfig {
  const configFile = flags.config ?? defaultConfigFile(env);
  const fileValues = readConfigFile(configFile);
  const configFileExists = fs.existsSync(configFile);
  if (flags.config && !configFileExists) {
    throw new CrmError(
      'E1202',
      { zh: `找不到配置文件：${flags.config}`, en: `config file not found: ${flags.config}` },
      ExitCode.usage,
    );
  }
  let databaseUrl = defaultDatabaseUrl(env);
  let databaseUrlSource: ConnectionConfig['databaseUrlSource'] = 'default';
  if (flags.db) {
    databaseUrl = flags.db;
    databaseUrlSource = 'flag';
  } else if (env.CRM_DATABASE_URL) {
    databaseUrl = env.CRM_DATABASE_URL;
    databaseUrlSource = 'env';
  } else if (fileValues.databaseUrl) {
    databaseUrl = fileValues.databaseUrl;
    databaseUrlSource = 'file';
  }
  return {
    databaseUrl,
    databaseUrlSource,
    lang: fileValues.lang,
    configFile,
    configFileExists,
    ...(fileValues.tokenFile ? { tokenFile: fileValues.tokenFile } : {}),
  };
}
