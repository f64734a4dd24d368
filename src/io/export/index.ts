import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { safeCell } from '../csv-safe.js';
import { checkOutputPath } from '../import/errors-file.js';

/**
 * Generic streaming CSV export: pages of rows in, a CSV file out (UTF-8 or GBK, optional BOM for Excel), every cell
 * made formula-safe (`safeCell`: a leading = + - @ tab or CR gets an apostrophe; plain numbers stay numbers).
 * `--out` is refused when it exists unless `force`. Memory holds one page at a time.
 */
export interface ExportOptions {
  out: string;
  force?: boolean;
  encoding?: 'utf8' | 'gbk';
  bom?: boolean;
}

export async function exportCsv(
  opts: ExportOptions,
  header: string[],
  pages: AsyncIterable<(string | number | null | undefined)[][]>,
): Promise<number> {
  checkOutputPath(opts.out, Boolean(opts.force));
  const gbk = opts.encoding === 'gbk';
  const fd = fs.openSync(opts.out, 'w');
  const write = (text: string) => fs.writeSync(fd, gbk ? iconv.encode(text, 'gb18030') : Buffer.from(text, 'utf8'));
  let count = 0;
  try {
    if (opts.bom && !gbk) fs.writeSync(fd, Buffer.from([0xef, 0xbb, 0xbf]));
    write(stringify([header], { record_delimiter: 'windows' }));
    for await (const rows of pages) {
      write(
        stringify(
          rows.map((r) => r.map((c) => safeCell(c ?? ''))),
          { record_delimiter: 'windows' },
        ),
      );
      count += rows.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  return count;
}
