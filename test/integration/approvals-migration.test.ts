import { expect, it } from 'vitest';
import { migrateLatest } from '../../src/db/migrate.js';
import { migrationSource } from '../../src/db/migrations/index.js';
import { pendingApprovalsFor } from '../../src/services/approvals/requests.js';
import { approveOrder, createOrder, showOrder } from '../../src/services/orders/orders.js';
import { addProduct } from '../../src/services/orders/products.js';
import { describeEachDb } from '../support/db.js';

describeEachDb('approvals migration', (h) => {
  it('0010 puts orders already waiting for a manager on the engine; down and up again', async () => {
    await h.addUser('carol', 'manager');
    await h.addUser('bob', 'sales', 'carol');
    const db = h.db();
    const bobId = (await db('users').where({ name: 'bob' }).first('id')).id;
    await db('customers').insert({
      code: 'C-BOB',
      name: '客户',
      name_norm: '客户',
      kind: 'unit',
      owner_id: bobId,
      status: 'active',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    await addProduct(await h.as(), { code: 'P-ONE', name: 'one', priceFen: 100 });
    const o = await createOrder(await h.as('bob'), { customer: 'C-BOB', items: ['P-ONE:1:100:20'] });
    // As a database before the engine: undo 0010, and the order waits in the old way.
    // (the migrations after it are undone first, newest first, and come back with it)
    const undone: string[] = [];
    while (!undone.includes('0010_approvals')) {
      const [, names] = (await db.migrate.down({ migrationSource })) as [number, string[]];
      expect(names.length, 'a migration to undo').toBeGreaterThan(0);
      undone.push(...names);
    }
    expect(await db.schema.hasTable('approval_requests')).toBe(false);
    await db('orders')
      .where({ number: o.number })
      .update({ status: 'submitted', needs_approval: true, submitted_at: '2026-11-20T02:00:00.000Z' });
    expect(await migrateLatest(db)).toEqual([...undone].reverse());
    const waiting = await pendingApprovalsFor(await h.as(), 'carol');
    expect(waiting).toEqual([
      expect.objectContaining({
        type: 'order',
        title: o.number,
        requester: 'bob',
        waitingSince: '2026-11-20T02:00:00.000Z',
        command: `crm orders approve ${o.number}`,
      }),
    ]);
    await approveOrder(await h.as('carol'), o.number);
    expect((await showOrder(await h.as('bob'), o.number)).status).toBe('approved');
  });
});
