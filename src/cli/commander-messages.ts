import type { L10n } from '../domain/errors.js';

/**
 * Commander writes its parse errors in English. These are its messages (commander 14) read into Chinese, so an
 * operator working in Chinese never meets "required option … not specified"; the English stays as commander
 * wrote it. A message this table does not know stays as written in both languages.
 */
const PATTERNS: { re: RegExp; zh: (g: string[]) => string }[] = [
  {
    re: /^unknown option '([^']+)'$/,
    zh: ([flag]) => `未知的选项 ${flag}`,
  },
  {
    re: /^unknown command '([^']+)'$/,
    zh: ([name]) => `未知的命令 ${name}`,
  },
  {
    re: /^required option '([^']+)' not specified$/,
    zh: ([flag]) => `缺少必需的选项 ${flag}`,
  },
  {
    re: /^option '([^']+)' argument missing$/,
    zh: ([flag]) => `选项 ${flag} 缺少取值`,
  },
  {
    re: /^missing required argument '([^']+)'$/,
    zh: ([name]) => `缺少必需的参数 ${name}`,
  },
  {
    re: /^too many arguments(?: for '([^']+)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
    zh: ([cmd, want, got]) => `${cmd ? `${cmd} 的` : ''}参数过多：应为 ${want} 个，实际 ${got} 个`,
  },
  {
    re: /^option '([^']+)' argument '([^']*)' is invalid\. Allowed choices are (.+)\.$/,
    zh: ([flag, value, choices]) => `选项 ${flag} 的取值 "${value}" 无效，可选：${choices}`,
  },
  {
    re: /^option '([^']+)' argument '([^']*)' is invalid\. (.+)$/,
    zh: ([flag, value, why]) => `选项 ${flag} 的取值 "${value}" 无效：${reasonZh(why ?? '')}`,
  },
  {
    re: /^(.+) cannot be used with (.+)$/,
    zh: ([a, b]) => `${a} 不能与 ${b} 同时使用`,
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
    return { zh: p.zh(groups) + (suggestion ? `（您是不是想输入 ${suggestion[1]}？）` : ''), en: text };
  }
  return { zh: text, en: text };
}
