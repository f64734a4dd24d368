/**
 * The voucher register 重空登记簿: numbered voucher forms per kind (payment → qs files, refund → tk files).
 * One row per number, so each is used once and gaps (voids) are visible. Numbers keep their leading zeros;
 * ranges of a kind never overlap (compared as numbers).
 */
import type { Knex } from 'knex';
import { actorId } from '../../domain/actor.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { operate, parseSettlementKind, read, type SettlementKind } from './common.js';

export const MAX_RANGE = 100_000;

export interface VoucherRecord {
  kind: SettlementKind;
  number: string;
  status: 'unused' | 'used' | 'void';
  file: string | null;
  usedAt: string | null;
  voidReason: string | null;
}

function usage(code: string, zh: string, en: string): CrmError {
  return new CrmError(code, { zh, en }, ExitCode.usage);
}

export async function addVoucherRange(
  ctx: ServiceContext,
  opts: { kind: string; from: string; to: string },
): Promise<{ kind: SettlementKind; from: string; to: string; added: number }> {
  operate(ctx, { zh: '登记凭证', en: 'register vouchers' });
  const kind = parseSettlementKind(opts.kind);
  const from = String(opts.from).trim();
  const to = String(opts.to).trim();
  if (!/^\d{1,32}$/.test(from) || !/^\d{1,32}$/.test(to)) {
    throw usage('E7120', `凭证号须为数字：${from} - ${to}`, `voucher numbers must be digits: ${from} - ${to}`);
  }
  if (from.length !== to.length) {
    throw usage(
      'E7120',
      `起止号码位数须相同（含前导零）：${from} - ${to}`,
      `from and to must have the same number of digits (leading zeros count): ${from} - ${to}`,
    );
  }
  const lo = BigInt(from);
  const hi = BigInt(to);
  if (lo > hi) throw usage('E7120', `起始号大于终止号：${from} > ${to}`, `from is after to: ${from} > ${to}`);
  if (hi - lo + 1n > BigInt(MAX_RANGE)) {
    throw usage('E7120', `一次最多登记 ${MAX_RANGE} 张`, `at most ${MAX_RANGE} vouchers per range`);
  }
  const width = from.length;
  return inTransaction(ctx, async (tx) => {
    const ranges: { from_number: string; to_number: string }[] = await tx.db('voucher_ranges').where({ kind });
    // One width per kind: "lowest unused" is then the numerically lowest (1021 of four digits was once used
    // before 00001001 of eight).
    const other = ranges.find((r) => r.from_number.length !== width);
    if (other) {
      throw new CrmError(
        'E7122',
        {
          zh: `号码位数 ${width} 与已登记的${kind === 'payment' ? '划款' : '退款'}凭证 ${other.from_number}-${other.to_number}（${other.from_number.length} 位）不同`,
          en: `${width} digits differs from the registered ${kind} vouchers ${other.from_number}-${other.to_number} (${other.from_number.length} digits)`,
        },
        ExitCode.usage,
        {
          zh: `按 ${other.from_number.length} 位登记（含前导零），如 ${lo.toString().padStart(other.from_number.length, '0')}`,
          en: `register it with ${other.from_number.length} digits (leading zeros count), e.g. ${lo.toString().padStart(other.from_number.length, '0')}`,
        },
      );
    }
    for (const r of ranges) {
      if (lo <= BigInt(r.to_number) && BigInt(r.from_number) <= hi) {
        throw new CrmError(
          'E7121',
          {
            zh: `与已登记的号段 ${r.from_number}-${r.to_number} 重叠`,
            en: `overlaps the registered range ${r.from_number}-${r.to_number}`,
          },
          ExitCode.conflict,
          { zh: '用 crm settlement vouchers list 查看已登记号段', en: 'see crm settlement vouchers list' },
        );
      }
    }
    const [rangeId] = await tx.db('voucher_ranges').insert({
      kind,
      from_number: from,
      to_number: to,
      registered_at: nowIso(tx.clock),
      registered_by: actorId(tx.actor),
    });
    const rows: { kind: string; number: string; range_id: number; status: string }[] = [];
    for (let n = lo; n <= hi; n++) {
      rows.push({ kind, number: n.toString().padStart(width, '0'), range_id: Number(rangeId), status: 'unused' });
      if (rows.length === 500) await tx.db('vouchers').insert(rows.splice(0));
    }
    if (rows.length) await tx.db('vouchers').insert(rows);
    const added = Number(hi - lo + 1n);
    await audit(tx, {
      action: 'settlement.vouchers.add',
      entity: 'voucher_range',
      entityId: rangeId,
      after: { kind, from, to, added },
    });
    return { kind, from, to, added };
  });
}

/** Lowest unused numbers of a kind (numeric order), at most `n`. */
export async function nextUnusedVouchers(db: Knex, kind: SettlementKind, n: number): Promise<string[]> {
  if (n <= 0) return [];
  const rows: { number: string }[] = await db('vouchers')
    .where({ kind, status: 'unused' })
    .orderByRaw('LENGTH(number), number')
    .limit(n)
    .select('number');
  return rows.map((r) => String(r.number));
}

export async function countUnused(db: Knex): Promise<{ payment: number; refund: number }> {
  const rows: { kind: string; n: unknown }[] = await db('vouchers')
    .where({ status: 'unused' })
    .groupBy('kind')
    .select('kind')
    .count({ n: '*' });
  const out = { payment: 0, refund: 0 };
  for (const r of rows) if (r.kind === 'payment' || r.kind === 'refund') out[r.kind] = Number(r.n);
  return out;
}

export async function listVouchers(
  ctx: ServiceContext,
  opts: { kind?: string; status?: string } = {},
): Promise<VoucherRecord[]> {
  read(ctx);
  const q = ctx
    .db('vouchers as v')
    .leftJoin('clearing_files as f', 'f.id', 'v.file_id')
    .select('v.kind', 'v.number', 'v.status', 'f.name as file', 'v.used_at', 'v.void_reason')
    .orderBy('v.kind')
    .orderByRaw('LENGTH(v.number), v.number');
  if (opts.kind) q.where('v.kind', parseSettlementKind(opts.kind));
  if (opts.status) {
    if (!['unused', 'used', 'void'].includes(opts.status)) {
      throw usage(
        'E7122',
        `凭证状态无效：${opts.status}（unused/used/void）`,
        `invalid status ${opts.status} (unused, used or void)`,
      );
    }
    q.where('v.status', opts.status);
  }
  const rows: Record<string, unknown>[] = await q;
  return rows.map((r) => ({
    kind: r.kind as SettlementKind,
    number: String(r.number),
    status: r.status as VoucherRecord['status'],
    file: (r.file as string | null) ?? null,
    usedAt: (r.used_at as string | null) ?? null,
    voidReason: (r.void_reason as string | null) ?? null,
  }));
}

export async function voidVoucher(
  ctx: ServiceContext,
  opts: { number: string; reason: string; kind?: string },
): Promise<VoucherRecord> {
  operate(ctx, { zh: '作废凭证', en: 'void vouchers' });
  const reason = opts.reason?.trim();
  if (!reason) throw usage('E7124', '作废凭证必须写明原因（--reason）', 'voiding a voucher needs a reason (--reason)');
  return inTransaction(ctx, async (tx) => {
    const q = tx.db('vouchers').where({ number: String(opts.number) });
    if (opts.kind) q.where({ kind: parseSettlementKind(opts.kind) });
    const rows: Record<string, unknown>[] = await q;
    if (rows.length === 0) {
      throw new CrmError(
        'E7122',
        { zh: `凭证号未登记：${opts.number}`, en: `voucher number not registered: ${opts.number}` },
        ExitCode.usage,
        { zh: '号码须与登记时一致（含前导零）', en: 'give the number as registered (leading zeros count)' },
      );
    }
    if (rows.length > 1) {
      throw usage(
        'E7122',
        `凭证号 ${opts.number} 在两类中都有，请加 --kind`,
        `number ${opts.number} exists for both kinds; add --kind`,
      );
    }
    const v = rows[0] as Record<string, unknown>;
    if (v.status === 'used') {
      throw new CrmError(
        'E7123',
        { zh: `凭证 ${opts.number} 已使用，不能作废`, en: `voucher ${opts.number} has been used and cannot be voided` },
        ExitCode.conflict,
      );
    }
    if (v.status !== 'void') {
      await tx
        .db('vouchers')
        .where({ id: v.id, status: 'unused' })
        .update({
          status: 'void',
          void_reason: reason,
          voided_at: nowIso(tx.clock),
          voided_by: actorId(tx.actor),
        });
      await audit(tx, {
        action: 'settlement.vouchers.void',
        entity: 'voucher',
        entityId: `${v.kind}:${v.number}`,
        before: { status: v.status },
        after: { status: 'void', reason },
      });
    }
    return {
      kind: v.kind as SettlementKind,
      number: String(v.number),
      status: 'void',
      file: null,
      usedAt: null,
      voidReason: v.status === 'void' ? String(v.void_reason) : reason,
    };
  });
}
