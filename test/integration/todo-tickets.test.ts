import { beforeAll, expect, it } from 'vitest';
import { addCustomer } from '../../src/services/customers/customers.js';
import { addTicket, resolveTicket, respondTicket, revisitTicket } from '../../src/services/service/tickets.js';
import { buildTodo } from '../../src/services/todo/index.js';
import { describeEachDb } from '../support/db.js';

/** Tickets and return visits in the to-do list: what the handler must do next, with its due time and command. */
describeEachDb('to-do: service tickets and return visits', (h) => {
  beforeAll(async () => {
    await h.addUser('bob', 'sales');
    h.clock.set('2026-09-30T16:00:00+08:00');
    await addCustomer(await h.as(), { code: 'T1', name: '东城区财政局', owner: 'bob' });
  });

  const items = async (date: string) =>
    (await buildTodo(await h.as('bob'), { date })).items
      .filter((i) => i.kind === 'ticket' || i.kind === 'revisit')
      .map((i) => ({ kind: i.kind, due: i.due, ref: i.ref, command: i.command, overdue: i.overdue }));

  it('a ticket to respond to, then to resolve, then a return visit, then nothing', async () => {
    const t = await addTicket(await h.as(), {
      customer: 'T1',
      kind: 'complaint',
      priority: 'high',
      title: '划款延迟',
      content: '未到账',
    });
    // Received Wednesday 16:00 before National Day: the response is due 10-08 11:00 (03:00 UTC).
    h.clock.set('2026-10-08T09:00:00+08:00');
    expect(await items('2026-10-08')).toEqual([
      {
        kind: 'ticket',
        due: '2026-10-08T03:00:00.000Z',
        ref: `ticket:${t.number}`,
        command: `crm tickets respond ${t.number} --content "…"`,
        overdue: false,
      },
    ]);
    await respondTicket(await h.as('bob'), t.number, '正在核查');
    expect(await items('2026-10-08')).toMatchObject([
      { kind: 'ticket', due: '2026-10-09T06:00:00.000Z', command: expect.stringContaining('tickets resolve') },
    ]);
    h.clock.set('2026-10-09T10:00:00+08:00');
    const resolved = await resolveTicket(await h.as('bob'), t.number, { resolution: '已重新划款' });
    // Three working days: 10-10 (a make-up Saturday), 10-12, 10-13.
    expect(resolved.revisitDue).toBe('2026-10-13');
    // Not yet in the soon window on 10-09 (todo.soonDays 3 → up to 10-12), then due on 10-13.
    expect(await items('2026-10-09')).toEqual([]);
    h.clock.set('2026-10-13T09:00:00+08:00');
    expect(await items('2026-10-13')).toEqual([
      {
        kind: 'revisit',
        due: '2026-10-12T16:00:00.000Z',
        ref: `revisit:${t.number}`,
        command: `crm tickets revisit ${t.number} --satisfaction 1..5`,
        overdue: false,
      },
    ]);
    await revisitTicket(await h.as('bob'), t.number, { satisfaction: 5 });
    expect(await items('2026-10-13')).toEqual([]);
  });
});
