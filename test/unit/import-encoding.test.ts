import { describe, expect, it } from 'vitest';
import { parseEncoding, parseFileEncoding } from '../../src/io/encoding.js';

describe('parseEncoding (--encoding of every reader)', () => {
  it.each([
    ['auto', 'auto'],
    ['AUTO', 'auto'],
    ['utf8', 'utf8'],
    ['UTF-8', 'utf8'],
    ['Utf8', 'utf8'],
    ['gbk', 'gbk'],
    ['GB18030', 'gbk'],
    ['gb2312', 'gbk'],
  ])('%s is %s', (given, wanted) => {
    expect(parseEncoding(given)).toBe(wanted);
  });

  it('a missing value is auto', () => {
    expect(parseEncoding(undefined)).toBe('auto');
  });

  it.each(['latin1', 'utf16', '', 'big5'])('refuses %j with E3105 (a usage error), never falling back to utf8', (v) => {
    expect(() => parseEncoding(v)).toThrow(expect.objectContaining({ code: 'E3105', exitCode: 2 }));
  });

  it('says which encodings it knows, in both languages', () => {
    expect(() => parseEncoding('latin1')).toThrow(
      expect.objectContaining({
        messages: {
          zh: '未知编码：latin1（可选 auto、utf8、gbk）',
          en: 'unknown encoding: latin1 (use auto, utf8 or gbk)',
        },
      }),
    );
  });
});

describe('parseFileEncoding (--encoding of writers)', () => {
  it('takes the same names but auto, and defaults to utf8', () => {
    expect(parseFileEncoding('UTF-8')).toBe('utf8');
    expect(parseFileEncoding('gb18030')).toBe('gbk');
    expect(parseFileEncoding(undefined)).toBe('utf8');
    expect(() => parseFileEncoding('auto')).toThrow(expect.objectContaining({ code: 'E3105' }));
    expect(() => parseFileEncoding('latin1')).toThrow(expect.objectContaining({ code: 'E3105' }));
  });
});
