/**
 * `crm settlement names`: the operator's override of a first-level unit's name in the clearing files. The name
 * is frozen on each transaction at posting; if the file encoding cannot hold it, every clear of that day would
 * fail (E7132) and editing the customer would not help. An override (audited, with a reason) finishes the day.
 */
import { actorId } from '../../domain/actor.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import type { FileEncoding } from '../../domain/settlement/clearing-file.js';
import { firstUnencodable, unencodableNameError } from '../../domain/settlement/file-encoding.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { operate, read } from './common.js';

export interface UnitNameOverride {
  unitCode: string;
  name: string;
  reason: string;
  setBy: string | null;
  setAt: string;
}

export async function setUnitName(
  ctx: ServiceContext,
  input: { unitCode: string; name: string; reason: string },
): Promise<UnitNameOverride> {
  operate(ctx, { zh: '修改清算文件中的单位名称', en: "change a unit's name in the clearing files" });
  const unitCode = input.unitCode.trim();
  const name = input.name.trim();
  const reason = input.reason?.trim();
  if (!reason) {
    throw new CrmError(
      'E7160',
      { zh: '必须写明原因（--reason）', en: 'a reason is required (--reason)' },
      ExitCode.usage,
    );
  }
  if (!name || name.length > 200) {
    throw new CrmError(
      'E7161',
      { zh: `名称无效："${name}"（1–200 个字符）`, en: `invalid name "${name}" (1-200 characters)` },
      ExitCode.usage,
    );
  }
  const encoding = await ctx.settings.get<FileEncoding>('settlement.fileEncoding');
  const hit = firstUnencodable(name, encoding);
  if (hit) throw unencodableNameError('--name', name, hit);
  return inTransaction(ctx, async (tx) => {
    const unit = await tx.db('customers').where({ code: unitCode }).first('id', 'parent_id');
    const used = await tx.db('settlement_transactions').where({ unit_code: unitCode }).first('id');
    if (!unit && !used) {
      throw new CrmError(
        'E7162',
        { zh: `没有编码为 ${unitCode} 的一级单位`, en: `no first-level unit with code ${unitCode}` },
        ExitCode.noData,
      );
    }
    if (unit && unit.parent_id != null && !used) {
      throw new CrmError(
        'E7163',
        {
          zh: `${unitCode} 是下级单位：清算文件中只出现一级单位的名称`,
          en: `${unitCode} is a sub-unit: the clearing files carry only first-level units' names`,
        },
        ExitCode.usage,
      );
    }
    const before = await tx.db('clearing_unit_names').where({ unit_code: unitCode }).first();
    const row = { unit_code: unitCode, name, reason, set_by: actorId(tx.actor), set_at: nowIso(tx.clock) };
    if (before) await tx.db('clearing_unit_names').where({ unit_code: unitCode }).update(row);
    else await tx.db('clearing_unit_names').insert(row);
    await audit(tx, {
      action: 'settlement.names.set',
      entity: 'clearing_unit_name',
      entityId: unitCode,
      before: before ? { name: before.name, reason: before.reason } : undefined,
      after: { name, reason },
    });
    return { unitCode, name, reason, setBy: tx.actor.name, setAt: row.set_at };
  });
}

export async function listUnitNames(ctx: ServiceContext): Promise<UnitNameOverride[]> {
  read(ctx);
  const rows = await ctx
    .db('clearing_unit_names as n')
    .leftJoin('users as u', 'u.id', 'n.set_by')
    .orderBy('n.unit_code')
    .select('n.unit_code', 'n.name', 'n.reason', 'n.set_at', 'u.name as user_name');
  return rows.map((r: Record<string, unknown>) => ({
    unitCode: String(r.unit_code),
    name: String(r.name),
    reason: String(r.reason),
    setBy: r.user_name == null ? null : String(r.user_name),
    setAt: String(r.set_at),
  }));
}

/** The overridden names of these units, by code (the clear's plan reads them). */
export async function unitNameOverrides(
  ctx: Pick<ServiceContext, 'db'>,
  codes: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < codes.length; i += 500) {
    const rows = await ctx
      .db('clearing_unit_names')
      .whereIn('unit_code', codes.slice(i, i + 500))
      .select('unit_code', 'name');
    for (const r of rows as { unit_code: string; name: string }[]) out.set(String(r.unit_code), String(r.name));
  }
  return out;
}
