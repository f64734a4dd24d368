import type { L10n } from '../domain/errors.js';

/**
 * Commander writes its parse errors in English. These are its messages (commander 14) read back into both
 * languages, so an operator working in Chinese never meets "required option … not specified". A message
 * this table does not know stays as commander wrote it, in both languages.
 */
const PATTERNS: { re: RegExp; zh: (g: string[]) => string; en: (g: string[]) => string }[] = [
  {
    re: /^unknown option '([^']+)'$/,
    zh: ([flag]) => `未知的选项 ${flag}`,
    en: ([flag]) => `unknown option ${flag}`,
  },
  {
    re: /^unknown command '([^']+)'$/,
    zh: ([name]) => `未知的命令 ${name}`,
    en: ([name]) => `unknown command ${name}`,
  },
  {
    re: /^required option '([^']+)' not specified$/,
    zh: ([flag]) => `缺少必需的选项 ${flag}`,
    en: ([flag]) => `required option ${flag} not specified`,
  },
  {
    re: /^option '([^']+)' argument missing$/,
    zh: ([flag]) => `选项 ${flag} 缺少取值`,
    en: ([flag]) => `option ${flag} needs a value`,
  },
  {
    re: /^missing required argument '([^']+)'$/,
    zh: ([name]) => `缺少必需的参数 ${name}`,
    en: ([name]) => `missing required argument ${name}`,
  },
  {
    re: /^too many arguments(?: for '([^']+)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
    zh: ([cmd, want, got]) => `${cmd ? `${cmd} 的` : ''}参数过多：应为 ${want} 个，实际 ${got} 个`,
    en: ([cmd, want, got]) => `too many arguments${cmd ? ` for ${cmd}` : ''}: expected ${want}, got ${got}`,
  },
  {
    re: /^option '([^']+)' argument '([^']*)' is invalid\. Allowed choices are (.+)\.$/,
    zh: ([flag, value, choices]) => `选项 ${flag} 的取值 "${value}" 无效，可选：${choices}`,
    en: ([flag, value, choices]) => `option ${flag}: "${value}" is not allowed (choose ${choices})`,
  },
  {
    re: /^option '([^']+)' argument '([^']*)' is invalid\. (.+)$/,
    zh: ([flag, value, why]) => `选项 ${flag} 的取值 "${value}" 无效：${reasonZh(why ?? '')}`,
    en: ([flag, value, why]) => `option ${flag}: "${value}" is invalid: ${why}`,
  },
  {
    re: /^(.+) cannot be used with (.+)$/,
    zh: ([a, b]) => `${a} 不能与 ${b} 同时使用`,
    en: ([a, b]) => `${a} cannot be used with ${b}`,
  },
];

/** Reasons our own option parsers give (InvalidArgumentError), in Chinese. */
const REASONS_ZH: Record<string, string> = {
  'expected a whole number': '应为整数',
};

function reasonZh(reason: string): string {
  return REASONS_ZH[reason] ?? reason;
}

export function commanderMessage(raw: string): L10n {
  const text = raw.replace(/^error: /, '');
  const [first = '', ...rest] = text.split('\n');
  const suggestion = rest.join(' ').match(/^\(Did you mean (?:one of )?(.+)\?\)$/);
  for (const p of PATTERNS) {
    const match = first.match(p.re);
    if (!match) continue;
    const groups = match.slice(1).map((g) => g ?? '');
    return {
      zh: p.zh(groups) + (suggestion ? `（您是不是想输入 ${suggestion[1]}？）` : ''),
      en: p.en(groups) + (suggestion ? ` (did you mean ${suggestion[1]}?)` : ''),
    };
  }
  return { zh: text, en: text };
}
