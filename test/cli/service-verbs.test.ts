import { describe, expect, it } from 'vitest';
import { registerAdd, runAdd, runList, runRespond } from '../../src/commands/service/tickets.js';
import { inProcessSuite, parseVerb } from '../support/in-process.js';

describe('tickets verbs in-process', () => {
  const suite = inProcessSuite();

  it('add maps its flags: priority defaults to normal, --contact is an id', async () => {
    const { ctx } = suite.context();
    expect(
      await parseVerb(ctx, registerAdd, [
        'add',
        '--customer',
        'C1',
        '--kind',
        '投诉',
        '--title',
        'T',
        '--content',
        'X',
        '--contact',
        '3',
        '--at',
        '2026-11-23 09:00',
      ]),
    ).toEqual({
      customer: 'C1',
      kind: '投诉',
      priority: 'normal',
      title: 'T',
      content: 'X',
      channel: undefined,
      contact: 3,
      order: undefined,
      at: '2026-11-23 09:00',
    });
    await expect(parseVerb(ctx, registerAdd, ['add', '--customer', 'C1', '--kind', 'fault'])).rejects.toThrow();
  });

  it('runs add, respond and list with the business time zone in what people read', async () => {
    expect((await suite.main(['customers', 'add', '--code', 'C1', '--name', 'Acme'])).code).toBe(0);
    const t = suite.context({ lang: 'zh' });
    await runAdd(t.ctx, { customer: 'C1', kind: 'fault', priority: 'urgent', title: 'down', content: 'x' });
    // CRM_NOW is Monday 10:00 in Beijing: urgent responds by 11:00, resolves by 14:00
    expect(t.stdout()).toBe(
      'CS20261123-0001 已受理：故障，紧急，处理人 admin；响应时限 2026-11-23 11:00，解决时限 2026-11-23 14:00\n',
    );
    const r = suite.context({ json: true });
    await runRespond(r.ctx, { number: 'CS20261123-0001', content: 'on it' });
    expect(JSON.parse(r.stdout())).toMatchObject({ status: 'responded', responseMet: true });
    const l = suite.context({ json: true });
    await runList(l.ctx, { revisitDue: false, breached: false });
    expect(JSON.parse(l.stdout()).map((x: { number: string }) => x.number)).toEqual(['CS20261123-0001']);
  });

  it('a refused step is the exit code of its CrmError through main()', async () => {
    const r = await suite.main(['tickets', 'close', 'CS20261123-0001']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('E4108');
  });
});
