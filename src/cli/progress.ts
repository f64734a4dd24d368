import type { CliContext } from './context.js';

export interface Progress {
  update(done: number, total?: number): void;
  /** Replace the bar with a line saying what happens now (work whose length is not known, e.g. an index build). */
  stage(text: string): void;
  finish(): void;
}

const silent: Progress = { update() {}, stage() {}, finish() {} };

/** A progress line on stderr, only when a person watches a terminal; throttled to ~10 updates a second. */
export function progress(ctx: CliContext, label: string): Progress {
  if (!ctx.showProgress) return silent;
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      const width = 30;
      const bar = total ? '█'.repeat(Math.round((done / total) * width)).padEnd(width, '░') : '';
      const pct = total ? ` ${Math.floor((done / total) * 100)}%` : '';
      ctx.io.stderr.write(
        `\r${label} ${bar}${pct} ${done.toLocaleString('en-US')}${total ? `/${total.toLocaleString('en-US')}` : ''}`,
      );
    },
    stage(text) {
      shown = true;
      ctx.io.stderr.write(`\r\x1b[2K${label}: ${text}`);
    },
    finish() {
      if (shown) ctx.io.stderr.write('\r\x1b[2K');
    },
  };
}
