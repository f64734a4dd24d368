/**
 * Merge two customer records (a duplicate found after an import, say): everything that hangs off SRC moves to
 * DST — contacts, follow-ups, leads, opportunities, orders, settlement transactions (the first-level unit code
 * fixed at posting stays as it was) and child units — DST's blank fields are filled from SRC, then SRC is
 * marked deleted. One transaction, audited on both customers. Admins and managers (within their scope).
 */
import { CrmError, ExitCode } from '../../domain/errors.js';
import { requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { type CustomerRecord, loadCustomer, normPhone } from './common.js';
import { getCustomer } from './customers.js';

export interface MergeResult {
  source: string;
  target: string;
  moved: {
    contacts: number;
    followups: number;
    leads: number;
    opportunities: number;
    orders: number;
    transactions: number;
    children: number;
  };
  filled: string[];
  customer: CustomerRecord;
}

const FILLABLE = ['industry', 'region', 'address', 'phone', 'email', 'source', 'note'] as const;

export async function mergeCustomers(svc: ServiceContext, src: string, dst: string): Promise<MergeResult> {
  requireCapability(svc.actor, 'crm.approve', { zh: '合并客户', en: 'merge customers' });
  if (src === dst) {
    throw new CrmError(
      'E3160',
      { zh: `不能把客户 ${src} 合并到自身`, en: `cannot merge customer ${src} into itself` },
      ExitCode.usage,
    );
  }
  return inTransaction(svc, async (tx) => {
    const from = await loadCustomer(tx, src, { forWrite: true });
    const to = await loadCustomer(tx, dst, { forWrite: true });
    // DST below SRC: SRC's children would move under their own descendant.
    let cur: number | null = to.parent_id == null ? null : Number(to.parent_id);
    for (let d = 0; cur != null && d < 64; d++) {
      if (cur === Number(from.id)) {
        throw new CrmError(
          'E3161',
          {
            zh: `${dst} 是 ${src} 的下级单位，不能合并到它`,
            en: `${dst} is below ${src} in the organisation tree; cannot merge into it`,
          },
          ExitCode.conflict,
          {
            zh: `先把 ${dst} 移出（crm customers edit ${dst} --parent ...），或反过来合并`,
            en: `move ${dst} out first (crm customers edit ${dst} --parent ...), or merge the other way round`,
          },
        );
      }
      const p: { parent_id: number | null } | undefined = await tx
        .db('customers')
        .where({ id: cur })
        .first('parent_id');
      cur = p?.parent_id == null ? null : Number(p.parent_id);
    }
    const srcBefore = await getCustomer(tx, src);
    const dstBefore = await getCustomer(tx, dst);
    const fromId = Number(from.id);
    const toId = Number(to.id);
    const now = nowIso(tx.clock);

    // The target keeps its primary contact; moved contacts are secondary when it has one.
    const hasPrimary = await tx.db('contacts').where({ customer_id: toId, is_primary: true }).first('id');
    if (hasPrimary) await tx.db('contacts').where({ customer_id: fromId }).update({ is_primary: false });
    const move = (table: string) => tx.db(table).where({ customer_id: fromId }).update({ customer_id: toId });
    const moved = {
      contacts: Number(await move('contacts')),
      followups: Number(await move('followups')),
      leads: Number(await move('leads')),
      opportunities: Number(await move('opportunities')),
      orders: Number(await move('orders')),
      transactions: Number(await move('settlement_transactions')),
      children: Number(
        await tx.db('customers').where({ parent_id: fromId }).update({ parent_id: toId, updated_at: now }),
      ),
    };

    const patch: Record<string, unknown> = {};
    const filled: string[] = [];
    for (const k of FILLABLE) {
      if ((to[k] == null || to[k] === '') && from[k] != null && from[k] !== '') {
        patch[k] = from[k];
        filled.push(k);
      }
    }
    if (patch.phone) patch.phone_norm = normPhone(String(patch.phone));
    const later = (a: unknown, b: unknown) => (a == null ? b : b == null ? a : String(a) > String(b) ? a : b);
    const lastFollowup = later(to.last_followup_at, from.last_followup_at);
    if (lastFollowup !== to.last_followup_at) patch.last_followup_at = lastFollowup;
    const lastDeal = later(to.last_deal_at, from.last_deal_at);
    if (lastDeal !== to.last_deal_at) patch.last_deal_at = lastDeal;
    if (from.deal_status === 'dealt' && to.deal_status !== 'dealt') patch.deal_status = 'dealt';
    await tx
      .db('customers')
      .where({ id: toId })
      .update({ ...patch, updated_at: now });
    const note = `merged into ${dst}`;
    await tx
      .db('customers')
      .where({ id: fromId })
      .update({
        status: 'deleted',
        note: from.note ? `${String(from.note)}\n${note}` : note,
        updated_at: now,
      });

    const srcAfter = await getCustomer(tx, src);
    const customer = await getCustomer(tx, dst);
    await audit(tx, {
      action: 'customers.merge',
      entity: 'customer',
      entityId: src,
      before: srcBefore,
      after: { ...srcAfter, mergedInto: dst, moved },
    });
    await audit(tx, {
      action: 'customers.merge',
      entity: 'customer',
      entityId: dst,
      before: dstBefore,
      after: { ...customer, mergedFrom: src, moved, filled },
    });
    return { source: src, target: dst, moved, filled, customer };
  });
}
