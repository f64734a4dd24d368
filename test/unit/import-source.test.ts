import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { mapHeaders } from '../../src/io/import/headers.js';
import { CsvSplitter, detectEncoding, openCsv } from '../../src/io/import/source.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-import-unit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function readAll(file: string, enc: 'auto' | 'utf8' | 'gbk' = 'auto') {
  const src = openCsv(file, enc);
  const out: { line: number; cells: string[] }[] = [];
  for await (const r of src.records) out.push(r);
  return { records: out, encoding: src.encoding(), sha: src.sha256() };
}

describe('CSV source', () => {
  it('counts physical lines across CRLF, quoted newlines and empty lines', async () => {
    const file = write(
      'lines.csv',
      'code,name,note\r\nA1,"Acme, Inc.","two\r\nlines"\r\n\r\nA2,"He said ""hi""",x\r\nA3,"a\nb\nc",y\r\nA4,z,w\r\n',
    );
    const { records } = await readAll(file);
    const data = records.filter((r) => r.cells.length);
    expect(data.map((r) => [r.line, r.cells[0]])).toEqual([
      [1, 'code'],
      [2, 'A1'],
      [5, 'A2'],
      [6, 'A3'],
      [9, 'A4'],
    ]);
    expect(data[1]!.cells[1]).toBe('Acme, Inc.');
    expect(data[2]!.cells[1]).toBe('He said "hi"');
  });

  it('strips a UTF-8 BOM and detects GBK', async () => {
    const bom = write(
      'bom.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('客户编码,客户名称\n1,财政局\n')]),
    );
    const a = await readAll(bom);
    expect(a.encoding).toBe('utf8');
    expect(a.records[0]!.cells[0]).toBe('客户编码');
    const gbk = write('gbk.csv', iconv.encode('客户编码,客户名称\r\n1,北京市财政局\r\n', 'gbk'));
    const b = await readAll(gbk);
    expect(b.encoding).toBe('gbk');
    expect(b.records[1]!.cells[1]).toBe('北京市财政局');
    expect(b.sha).toMatch(/^[0-9a-f]{64}$/);
  });

  it('decodes forced GBK and refuses invalid UTF-8 when told utf8', async () => {
    const gbk = write('gbk2.csv', iconv.encode('code,name\n1,教育局\n', 'gbk'));
    expect((await readAll(gbk, 'gbk')).records[1]!.cells[1]).toBe('教育局');
    await expect(readAll(gbk, 'utf8')).rejects.toMatchObject({ code: 'E3102', exitCode: 7 });
  });

  it('detects encodings from samples', () => {
    expect(detectEncoding(Buffer.from('plain ascii'))).toBe('utf8');
    expect(detectEncoding(iconv.encode('中文', 'gbk'))).toBe('gbk');
    // A UTF-8 character cut at the end of the sample is still UTF-8.
    expect(detectEncoding(Buffer.from('中文').subarray(0, 4))).toBe('utf8');
  });

  it('a missing file is exit 7', () => {
    expect(() => openCsv(path.join(dir, 'nope.csv'), 'auto')).toThrow(/no such file/);
  });
});

describe('CSV splitter', () => {
  const csvParse = (text: string) => {
    try {
      return parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: false });
    } catch {
      return 'error';
    }
  };
  const split = (text: string, cut: number) => {
    try {
      const sp = new CsvSplitter();
      const out: { line: number; cells: string[] }[] = [];
      sp.push(text.slice(0, cut), out, false);
      sp.push(text.slice(cut), out, true);
      return out.map((r) => (r.cells.length ? r.cells : ['']));
    } catch {
      return 'error';
    }
  };

  it('splits exactly like csv-parse (relaxed quotes and column counts), whatever the chunk boundary', () => {
    const alphabet = ['a', 'b', ',', '"', '\n', '\r', '\r\n', ' ', '中'];
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    let compared = 0;
    for (let t = 0; t < 20000; t++) {
      let text = '';
      const n = Math.floor(rnd() * 24);
      for (let i = 0; i < n; i++) text += alphabet[Math.floor(rnd() * alphabet.length)];
      const cut = Math.floor(rnd() * (text.length + 1));
      expect(split(text, cut), JSON.stringify(text)).toEqual(csvParse(text));
      compared++;
    }
    expect(compared).toBe(20000);
  });

  it('refuses a quote left open at the end; keeps a field whose quote closed too early as written', () => {
    expect(split('a,"b\nc', 3)).toBe('error');
    expect(split('a,"b"c,d\n', 4)).toEqual([['a', '"b"c', 'd']]);
    expect(split('x,He said "hi",y\n', 5)).toEqual([['x', 'He said "hi"', 'y']]);
  });
});

describe('header mapping', () => {
  const columns = [
    { key: 'code', aliases: ['客户编码'], required: true },
    { key: 'name', aliases: ['客户名称'], required: true },
    { key: 'parent_code', aliases: ['上级编码'] },
  ];
  it('maps Chinese and English names ignoring case and spaces; unknown columns are listed', () => {
    const m = mapHeaders('f.csv', [' 客户编码 ', 'NAME', 'Parent Code', 'Colour'], columns);
    expect(m.keys).toEqual(['code', 'name', 'parent_code', null]);
    expect(m.unknown).toEqual(['Colour']);
  });
  it('refuses a file without a required column, naming it', () => {
    expect(() => mapHeaders('f.csv', ['code', 'region'], columns)).toThrow(/missing required column\(s\): name/);
  });
  it('refuses two columns that mean the same', () => {
    expect(() => mapHeaders('f.csv', ['code', 'name', '客户名称'], columns)).toThrow(/both mean name/);
  });
});
