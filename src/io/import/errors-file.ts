import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { CrmError, ExitCode } from '../../domain/errors.js';

/** Refuse an output path we must not write: an existing file (unless force), a directory, a missing folder. */
export function checkOutputPath(out: string, force: boolean, input?: string): void {
  if (input && path.resolve(out) === path.resolve(input)) {
    throw new CrmError(
      'E3103',
      { zh: `输出文件不能是输入文件本身：${out}`, en: `the output file is the input file: ${out}` },
      ExitCode.usage,
    );
  }
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(out);
  } catch {
    stat = null;
  }
  if (stat?.isDirectory()) {
    throw new CrmError('E3103', { zh: `${out} 是一个目录`, en: `${out} is a directory` }, ExitCode.usage, {
      zh: '给出一个文件名',
      en: 'give a file name',
    });
  }
  if (stat && !force) {
    throw new CrmError('E3103', { zh: `文件已存在：${out}`, en: `the file already exists: ${out}` }, ExitCode.usage, {
      zh: '换一个文件名，或加 --force 覆盖',
      en: 'choose another name, or pass --force to overwrite it',
    });
  }
  const dir = path.dirname(path.resolve(out));
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new CrmError(
      'E3103',
      { zh: `无法写入目录 ${dir}`, en: `cannot write to the folder ${dir}` },
      ExitCode.usage,
      { zh: '检查目录是否存在且可写', en: 'check that the folder exists and is writable' },
    );
  }
}

/**
 * The reject report: the file's header plus `line` and `reason`, then each rejected row as it was.
 * Written as UTF-8 with a BOM, so Excel opens Chinese text correctly; cells are written as they were read
 * (the report is meant to be fixed and imported again).
 */
export class RejectWriter {
  private fd: number;
  private width = 0;
  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  static open(out: string, input: string, force: boolean): RejectWriter {
    checkOutputPath(out, force, input);
    const fd = fs.openSync(out, 'w');
    fs.writeSync(fd, '\uFEFF');
    return new RejectWriter(out, fd);
  }

  header(headers: string[]): void {
    this.width = headers.length;
    fs.writeSync(this.fd, stringify([[...headers, 'line', 'reason']], { record_delimiter: 'unix' }));
  }

  write(raw: string[], line: number, reason: string): void {
    const cells = raw.length >= this.width ? raw : [...raw, ...Array(this.width - raw.length).fill('')];
    fs.writeSync(this.fd, stringify([[...cells, String(line), reason]], { record_delimiter: 'unix' }));
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  /** Close and remove (the import never started). */
  discard(): void {
    this.close();
    fs.rmSync(this.file, { force: true });
  }
}
