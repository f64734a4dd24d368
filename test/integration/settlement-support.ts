import type { Knex } from 'knex';
import { parseLocalDateTime } from '../../src/domain/clock.js';
import type { PostTransactionInput } from '../../src/services/settlement/ledger.js';

/** Insert a customer row directly (the customers service is another team's; settlement only needs the tree). */
export async function addCustomer(
  db: Knex,
  code: string,
  name: string,
  parentId: number | null = null,
  kind = 'unit',
): Promise<number> {
  const now = '2026-01-01T00:00:00.000Z';
  const [id] = await db('customers').insert({
    code,
    name,
    name_norm: name,
    kind,
    parent_id: parentId,
    status: 'active',
    deal_status: 'none',
    grade_manual: false,
    created_at: now,
    updated_at: now,
  });
  return Number(id);
}

let seq = 0;
export function txn(
  customerId: number,
  occurred: string,
  amountFen: number,
  extra: Partial<PostTransactionInput> = {},
): PostTransactionInput {
  seq += 1;
  return {
    ref: `T${Date.now().toString(36)}${seq}`,
    kind: 'payment',
    amountFen,
    customerId,
    accountClass: '财政授权支付',
    occurredAt: parseLocalDateTime(occurred, 'Asia/Shanghai'),
    source: 'feed',
    ...extra,
  };
}
