import type { L10n } from '../../domain/errors.js';
import type { SettingDef } from './types.js';

// Typed setting constructors; each `parse` throws a plain Error whose message says what is expected.

export function intSetting(
  key: string,
  def: number,
  description: L10n,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): SettingDef<number> {
  return {
    key,
    description,
    default: def,
    parse(raw) {
      if (!/^-?\d+$/.test(raw.trim())) throw new Error(`an integer between ${min} and ${max}`);
      const n = Number(raw.trim());
      if (!Number.isSafeInteger(n) || n < min || n > max) throw new Error(`an integer between ${min} and ${max}`);
      return n;
    },
  };
}

export function boolSetting(key: string, def: boolean, description: L10n): SettingDef<boolean> {
  return {
    key,
    description,
    default: def,
    parse(raw) {
      const v = raw.trim().toLowerCase();
      if (['true', 'yes', '1', 'on', '是'].includes(v)) return true;
      if (['false', 'no', '0', 'off', '否'].includes(v)) return false;
      throw new Error('true or false');
    },
  };
}

export function stringSetting(
  key: string,
  def: string,
  description: L10n,
  pattern?: RegExp,
  expected?: string,
): SettingDef<string> {
  return {
    key,
    description,
    default: def,
    parse(raw) {
      const v = raw.trim();
      if (pattern && !pattern.test(v)) throw new Error(expected ?? `text matching ${pattern}`);
      return v;
    },
  };
}

export function enumSetting<T extends string>(
  key: string,
  def: T,
  values: readonly T[],
  description: L10n,
): SettingDef<T> {
  return {
    key,
    description,
    default: def,
    parse(raw) {
      const v = raw.trim() as T;
      if (!values.includes(v)) throw new Error(`one of ${values.join(', ')}`);
      return v;
    },
  };
}

/** 'HH:mm' wall-clock time in the business time zone. */
export function timeSetting(key: string, def: string, description: L10n): SettingDef<string> {
  return stringSetting(key, def, description, /^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:mm (24-hour)');
}

/** A comma-separated list (also accepts a JSON array); `mayBeEmpty`: an empty value is the empty list. */
export function listSetting(
  key: string,
  def: string[],
  description: L10n,
  opts: { mayBeEmpty?: boolean } = {},
): SettingDef<string[]> {
  return {
    key,
    description,
    default: def,
    parse(raw) {
      const text = raw.trim();
      if (opts.mayBeEmpty && (text === '' || text === '[]')) return [];
      let items: unknown;
      if (text.startsWith('[')) {
        try {
          items = JSON.parse(text);
        } catch {
          throw new Error('a comma-separated list or a JSON array of strings');
        }
      } else {
        items = text.split(/[,，]/).map((s) => s.trim());
      }
      if (!Array.isArray(items) || items.some((s) => typeof s !== 'string' || !s))
        throw new Error('a non-empty comma-separated list');
      if (items.length === 0) throw new Error('at least one item');
      return items as string[];
    },
    format: (v) => v.join(','),
  };
}

/** A JSON value validated by `check`, which returns an error text or null. */
export function jsonSetting<T>(
  key: string,
  def: T,
  description: L10n,
  check: (v: unknown) => string | null,
): SettingDef<T> {
  return {
    key,
    description,
    default: def,
    parse(raw) {
      let v: unknown;
      try {
        v = JSON.parse(raw);
      } catch {
        throw new Error('valid JSON');
      }
      const problem = check(v);
      if (problem) throw new Error(problem);
      return v as T;
    },
    format: (v) => JSON.stringify(v),
  };
}
