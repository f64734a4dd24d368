import type { Knex } from 'knex';
import { SETTING_DEFS, type SettingDef } from '../config/settings/index.js';
import { ExpectedValue } from '../config/settings/kinds.js';
import type { Clock } from '../domain/clock.js';
import { CrmError, ExitCode } from '../domain/errors.js';
import { type Actor, requireCapability } from '../domain/roles.js';
import { audit } from './audit.js';

export function settingDef(key: string): SettingDef {
  const def = SETTING_DEFS.get(key);
  if (!def) {
    throw new CrmError('E1210', { zh: `未知的设置项：${key}`, en: `unknown setting: ${key}` }, ExitCode.usage, {
      zh: '用 "crm config show" 查看所有设置项',
      en: 'run "crm config show" to list every setting',
    });
  }
  return def;
}

/** Business settings stored in the database (typed, validated, audited when changed). */
export class SettingsService {
  private constructor(
    private readonly db: Knex,
    private cache: Map<string, unknown> | null,
  ) {}

  static create(db: Knex): SettingsService {
    return new SettingsService(db, null);
  }

  withDb(db: Knex): SettingsService {
    return new SettingsService(db, this.cache);
  }

  private async load(): Promise<Map<string, unknown>> {
    if (this.cache) return this.cache;
    const rows: { key: string; value: string }[] = await this.db('settings').select('key', 'value');
    const map = new Map<string, unknown>();
    for (const row of rows) map.set(row.key, JSON.parse(row.value));
    this.cache = map;
    return map;
  }

  /** The stored value, or the declared default. */
  async get<T>(key: string): Promise<T> {
    const def = settingDef(key);
    const stored = await this.load();
    return (stored.has(key) ? stored.get(key) : def.default) as T;
  }

  async isStored(key: string): Promise<boolean> {
    return (await this.load()).has(key);
  }

  async all(): Promise<{ key: string; value: unknown; isDefault: boolean; def: SettingDef }[]> {
    const stored = await this.load();
    return [...SETTING_DEFS.values()].map((def) => ({
      key: def.key,
      value: stored.has(def.key) ? stored.get(def.key) : def.default,
      isDefault: !stored.has(def.key),
      def,
    }));
  }

  /** Validate and store; audited with before and after. */
  async set(key: string, raw: string, actor: Actor, clock: Clock): Promise<unknown> {
    requireCapability(actor, 'settings.manage', { zh: '修改业务设置', en: 'change business settings' });
    const def = settingDef(key);
    let value: unknown;
    try {
      value = def.parse(raw);
    } catch (err) {
      const want =
        err instanceof ExpectedValue ? err.expected : { zh: (err as Error).message, en: (err as Error).message };
      throw new CrmError(
        'E1211',
        {
          zh: `设置 ${key} 的值无效："${raw}"，应为 ${want.zh}`,
          en: `invalid value "${raw}" for ${key}: expected ${want.en}`,
        },
        ExitCode.usage,
      );
    }
    const before = await this.get(key);
    const now = clock.now().toISOString();
    await this.db.transaction(async (trx) => {
      const json = JSON.stringify(value);
      const updated = await trx('settings')
        .where({ key })
        .update({ value: json, updated_at: now, updated_by: actor.id });
      if (updated === 0) await trx('settings').insert({ key, value: json, updated_at: now, updated_by: actor.id });
      await audit(
        { db: trx, clock, actor },
        {
          action: 'settings.set',
          entity: 'setting',
          entityId: key,
          before: def.redact ? def.redact(before) : before,
          after: def.redact ? def.redact(value) : value,
        },
      );
    });
    this.cache?.set(key, value);
    return value;
  }
}
