/**
 * The public pool (公海): customers without an owner, and the rules that return owned customers to it.
 *
 * `applyPoolRules(svc, { date, dryRun })` is what `crm pool apply` and the daily `pool-return` job call:
 *  - date: the business date 'YYYY-MM-DD' the rules are applied for (default: today in the business time zone);
 *  - returns `{ date, returned: [{code, owner, reason}], warned: [{code, owner, dueDate}] }`;
 *  - a customer is due when `pool.returnAfterDaysWithoutFollowup` days have passed since its last follow-up
 *    (or since its owner got it, whichever is later), or `pool.returnAfterDaysWithoutDeal` days since its last
 *    deal (same rule); 0 disables a rule; `pool.exemptLocked` / `pool.exemptDealt` exempt locked customers and
 *    customers that bought; owners of customers due within `pool.warnDaysBefore` days are listed in `warned`;
 *  - each return clears the owner, records ownership history (action `return`) and one audit row per customer,
 *    all in one transaction; running it twice for the same date returns nothing the second time.
 */
import { addDays, businessDate, compareDates } from '../../domain/clock.js';
import { CrmError, ExitCode } from '../../domain/errors.js';
import { requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { scopeUserIds } from '../users.js';
import { loadCustomer, recordOwnership, userIdByName, writeCap } from './common.js';

export interface PoolResult {
  date: string;
  returned: { code: string; owner: string; reason: string }[];
  warned: { code: string; owner: string; dueDate: string }[];
}

/** The pool's return rules, read from the settings (`pool.*`). */
export interface PoolRules {
  noFollow: number;
  noDeal: number;
  exemptLocked: boolean;
  exemptDealt: boolean;
  warnDays: number;
}

export async function poolReturnRules(svc: ServiceContext): Promise<PoolRules> {
  return {
    noFollow: await svc.settings.get<number>('pool.returnAfterDaysWithoutFollowup'),
    noDeal: await svc.settings.get<number>('pool.returnAfterDaysWithoutDeal'),
    exemptLocked: await svc.settings.get<boolean>('pool.exemptLocked'),
    exemptDealt: await svc.settings.get<boolean>('pool.exemptDealt'),
    warnDays: await svc.settings.get<number>('pool.warnDaysBefore'),
  };
}

/** The columns of `customers` (alias c) that `poolDue` reads. */
export const POOL_DUE_COLUMNS = [
  'c.id',
  'c.code',
  'c.name',
  'c.status',
  'c.deal_status',
  'c.owner_id',
  'c.owned_since',
  'c.created_at',
  'c.last_followup_at',
  'c.last_deal_at',
];

/**
 * The business date an owned customer returns to the pool, and why, under the rules (null: exempt or no rule).
 * The one rule the daily job applies and the to-do list warns about.
 */
export function poolDue(
  r: Record<string, unknown>,
  rules: PoolRules,
  tz: string,
): { due: string; reason: string } | null {
  if (rules.exemptLocked && r.status === 'locked') return null;
  if (rules.exemptDealt && r.deal_status === 'dealt') return null;
  const day = (iso: unknown) => (iso ? businessDate(new Date(String(iso)), tz) : null);
  const later = (a: string | null, b: string | null) => (!a ? b : !b ? a : compareDates(a, b) >= 0 ? a : b);
  const since = day(r.owned_since) ?? day(r.created_at);
  const dues: [string, string][] = [];
  if (rules.noFollow) {
    const base = later(day(r.last_followup_at), since);
    if (base) dues.push([addDays(base, rules.noFollow), `no follow-up for ${rules.noFollow} days (since ${base})`]);
  }
  if (rules.noDeal) {
    const base = later(day(r.last_deal_at), since);
    if (base) dues.push([addDays(base, rules.noDeal), `no deal for ${rules.noDeal} days (since ${base})`]);
  }
  if (!dues.length) return null;
  dues.sort((a, b) => compareDates(a[0], b[0]));
  const [due, reason] = dues[0]!;
  return { due, reason };
}

export async function applyPoolRules(
  svc: ServiceContext,
  opts: { date?: string; dryRun?: boolean } = {},
): Promise<PoolResult> {
  if (svc.actor.role !== 'admin' && svc.actor.role !== 'operator') {
    requireCapability(svc.actor, 'jobs.run', { zh: '执行公海规则', en: 'apply the pool rules' });
  }
  const tz = await svc.settings.get<string>('timezone');
  const date = opts.date ?? businessDate(svc.clock.now(), tz);
  const rules = await poolReturnRules(svc);
  const result: PoolResult = { date, returned: [], warned: [] };
  if (!rules.noFollow && !rules.noDeal) return result;
  return inTransaction(svc, async (tx) => {
    const rows: Record<string, unknown>[] = await tx
      .db('customers as c')
      .join('users as u', 'u.id', 'c.owner_id')
      .whereNotNull('c.owner_id')
      .whereNot('c.status', 'deleted')
      .select(...POOL_DUE_COLUMNS, 'u.name as owner')
      .orderBy('c.code');
    for (const r of rows) {
      const found = poolDue(r, rules, tz);
      if (!found) continue;
      const { due, reason } = found;
      if (compareDates(due, date) <= 0) {
        result.returned.push({ code: String(r.code), owner: String(r.owner), reason });
        if (!opts.dryRun) {
          await tx
            .db('customers')
            .where({ id: r.id })
            .update({ owner_id: null, owned_since: null, updated_at: nowIso(tx.clock) });
          await recordOwnership(tx, Number(r.id), Number(r.owner_id), null, 'return', reason);
          await audit(tx, {
            action: 'pool.return',
            entity: 'customer',
            entityId: String(r.code),
            before: { owner: r.owner },
            after: { owner: null, reason },
          });
        }
      } else if (rules.warnDays > 0 && compareDates(due, addDays(date, rules.warnDays)) <= 0) {
        result.warned.push({ code: String(r.code), owner: String(r.owner), dueDate: due });
      }
    }
    return result;
  });
}

function poolError(
  code: string,
  zh: string,
  en: string,
  exit: (typeof ExitCode)[keyof typeof ExitCode] = ExitCode.conflict,
) {
  return new CrmError(code, { zh, en }, exit);
}

/** A sales user takes an unowned customer, within the daily limit, the cap and the reclaim cool-down. */
export async function claimCustomer(svc: ServiceContext, code: string): Promise<void> {
  writeCap(svc);
  await inTransaction(svc, async (tx) => {
    const row = await loadCustomer(tx, code, { poolOk: true });
    if (row.owner_id != null) throw poolError('E3130', `客户 ${code} 不在公海`, `customer ${code} is not in the pool`);
    await checkLimits(tx, tx.actor.id, Number(row.id), code);
    await tx
      .db('customers')
      .where({ id: row.id })
      .update({ owner_id: tx.actor.id, owned_since: nowIso(tx.clock), updated_at: nowIso(tx.clock) });
    await recordOwnership(tx, Number(row.id), null, tx.actor.id, 'claim');
    await audit(tx, { action: 'pool.claim', entity: 'customer', entityId: code, after: { owner: tx.actor.name } });
  });
}

/** The cap on customers one user may own (pool.maxOwnedPerUser, 0: none); `userName` names someone else. */
async function checkOwnedCap(tx: ServiceContext, userId: number, userName?: string): Promise<void> {
  const cap = await tx.settings.get<number>('pool.maxOwnedPerUser');
  if (cap <= 0) return;
  const owned = await tx
    .db('customers')
    .where({ owner_id: userId })
    .whereNot('status', 'deleted')
    .count({ n: '*' })
    .first();
  if (Number(owned?.n) >= cap) {
    const who = userName ? `${userName} ` : '';
    throw poolError(
      'E3132',
      `${who}已拥有 ${owned?.n} 个客户（上限 ${cap}）`,
      `${who}owns ${owned?.n} customers already (cap ${cap})`,
    );
  }
}

async function checkLimits(tx: ServiceContext, userId: number, customerId: number, code: string): Promise<void> {
  const tz = await tx.settings.get<string>('timezone');
  const limit = await tx.settings.get<number>('pool.dailyClaimLimit');
  const cooldown = await tx.settings.get<number>('pool.reclaimCooldownDays');
  const today = businessDate(tx.clock.now(), tz);
  if (limit > 0) {
    const since = new Date(tx.clock.now().getTime() - 86_400_000).toISOString();
    const recent: { at: string }[] = await tx
      .db('ownership_history')
      .where({ to_user_id: userId, action: 'claim' })
      .where('at', '>=', since)
      .select('at');
    const todays = recent.filter((h) => businessDate(new Date(h.at), tz) === today).length;
    if (todays >= limit)
      throw poolError(
        'E3131',
        `今天已领取 ${todays} 个（上限 ${limit}）`,
        `daily claim limit reached (${todays} of ${limit})`,
      );
  }
  await checkOwnedCap(tx, userId);
  if (cooldown > 0) {
    const last: { at: string } | undefined = await tx
      .db('ownership_history')
      .where({ customer_id: customerId, from_user_id: userId })
      .whereIn('action', ['return', 'release'])
      .orderBy('at', 'desc')
      .first('at');
    if (last && addDays(businessDate(new Date(last.at), tz), cooldown) > today) {
      throw poolError(
        'E3133',
        `${code} 在 ${addDays(businessDate(new Date(last.at), tz), cooldown)} 之前不能由原负责人重新领取`,
        `${code} cannot be reclaimed by its former owner before ${addDays(businessDate(new Date(last.at), tz), cooldown)}`,
      );
    }
  }
}

/** A manager (or admin) gives a customer to a user in their scope. */
export async function assignCustomer(svc: ServiceContext, code: string, userName: string): Promise<void> {
  requireCapability(svc.actor, 'crm.approve', { zh: '分配客户', en: 'assign customers' });
  await inTransaction(svc, async (tx) => {
    const row = await loadCustomer(tx, code, { poolOk: true });
    const to = await userIdByName(tx.db, userName);
    const scope = await scopeUserIds(tx);
    if (scope !== null && !scope.includes(to))
      throw poolError('E3134', `${userName} 不在你的团队中`, `${userName} is not in your team`, ExitCode.permission);
    await checkOwnedCap(tx, to, userName);
    const from = row.owner_id == null ? null : Number(row.owner_id);
    await tx
      .db('customers')
      .where({ id: row.id })
      .update({ owner_id: to, owned_since: nowIso(tx.clock), updated_at: nowIso(tx.clock) });
    await recordOwnership(tx, Number(row.id), from, to, 'assign');
    await audit(tx, { action: 'pool.assign', entity: 'customer', entityId: code, after: { owner: userName } });
  });
}

/** The owner (or their manager) puts a customer back in the pool. */
export async function releaseCustomer(svc: ServiceContext, code: string, reason?: string): Promise<void> {
  writeCap(svc);
  await inTransaction(svc, async (tx) => {
    const row = await loadCustomer(tx, code, { forWrite: true });
    if (row.owner_id == null)
      throw poolError('E3130', `客户 ${code} 已在公海`, `customer ${code} is already in the pool`);
    await tx
      .db('customers')
      .where({ id: row.id })
      .update({ owner_id: null, owned_since: null, updated_at: nowIso(tx.clock) });
    await recordOwnership(tx, Number(row.id), Number(row.owner_id), null, 'release', reason ?? null);
    await audit(tx, {
      action: 'pool.release',
      entity: 'customer',
      entityId: code,
      after: { owner: null, reason: reason ?? null },
    });
  });
}

export const POOL_RULE_KEYS = [
  'pool.returnAfterDaysWithoutFollowup',
  'pool.returnAfterDaysWithoutDeal',
  'pool.exemptLocked',
  'pool.exemptDealt',
  'pool.warnDaysBefore',
  'pool.dailyClaimLimit',
  'pool.maxOwnedPerUser',
  'pool.reclaimCooldownDays',
] as const;

export async function poolRules(svc: ServiceContext): Promise<{ key: string; value: unknown }[]> {
  return Promise.all(POOL_RULE_KEYS.map(async (key) => ({ key, value: await svc.settings.get(key) })));
}
