import type { L10n } from '../domain/errors.js';

export type Lang = 'zh' | 'en';

/** zh-CN when LANG/LC_ALL starts with zh, else English; CRM_LANG and --lang win. */
export function resolveLang(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  configLang?: string,
): Lang {
  const explicit = flag ?? env.CRM_LANG ?? configLang;
  if (explicit) return explicit.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Pick one language of a message and fill `{name}` placeholders. */
export function tr(lang: Lang, message: L10n, params: Record<string, string | number> = {}): string {
  const text = lang === 'zh' ? message.zh : message.en;
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

/** Shorthand for declaring a bilingual message. */
export const m = (zh: string, en: string): L10n => ({ zh, en });
