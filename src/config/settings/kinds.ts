import type { L10n } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import type { SettingDef } from './types.js';

/** What a setting's value should have been, in both languages: thrown by `parse` (E1211 says it). */
export class ExpectedValue extends Error {
  constructor(readonly expected: L10n) {
    super(expected.en);
  }
}

/** Throw from a setting's `parse`; a plain Error's message is used in both languages. */
export function expected(what: L10n | string): never {
  throw new ExpectedValue(typeof what === 'string' ? { zh: what, en: what } : what);
}

// Typed setting constructors; each `parse` throws ExpectedValue saying what is expected.

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
      if (!/^-?\d+$/.test(raw.trim()))
        expected(m(`${min} 到 ${max} 之间的整数`, `an integer between ${min} and ${max}`));
      const n = Number(raw.trim());
      if (!Number.isSafeInteger(n) || n < min || n > max)
        expected(m(`${min} 到 ${max} 之间的整数`, `an integer between ${min} and ${max}`));
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
      expected(m('true 或 false（是/否）', 'true or false'));
    },
  };
}

export function stringSetting(
  key: string,
  def: string,
  description: L10n,
  pattern?: RegExp,
  what?: L10n | string,
): SettingDef<string> {
  return {
    key,
    description,
    default: def,
    parse(raw) {
      const v = raw.trim();
      if (pattern && !pattern.test(v)) expected(what ?? m(`符合 ${pattern} 的文字`, `text matching ${pattern}`));
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
      if (!values.includes(v)) expected(m(`以下之一：${values.join(', ')}`, `one of ${values.join(', ')}`));
      return v;
    },
  };
}

export const TIME_OF_DAY = m('24 小时制时间 HH:mm', 'a time HH:mm (24-hour)');

/** 'HH:mm' wall-clock time in the business time zone. */
export function timeSetting(key: string, def: string, description: L10n): SettingDef<string> {
  return stringSetting(key, def, description, /^([01]\d|2[0-3]):[0-5]\d$/, TIME_OF_DAY);
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
          expected(m('逗号分隔的列表或字符串的 JSON 数组', 'a comma-separated list or a JSON array of strings'));
        }
      } else {
        items = text.split(/[,，]/).map((s) => s.trim());
      }
      if (!Array.isArray(items) || items.some((s) => typeof s !== 'string' || !s))
        expected(m('逗号分隔的非空列表', 'a non-empty comma-separated list'));
      if (items.length === 0) expected(m('至少一项', 'at least one item'));
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
        expected(m('合法的 JSON', 'valid JSON'));
      }
      const problem = check(v);
      if (problem) expected(problem);
      return v as T;
    },
    format: (v) => JSON.stringify(v),
  };
}
