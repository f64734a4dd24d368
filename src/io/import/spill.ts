import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Rows set aside on disk (JSON lines in a temp file) instead of in memory: an import holding back rows until
 * the end (children whose parent comes later) keeps memory flat however many there are. Serialising also
 * copies: nothing kept refers to the file's chunks of text. The file is unlinked as soon as it is open (where
 * the system allows), so a killed process leaves nothing behind.
 */
export class RowSpill<T> {
  private fd: number | null = null;
  private file = '';
  private unlinked = false;
  private pending: string[] = [];
  private pendingChars = 0;
  private written = 0;
  count = 0;

  add(row: T): void {
    const line = `${JSON.stringify(row)}\n`;
    this.pending.push(line);
    this.pendingChars += line.length;
    this.count++;
    if (this.pendingChars > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    if (this.fd === null) {
      this.file = path.join(os.tmpdir(), `crm-import-held-${process.pid}-${Math.random().toString(36).slice(2)}.jsonl`);
      this.fd = fs.openSync(this.file, 'w+', 0o600);
      try {
        fs.unlinkSync(this.file);
        this.unlinked = true;
      } catch {}
    }
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    fs.writeSync(this.fd, buf, 0, buf.length, this.written);
    this.written += buf.length;
    this.pending = [];
    this.pendingChars = 0;
  }

  /** The rows in the order added, `size` at a time; the spill is empty (and closed) afterwards. */
  *batches(size: number): Generator<T[]> {
    this.flush();
    const fd = this.fd;
    const total = this.written;
    this.fd = null;
    this.written = 0;
    this.count = 0;
    if (fd === null) return;
    try {
      const block = Buffer.allocUnsafe(1 << 20);
      let pos = 0;
      let out: T[] = [];
      while (pos < total) {
        const n = fs.readSync(fd, block, 0, Math.min(block.length, total - pos), pos);
        if (n <= 0) break;
        // Whole lines only (JSON text has no raw newline): the bytes after the last one are read again.
        const cut = block.lastIndexOf(10, n - 1);
        if (cut === -1) throw new Error('held-back row larger than the read block');
        pos += cut + 1;
        for (const line of block.toString('utf8', 0, cut).split('\n')) {
          out.push(JSON.parse(line) as T);
          if (out.length >= size) {
            yield out;
            out = [];
          }
        }
      }
      if (out.length) yield out;
    } finally {
      this.close(fd);
    }
  }

  /** Drop whatever is held. */
  discard(): void {
    this.pending = [];
    this.pendingChars = 0;
    this.count = 0;
    this.written = 0;
    if (this.fd !== null) this.close(this.fd);
    this.fd = null;
  }

  private close(fd: number): void {
    try {
      fs.closeSync(fd);
    } catch {}
    if (!this.unlinked && this.file) fs.rmSync(this.file, { force: true });
    this.unlinked = false;
    this.file = '';
  }
}
