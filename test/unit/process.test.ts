import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { isProcessAlive, thisProcess } from '../../src/io/process.js';

describe('isProcessAlive', () => {
  it('is true for this process and false for one that has exited', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.status).toBe(0);
    // The pid of a reaped child is free until the system hands it out again, which takes far longer than this.
    expect(isProcessAlive(child.pid as number)).toBe(false);
  });

  it('thisProcess names this machine and this pid, as lock holders record them', () => {
    expect(thisProcess).toEqual({ host: os.hostname(), pid: process.pid });
  });
});
