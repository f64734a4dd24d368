import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/io/atomic-write.js';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-atomic-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes the whole file and leaves no temp file beside it', () => {
    const file = path.join(dir, 'report.txt');
    const text = '清单\n'.repeat(100_000);
    writeFileAtomic(file, text);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    expect(fs.readdirSync(dir)).toEqual(['report.txt']);
  });

  it('replaces an existing file whole', () => {
    const file = path.join(dir, 'a.bin');
    fs.writeFileSync(file, 'old content that is longer than the new one');
    writeFileAtomic(file, Buffer.from([1, 2, 3]));
    expect([...fs.readFileSync(file)]).toEqual([1, 2, 3]);
    expect(fs.readdirSync(dir)).toEqual(['a.bin']);
  });

  it('gives a new file the mode asked for', () => {
    const file = path.join(dir, 'config.json');
    writeFileAtomic(file, '{}\n', { mode: 0o600 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('creates the directory only when asked', () => {
    const file = path.join(dir, 'x', 'y', 'z.txt');
    expect(() => writeFileAtomic(file, 'z')).toThrow(/ENOENT/);
    writeFileAtomic(file, 'z', { createDir: true });
    expect(fs.readFileSync(file, 'utf8')).toBe('z');
  });

  it('a failure before the rename leaves the old file and no temp file', () => {
    const file = path.join(dir, 'keep.txt');
    fs.writeFileSync(file, 'old');
    for (const fixedTempName of [false, true]) {
      expect(() =>
        writeFileAtomic(file, 'new', {
          fixedTempName,
          beforeRename: () => {
            throw new Error('injected');
          },
        }),
      ).toThrow('injected');
      expect(fs.readFileSync(file, 'utf8')).toBe('old');
      expect(fs.readdirSync(dir)).toEqual(['keep.txt']);
    }
  });

  it('the temp file is complete when the rename comes, in the same directory', () => {
    const file = path.join(dir, 'qs.txt');
    let seen: string[] = [];
    writeFileAtomic(file, 'abc', {
      fixedTempName: true,
      beforeRename: () => {
        seen = fs.readdirSync(dir);
        expect(fs.readFileSync(path.join(dir, '.qs.txt.tmp'), 'utf8')).toBe('abc');
      },
    });
    expect(seen).toEqual(['.qs.txt.tmp']);
    expect(fs.readdirSync(dir)).toEqual(['qs.txt']);
  });

  it('a fixed temp name left by a crashed run is replaced, not kept', () => {
    const file = path.join(dir, 'tk.txt');
    fs.writeFileSync(path.join(dir, '.tk.txt.tmp'), 'half a file from a crashed run');
    writeFileAtomic(file, 'whole', { fixedTempName: true });
    expect(fs.readFileSync(file, 'utf8')).toBe('whole');
    expect(fs.readdirSync(dir)).toEqual(['tk.txt']);
  });
});
