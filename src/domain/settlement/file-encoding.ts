import iconv from 'iconv-lite';
import { CrmError, ExitCode } from '../errors.js';

export type ClearingEncoding = 'gbk' | 'utf8';

export interface UnencodableCharacter {
  char: string;
  /** 1-based position in the text, counted in characters as a person counts them (an emoji is one). */
  position: number;
  codePoint: string;
}

/**
 * The first character of `text` the clearing files' encoding cannot hold, or null. A unit name enters the
 * files as it is (frozen on each transaction at posting), so one emoji or rare character outside GBK would
 * make every clear of that day fail: names are checked where they enter instead.
 */
export function firstUnencodable(text: string, encoding: ClearingEncoding): UnencodableCharacter | null {
  if (encoding === 'utf8') return null;
  if (iconv.decode(iconv.encode(text, 'gbk'), 'gbk') === text) return null;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (iconv.decode(iconv.encode(ch, 'gbk'), 'gbk') !== ch) {
      return {
        char: ch,
        position: i + 1,
        codePoint: `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`,
      };
    }
  }
  return null;
}

/** The refusal for a name the clearing files could not hold (exit 2), naming the character and its position. */
export function unencodableNameError(field: string, text: string, hit: UnencodableCharacter): CrmError {
  return new CrmError(
    'E3166',
    {
      zh: `${field} "${text}" 的第 ${hit.position} 个字符 "${hit.char}"（${hit.codePoint}）不能写入 GBK 编码的清算文件`,
      en: `${field} "${text}": character ${hit.position} "${hit.char}" (${hit.codePoint}) cannot be written to the GBK clearing files`,
    },
    ExitCode.usage,
    {
      zh: '换用 GBK 能表示的字（如把生僻字换成常用写法，去掉表情符号）',
      en: 'use characters GBK can hold (a common form of a rare character; no emoji)',
    },
  );
}
