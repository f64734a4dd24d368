import type { Lang } from '../domain/i18n.js';

// The messages themselves live in the domain (services and reports speak both languages too).
export { type L10n, type Lang, m, tr } from '../domain/i18n.js';

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
