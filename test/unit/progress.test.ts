import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { progress } from '../../src/cli/progress.js';

function fakeCtx(showProgress: boolean): { ctx: CliContext; written: string[] } {
  const written: string[] = [];
  const ctx = { showProgress, io: { stderr: { isTTY: showProgress, write: (s: string) => written.push(s) } } };
  return { ctx: ctx as unknown as CliContext, written };
}

describe('progress line', () => {
  it('shows the bar, then a stage line in its place, and clears the line at the end', () => {
    const { ctx, written } = fakeCtx(true);
    const bar = progress(ctx, 'importing');
    bar.update(50, 100);
    bar.stage('rebuilding indexes and checking for duplicates…');
    bar.finish();
    expect(written[0]).toContain('50% 50/100');
    expect(written[1]).toBe('\r\x1b[2Kimporting: rebuilding indexes and checking for duplicates…');
    expect(written[2]).toBe('\r\x1b[2K');
  });

  it('writes nothing when nobody watches a terminal', () => {
    const { ctx, written } = fakeCtx(false);
    const bar = progress(ctx, 'importing');
    bar.update(1, 2);
    bar.stage('anything');
    bar.finish();
    expect(written).toEqual([]);
  });
});
