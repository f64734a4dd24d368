import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerMoves } from '../../src/commands/approvals/decide.js';
import { registerDelegate } from '../../src/commands/approvals/delegate.js';
import { registerListRequests, runListRequests } from '../../src/commands/approvals/list.js';
import { registerSubmitRequest, runSubmitRequest } from '../../src/commands/approvals/submit.js';
import { ExitCode } from '../../src/domain/errors.js';
import { inProcessSuite, parseVerb } from '../support/in-process.js';

describe('approvals verbs', () => {
  const suite = inProcessSuite();

  it('submit collects repeated --item and --cc; --type is required', async () => {
    const { ctx } = suite.context();
    const argv = [
      'submit',
      '--type',
      'gift',
      '--title',
      '礼品',
      '--customer',
      'C1',
      '--item',
      'a:1',
      '--item',
      'b:2:3',
    ];
    expect(await parseVerb(ctx, registerSubmitRequest, [...argv, '--cc', 'x', '--cc', 'y'])).toEqual({
      type: 'gift',
      title: '礼品',
      amount: undefined,
      from: undefined,
      to: undefined,
      customer: 'C1',
      items: ['a:1', 'b:2:3'],
      attendees: undefined,
      note: undefined,
      cc: ['x', 'y'],
    });
    await expect(parseVerb(ctx, registerSubmitRequest, ['submit', '--title', 'x'])).rejects.toBeInstanceOf(
      CommanderError,
    );
  });

  it('list takes one box; two are a usage error', async () => {
    const { ctx } = suite.context();
    expect(await parseVerb(ctx, registerListRequests, ['list', '--to-me', '--status', 'pending'])).toEqual({
      box: 'to-me',
      status: 'pending',
      type: undefined,
    });
    expect((await parseVerb(ctx, registerListRequests, ['list'])).box).toBe('mine');
    await expect(parseVerb(ctx, registerListRequests, ['list', '--mine', '--cc'])).rejects.toMatchObject({
      code: 'E4241',
      exitCode: ExitCode.usage,
    });
  });

  it('approve and reject read the id as a number; delegate maps --to-date', async () => {
    const { ctx } = suite.context();
    const moves = (p: Parameters<typeof registerMoves>[0], c: typeof ctx, run: Parameters<typeof registerMoves>[2]) =>
      registerMoves(p, c, () => run as never);
    expect(await parseVerb(ctx, moves, ['reject', '12', '--reason', '超标'])).toEqual({
      id: 12,
      comment: undefined,
      reason: '超标',
    });
    await expect(parseVerb(ctx, moves, ['approve', 'twelve'])).rejects.toMatchObject({
      code: 'E4209',
      exitCode: ExitCode.usage,
    });
    expect(
      await parseVerb(ctx, registerDelegate, [
        'delegate',
        '--to',
        'erin',
        '--from',
        '2026-12-01',
        '--to-date',
        '2026-12-05',
      ]),
    ).toEqual({ to: 'erin', from: '2026-12-01', toDate: '2026-12-05', for: undefined });
  });

  it('runs: what a person reads, and the exit codes main() gives', async () => {
    const t = suite.context();
    await runSubmitRequest(t.ctx, { type: 'general', title: '采购打印机' });
    // The admin has nobody above: the step waits for the admins, and the admin may not decide their own.
    expect(t.stdout()).toBe('request 1: pending, step 1 of 1, waiting for -\n');
    const list = suite.context();
    await runListRequests(list.ctx, { box: 'mine' });
    expect(list.stdout().split('\n')[1]).toBe('1\tgeneral\t采购打印机\tadmin\t\tpending\t1/1\t\t2026-11-23 10:00:00');
    const own = await suite.main(['approvals', 'approve', '1']);
    expect(own.code).toBe(ExitCode.permission);
    expect(own.stderr).toMatch(/^error E4210: /);
    const zh = await suite.main(['--lang', 'zh', 'approvals', 'submit', '--type', 'leave', '--title', 'x']);
    expect(zh.code).toBe(ExitCode.usage);
    expect(zh.stderr).toMatch(/^错误 E4204: 请假申请需要 --from 和 --to\n/);
  });
});
