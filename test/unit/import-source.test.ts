import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { mapHeaders } from '../../src/io/import/headers.js';
import { detectEncoding, openCsv } from '../../src/io/import/source.js';

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
