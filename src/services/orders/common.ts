import type { Knex } from 'knex';
import { dialectOf } from '../../db/connection.js';
import { CrmError, ExitCode, type ExitCodeValue, type L10n } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import type { ServiceContext } from '../context.js';
import { inScope } from '../users.js';

/** Error codes of the orders area (E6100–E6199), one place so they stay unique. */
export const OrderErrors = {
  productNotFound: 'E6101',
  productExists: 'E6102',
  categoryNotFound: 'E6103',
  categoryExists: 'E6104',
  productOffSale: 'E6105',
  badProductCode: 'E6106',
  categoryInUse: 'E6107',
  customerNotFound: 'E6110',
  customerOutOfScope: 'E6111',
  userNotFound: 'E6112',
  ownerOutOfScope: 'E6113',
  opportunityNotFound: 'E6120',
  unknownStage: 'E6121',
  opportunityClosed: 'E6122',
  opportunityOutOfScope: 'E6123',
  badAmount: 'E6124',
  orderNotFound: 'E6130',
  orderOutOfScope: 'E6131',
  badStatus: 'E6132',
  badItem: 'E6133',
  numberExists: 'E6134',
  notApprover: 'E6135',
  reasonRequired: 'E6136',
  badDates: 'E6137',
  noItems: 'E6138',
  moneyHeld: 'E6139',
  planExceedsTotal: 'E6140',
  badInstalment: 'E6141',
  planHasReceipts: 'E6142',
  payExceedsOutstanding: 'E6150',
  refundExceedsReceived: 'E6151',
  refConflict: 'E6152',
  instalmentNotFound: 'E6153',
  badMethod: 'E6154',
  badAccountClass: 'E6155',
  nothingOutstanding: 'E6156',
  futureTime: 'E6157',
} as const;

export function orderError(code: string, message: L10n, exit: ExitCodeValue = ExitCode.usage, hint?: L10n): CrmError {
  return new CrmError(code, message, exit, hint);
}

export type Row = Record<string, unknown>;

/** The orders services' name for `today(ctx)` (src/services/today.ts). */
export { today as todayDate } from '../today.js';

export interface CustomerRef {
  id: number;
  code: string;
  name: string;
  ownerId: number | null;
  status: string;
}

/** A customer by code, read straight from the customers table (any service may read it). */
export async function customerByCode(db: Knex, code: string): Promise<CustomerRef> {
  const row = await db('customers').where({ code }).first('id', 'code', 'name', 'owner_id', 'status');
  if (!row || row.status === 'deleted') {
    throw orderError(
      OrderErrors.customerNotFound,
      m(`客户不存在：${code}`, `no such customer: ${code}`),
      ExitCode.usage,
      m('用 "crm customers list" 查看客户编码', 'see "crm customers list" for customer codes'),
    );
  }
  return {
    id: Number(row.id),
    code: String(row.code),
    name: String(row.name),
    ownerId: row.owner_id == null ? null : Number(row.owner_id),
    status: String(row.status),
  };
}

/** The customer must be within the actor's data scope (pool customers: only roles that read everything). */
export async function requireCustomerInScope(ctx: ServiceContext, c: CustomerRef): Promise<void> {
  if (await inScope(ctx, c.ownerId)) return;
  throw orderError(
    OrderErrors.customerOutOfScope,
    m(`客户 ${c.code} 不在你的数据范围内`, `customer ${c.code} is outside your data scope`),
    ExitCode.permission,
    m(
      '只能为自己（或下属）负责的客户操作；公海客户请先领取',
      "work only on your (or your team's) customers; claim a pool customer first",
    ),
  );
}

export async function userIdByName(db: Knex, name: string): Promise<number> {
  const row = await db('users').where({ name }).first('id');
  if (!row) {
    throw orderError(OrderErrors.userNotFound, m(`用户不存在：${name}`, `no such user: ${name}`), ExitCode.usage, {
      zh: '用 "crm users list" 查看用户',
      en: 'see "crm users list"',
    });
  }
  return Number(row.id);
}

/** Names of users by id (for rendering owners). */
export async function userNames(db: Knex, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id != null))];
  const map = new Map<number, string>();
  if (!wanted.length) return map;
  const rows: { id: number; name: string }[] = await db('users').whereIn('id', wanted).select('id', 'name');
  for (const r of rows) map.set(Number(r.id), String(r.name));
  return map;
}

/** The owner of a new record: `--owner` (must be within scope), else the default. */
export async function resolveOwner(ctx: ServiceContext, owner: string | undefined, fallback: number): Promise<number> {
  if (!owner) return fallback;
  const id = await userIdByName(ctx.db, owner);
  if (!(await inScope(ctx, id))) {
    throw orderError(
      OrderErrors.ownerOutOfScope,
      m(`不能把记录交给 ${owner}：不在你的数据范围内`, `cannot make ${owner} the owner: outside your data scope`),
      ExitCode.permission,
    );
  }
  return id;
}

/** Quantity text (up to 3 decimals, > 0) to thousandths. */
export function parseQuantityMilli(text: string, where: string): number {
  const s = text.trim();
  const match = /^(\d{1,12})(?:\.(\d{1,3}))?$/.exec(s);
  const milli = match ? Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0')) : 0;
  if (!match || milli <= 0) {
    throw orderError(
      OrderErrors.badItem,
      m(
        `${where}：数量无效 "${text}"（应大于 0，最多三位小数）`,
        `${where}: invalid quantity "${text}" (above 0, at most three decimals)`,
      ),
    );
  }
  return milli;
}

export function milliText(milli: number): string {
  const whole = Math.trunc(milli / 1000);
  const frac = String(milli % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** Discount percent text ('12.5', '12.5%') to basis points of percent (12.50% = 1250); below 100%. */
export function parseDiscountBp(text: string, where: string): number {
  const s = text.trim().replace(/[%％]$/, '');
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(s);
  const bp = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : -1;
  if (!match || bp < 0 || bp >= 10000) {
    throw orderError(
      OrderErrors.badItem,
      m(
        `${where}：折扣无效 "${text}"（0 到 100 之间的百分数，不含 100，最多两位小数）`,
        `${where}: invalid discount "${text}" (a percent from 0 to below 100, at most two decimals)`,
      ),
    );
  }
  return bp;
}

export function bpText(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = String(bp % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** Is this a duplicate-key error on either database? */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; message?: string };
  return (
    e?.code === 'ER_DUP_ENTRY' ||
    e?.errno === 1062 ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

export const isMysql = (db: Knex): boolean => dialectOf(db) === 'mysql';
