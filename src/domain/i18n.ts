/** A message a person reads, in both languages the product speaks. */
export type L10n = { zh: string; en: string };

export type Lang = 'zh' | 'en';

/** Shorthand for declaring a bilingual message. */
export const m = (zh: string, en: string): L10n => ({ zh, en });

/** Pick one language of a message and fill `{name}` placeholders. */
export function tr(lang: Lang, message: L10n, params: Record<string, string | number> = {}): string {
  const text = lang === 'zh' ? message.zh : message.en;
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}
