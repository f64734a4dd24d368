import { DEFAULT_STAGES, type StageDef } from '../../config/settings/orders.js';
import { ExitCode } from '../../domain/errors.js';
import { m } from '../../domain/i18n.js';
import { requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { scopeUserIds } from '../users.js';
import {
  customerByCode,
  OrderErrors,
  orderError,
  type Row,
  requireCustomerInScope,
  resolveOwner,
  userNames,
} from './common.js';

export interface StageChange {
  from: string | null;
  to: string;
  probability: number;
  at: string;
  user: string | null;
}

export interface OpportunityRecord {
  id: number;
  customerCode: string;
  customerName: string;
  name: string;
  amountFen: number;
  stage: string;
  probability: number;
  status: 'open' | 'won' | 'lost';
  expectedCloseDate: string | null;
  owner: string;
  closedAt: string | null;
  createdAt: string;
  history?: StageChange[];
}

export async function stages(ctx: ServiceContext): Promise<StageDef[]> {
  return (await ctx.settings.get<StageDef[]>('opportunities.stages')) ?? DEFAULT_STAGES;
}

/** Won and Lost close an opportunity; their names are the last two defaults unless configured otherwise. */
function statusOf(stage: StageDef): 'open' | 'won' | 'lost' {
  const n = stage.name.toLowerCase();
  if (n === 'won' || stage.name === '赢单') return 'won';
  if (n === 'lost' || stage.name === '输单') return 'lost';
  return 'open';
}

async function findStage(ctx: ServiceContext, name: string): Promise<StageDef> {
  const all = await stages(ctx);
  const found = all.find((s) => s.name.toLowerCase() === name.trim().toLowerCase());
  if (!found) {
    throw orderError(
      OrderErrors.unknownStage,
      m(
        `未知的商机阶段：${name}（可选：${all.map((s) => s.name).join(', ')}）`,
        `unknown stage: ${name} (one of ${all.map((s) => s.name).join(', ')})`,
      ),
      ExitCode.usage,
      m('阶段在设置 opportunities.stages 中配置', 'stages are configured in the setting opportunities.stages'),
    );
  }
  return found;
}

async function toRecords(ctx: ServiceContext, rows: Row[]): Promise<OpportunityRecord[]> {
  const names = await userNames(
    ctx.db,
    rows.map((r) => Number(r.owner_id)),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    customerCode: String(r.customer_code),
    customerName: String(r.customer_name),
    name: String(r.name),
    amountFen: Number(r.amount_fen),
    stage: String(r.stage),
    probability: Number(r.probability),
    status: r.status as OpportunityRecord['status'],
    expectedCloseDate: (r.expected_close_date as string | null) ?? null,
    owner: names.get(Number(r.owner_id)) ?? '',
    closedAt: (r.closed_at as string | null) ?? null,
    createdAt: String(r.created_at),
  }));
}

function baseQuery(ctx: ServiceContext) {
  return ctx
    .db('opportunities as o')
    .join('customers as c', 'c.id', 'o.customer_id')
    .select('o.*', 'c.code as customer_code', 'c.name as customer_name');
}

async function rowInScope(ctx: ServiceContext, id: number): Promise<Row> {
  const row = await baseQuery(ctx).where('o.id', id).first();
  if (!row) {
    throw orderError(
      OrderErrors.opportunityNotFound,
      m(`商机不存在：${id}`, `no such opportunity: ${id}`),
      ExitCode.usage,
      {
        zh: '用 "crm opportunities list" 查看商机编号',
        en: 'see "crm opportunities list" for ids',
      },
    );
  }
  const scope = await scopeUserIds(ctx);
  if (scope && !scope.includes(Number(row.owner_id))) {
    throw orderError(
      OrderErrors.opportunityOutOfScope,
      m(`商机 ${id} 不在你的数据范围内`, `opportunity ${id} is outside your data scope`),
      ExitCode.permission,
    );
  }
  return row;
}

export interface AddOpportunityInput {
  customer: string;
  name: string;
  amountFen: number;
  stage?: string;
  closeDate?: string;
  owner?: string;
}

export async function addOpportunity(ctx: ServiceContext, input: AddOpportunityInput): Promise<OpportunityRecord> {
  requireCapability(ctx.actor, 'crm.write', m('登记商机', 'add opportunities'));
  if (input.amountFen <= 0) {
    throw orderError(OrderErrors.badAmount, m('商机金额必须大于 0', 'the opportunity amount must be above 0'));
  }
  return inTransaction(ctx, async (tx) => {
    const customer = await customerByCode(tx.db, input.customer);
    await requireCustomerInScope(tx, customer);
    const stage = await findStage(tx, input.stage ?? (await stages(tx))[0]!.name);
    const ownerId = await resolveOwner(tx, input.owner, customer.ownerId ?? tx.actor.id);
    const now = nowIso(tx.clock);
    const status = statusOf(stage);
    const [id] = await tx.db('opportunities').insert({
      customer_id: customer.id,
      name: input.name,
      amount_fen: input.amountFen,
      stage: stage.name,
      probability: stage.probability,
      status,
      expected_close_date: input.closeDate ?? null,
      owner_id: ownerId,
      closed_at: status === 'open' ? null : now,
      created_at: now,
      updated_at: now,
    });
    await tx.db('opportunity_stage_history').insert({
      opportunity_id: id,
      from_stage: null,
      to_stage: stage.name,
      probability: stage.probability,
      at: now,
      user_id: tx.actor.id > 0 ? tx.actor.id : null,
    });
    const rec = await showOpportunity(tx, Number(id));
    await audit(tx, { action: 'opportunities.add', entity: 'opportunity', entityId: Number(id), after: rec });
    return rec;
  });
}

export async function showOpportunity(ctx: ServiceContext, id: number): Promise<OpportunityRecord> {
  requireCapability(ctx.actor, 'crm.read', m('查看商机', 'read opportunities'));
  const row = await rowInScope(ctx, id);
  const [rec] = await toRecords(ctx, [row]);
  const hist: Row[] = await ctx.db('opportunity_stage_history').where({ opportunity_id: id }).orderBy('id');
  const names = await userNames(
    ctx.db,
    hist.map((h) => (h.user_id == null ? null : Number(h.user_id))),
  );
  rec!.history = hist.map((h) => ({
    from: (h.from_stage as string | null) ?? null,
    to: String(h.to_stage),
    probability: Number(h.probability),
    at: String(h.at),
    user: h.user_id == null ? null : (names.get(Number(h.user_id)) ?? null),
  }));
  return rec!;
}

export interface OpportunityFilter {
  customer?: string;
  owner?: string;
  status?: string;
  stage?: string;
}

export async function listOpportunities(ctx: ServiceContext, f: OpportunityFilter = {}): Promise<OpportunityRecord[]> {
  requireCapability(ctx.actor, 'crm.read', m('查看商机', 'read opportunities'));
  const q = baseQuery(ctx).orderBy('o.id');
  const scope = await scopeUserIds(ctx);
  if (scope) q.whereIn('o.owner_id', scope);
  if (f.customer) q.where('c.code', f.customer);
  if (f.owner) q.whereIn('o.owner_id', ctx.db('users').where({ name: f.owner }).select('id'));
  if (f.status) q.where('o.status', f.status);
  if (f.stage) q.where('o.stage', (await findStage(ctx, f.stage)).name);
  return toRecords(ctx, await q);
}

/** Move an opportunity to a stage; every change is recorded with time and user. */
export async function setStage(ctx: ServiceContext, id: number, stageName: string): Promise<OpportunityRecord> {
  requireCapability(ctx.actor, 'crm.write', m('修改商机', 'change opportunities'));
  return inTransaction(ctx, async (tx) => {
    const row = await rowInScope(tx, id);
    const stage = await findStage(tx, stageName);
    if (row.status !== 'open') {
      throw orderError(
        OrderErrors.opportunityClosed,
        m(
          `商机 ${id} 已关闭（${row.status}），不能再改阶段`,
          `opportunity ${id} is closed (${row.status}); its stage cannot change`,
        ),
        ExitCode.conflict,
      );
    }
    const before = await showOpportunity(tx, id);
    if (before.stage === stage.name) return before;
    const now = nowIso(tx.clock);
    const status = statusOf(stage);
    await tx
      .db('opportunities')
      .where({ id })
      .update({
        stage: stage.name,
        probability: stage.probability,
        status,
        closed_at: status === 'open' ? null : now,
        updated_at: now,
      });
    await tx.db('opportunity_stage_history').insert({
      opportunity_id: id,
      from_stage: before.stage,
      to_stage: stage.name,
      probability: stage.probability,
      at: now,
      user_id: tx.actor.id > 0 ? tx.actor.id : null,
    });
    const after = await showOpportunity(tx, id);
    const { history: _h, ...b } = before;
    const { history: _a, ...a } = after;
    await audit(tx, { action: 'opportunities.stage', entity: 'opportunity', entityId: id, before: b, after: a });
    return after;
  });
}

export async function closeOpportunity(ctx: ServiceContext, id: number, won: boolean): Promise<OpportunityRecord> {
  const all = await stages(ctx);
  const stage = all.find((s) => statusOf(s) === (won ? 'won' : 'lost'));
  return setStage(ctx, id, stage?.name ?? (won ? 'Won' : 'Lost'));
}
