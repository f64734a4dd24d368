import { describe, expect, it } from 'vitest';
import { registerAddSchedule } from '../../src/commands/office/schedule.js';
import { registerAddTask, runAddTask } from '../../src/commands/office/tasks.js';
import { registerTodo, runTodo } from '../../src/commands/office/todo.js';
import { registerDailyVisits, registerReportVisit } from '../../src/commands/office/visits.js';
import { ExitCode } from '../../src/domain/errors.js';
import { inProcessSuite, parseVerb } from '../support/in-process.js';

describe('office verbs: flags to typed options, and runs in-process', () => {
  const suite = inProcessSuite();

  it('todo maps --for, --team and --date', async () => {
    const { ctx } = suite.context();
    expect(await parseVerb(ctx, registerTodo, ['todo', '--team', '--date', '2026-11-24'])).toEqual({
      for: undefined,
      team: true,
      date: '2026-11-24',
    });
    expect(await parseVerb(ctx, registerTodo, ['todo', '--for', 'bob'])).toMatchObject({ for: 'bob', team: false });
  });

  it('tasks add collects repeated --cc and reads --opportunity as a number', async () => {
    const { ctx } = suite.context();
    expect(
      await parseVerb(ctx, registerAddTask, [
        'add',
        '准备续签材料',
        '--cc',
        'carol',
        '--cc',
        'dave',
        '--opportunity',
        '7',
        '--due',
        '2026-11-24',
      ]),
    ).toEqual({
      title: '准备续签材料',
      description: undefined,
      assignee: undefined,
      due: '2026-11-24',
      priority: undefined,
      customer: undefined,
      order: undefined,
      opportunity: 7,
      cc: ['carol', 'dave'],
    });
  });

  it('schedule add maps --all-day and repeated --with; visits report needs a numeric id', async () => {
    const { ctx } = suite.context();
    expect(
      await parseVerb(ctx, registerAddSchedule, [
        'add',
        '年终总结',
        '--start',
        '2026-12-30',
        '--all-day',
        '--with',
        'carol',
      ]),
    ).toMatchObject({ title: '年终总结', start: '2026-12-30', allDay: true, participants: ['carol'], end: undefined });
    expect(
      await parseVerb(ctx, registerReportVisit, [
        'report',
        '3',
        '--result',
        'B',
        '--expense',
        '36.5',
        '--expense-item',
        '交通',
      ]),
    ).toMatchObject({ id: 3, result: 'B', expense: '36.5', expenseItem: '交通' });
    await expect(parseVerb(ctx, registerReportVisit, ['report', 'x', '--result', 'B'])).rejects.toMatchObject({
      code: 'E0002',
      exitCode: ExitCode.usage,
    });
    expect(await parseVerb(ctx, registerDailyVisits, ['daily', '--page-lines', '40'])).toMatchObject({ pageLines: 40 });
  });

  it('runs: a task added, then the to-do list shows it with its command', async () => {
    const t = suite.context();
    expect(await runAddTask(t.ctx, { title: 'call the treasury', due: '2026-11-23 17:00' })).toBeUndefined();
    expect(t.stdout()).toBe('added task 1: call the treasury (assignee admin, due 2026-11-23 17:00)\n');
    const list = suite.context();
    expect(await runTodo(list.ctx, { team: false })).toBeUndefined();
    expect(list.stdout()).toContain('17:00  task 1: call the treasury\n      → crm tasks done 1');
    const json = suite.context({ json: true });
    await runTodo(json.ctx, { team: false });
    expect(JSON.parse(json.stdout())).toEqual([
      expect.objectContaining({
        kind: 'task',
        due: '2026-11-23T09:00:00.000Z',
        ref: 'task:1',
        command: 'crm tasks done 1',
      }),
    ]);
  });

  it('a whole invocation: an end before its start exits 2 with the code and the fix', async () => {
    const r = await suite.main(['schedule', 'add', 'x', '--start', '2026-11-24 10:00', '--end', '2026-11-24 09:00']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('E5102');
    expect(r.stderr).toContain('give an end after the start');
  });
});
