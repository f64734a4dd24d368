import type { Knex } from 'knex';
import { CrmError, ExitCode } from '../domain/errors.js';
import { type Actor, isRole, ROLES, type Role, readsAll, requireCapability } from '../domain/roles.js';
import { audit } from './audit.js';
import { inTransaction, nowIso, type ServiceContext } from './context.js';

export interface UserRecord {
  id: number;
  name: string;
  displayName: string | null;
  role: Role;
  supervisor: string | null;
  status: 'active' | 'disabled';
  createdAt: string;
}

type UserRow = {
  id: number;
  name: string;
  display_name: string | null;
  role: string;
  supervisor_id: number | null;
  status: string;
  created_at: string;
};

const USER_NAME = /^[A-Za-z0-9_.@\-\u4e00-\u9fff]{1,64}$/;

function notFound(name: string): CrmError {
  return new CrmError('E1401', { zh: `用户不存在：${name}`, en: `no such user: ${name}` }, ExitCode.usage, {
    zh: '用 "crm users list" 查看用户，或由管理员 "crm users add" 添加',
    en: 'see "crm users list", or have an admin run "crm users add"',
  });
}

function checkRole(role: string): Role {
  if (!isRole(role)) {
    throw new CrmError(
      'E1402',
      {
        zh: `未知角色：${role}（可选：${ROLES.join(', ')}）`,
        en: `unknown role: ${role} (one of ${ROLES.join(', ')})`,
      },
      ExitCode.usage,
    );
  }
  return role;
}

async function rowByName(db: Knex, name: string): Promise<UserRow | undefined> {
  return db('users').where({ name }).first();
}

/** Resolve who runs a command. An unknown or disabled user is refused. */
export async function resolveActor(db: Knex, name: string): Promise<Actor> {
  const row = await rowByName(db, name);
  if (!row) {
    throw new CrmError('E4002', { zh: `未知用户：${name}`, en: `unknown user: ${name}` }, ExitCode.permission, {
      zh: '用 --user 或 CRM_USER 指定已登记的用户；新用户由管理员用 "crm users add" 添加',
      en: 'pass a registered user with --user or CRM_USER; an admin adds users with "crm users add"',
    });
  }
  if (row.status !== 'active') {
    throw new CrmError('E4003', { zh: `用户已停用：${name}`, en: `user is disabled: ${name}` }, ExitCode.permission);
  }
  return { id: row.id, name: row.name, role: checkRole(row.role), supervisorId: row.supervisor_id ?? null };
}

/** The system actor used by `crm init` before any user exists. */
export const SYSTEM_ACTOR: Actor = { id: 0, name: 'system', role: 'admin', supervisorId: null };

export async function countUsers(db: Knex): Promise<number> {
  const row = await db('users').count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

async function toRecord(db: Knex, row: UserRow): Promise<UserRecord> {
  const sup = row.supervisor_id ? await db('users').where({ id: row.supervisor_id }).first('name') : null;
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    role: row.role as Role,
    supervisor: sup?.name ?? null,
    status: row.status as UserRecord['status'],
    createdAt: row.created_at,
  };
}

export interface AddUserInput {
  name: string;
  role: string;
  supervisor?: string;
  displayName?: string;
}

export async function addUser(ctx: ServiceContext, input: AddUserInput): Promise<UserRecord> {
  requireCapability(ctx.actor, 'users.manage', { zh: '管理用户', en: 'manage users' });
  return createUser(ctx, input);
}

/** Create without the permission check: `crm init` creates the first admin this way. */
export async function createUser(ctx: ServiceContext, input: AddUserInput): Promise<UserRecord> {
  if (!USER_NAME.test(input.name)) {
    throw new CrmError(
      'E1403',
      {
        zh: `用户名无效："${input.name}"（1–64 位字母、数字、中文或 _.@-）`,
        en: `invalid user name "${input.name}" (1-64 letters, digits, CJK or _.@-)`,
      },
      ExitCode.usage,
    );
  }
  const role = checkRole(input.role);
  return inTransaction(ctx, async (tx) => {
    if (await rowByName(tx.db, input.name)) {
      throw new CrmError(
        'E5001',
        { zh: `用户已存在：${input.name}`, en: `user already exists: ${input.name}` },
        ExitCode.conflict,
      );
    }
    let supervisorId: number | null = null;
    if (input.supervisor) {
      const sup = await rowByName(tx.db, input.supervisor);
      if (!sup) throw notFound(input.supervisor);
      supervisorId = sup.id;
    }
    const now = nowIso(tx.clock);
    const [id] = await tx.db('users').insert({
      name: input.name,
      display_name: input.displayName ?? null,
      role,
      supervisor_id: supervisorId,
      status: 'active',
      created_at: now,
      updated_at: now,
    });
    const row = (await tx.db('users').where({ id }).first()) as UserRow;
    const record = await toRecord(tx.db, row);
    await audit(tx, { action: 'users.add', entity: 'user', entityId: input.name, after: record });
    return record;
  });
}

export async function listUsers(ctx: ServiceContext): Promise<UserRecord[]> {
  const rows: UserRow[] = await ctx.db('users').orderBy('name');
  return Promise.all(rows.map((r) => toRecord(ctx.db, r)));
}

export async function showUser(ctx: ServiceContext, name: string): Promise<UserRecord> {
  const row = await rowByName(ctx.db, name);
  if (!row) throw notFound(name);
  return toRecord(ctx.db, row);
}

async function updateUser(
  ctx: ServiceContext,
  name: string,
  action: string,
  patch: (row: UserRow, tx: ServiceContext) => Promise<Partial<UserRow>>,
): Promise<UserRecord> {
  requireCapability(ctx.actor, 'users.manage', { zh: '管理用户', en: 'manage users' });
  return inTransaction(ctx, async (tx) => {
    const row = await rowByName(tx.db, name);
    if (!row) throw notFound(name);
    const before = await toRecord(tx.db, row);
    const changes = await patch(row, tx);
    await tx
      .db('users')
      .where({ id: row.id })
      .update({ ...changes, updated_at: nowIso(tx.clock) });
    const after = await toRecord(tx.db, (await tx.db('users').where({ id: row.id }).first()) as UserRow);
    await audit(tx, { action, entity: 'user', entityId: name, before, after });
    return after;
  });
}

export function setRole(ctx: ServiceContext, name: string, role: string): Promise<UserRecord> {
  const checked = checkRole(role);
  return updateUser(ctx, name, 'users.set-role', async () => ({ role: checked }));
}

export function setSupervisor(ctx: ServiceContext, name: string, supervisor: string | null): Promise<UserRecord> {
  return updateUser(ctx, name, 'users.set-supervisor', async (row, tx) => {
    if (!supervisor) return { supervisor_id: null };
    const sup = await rowByName(tx.db, supervisor);
    if (!sup) throw notFound(supervisor);
    // Refuse a loop in the reporting line (A reports to B who reports to A).
    let cursor: number | null = sup.id;
    while (cursor) {
      if (cursor === row.id) {
        throw new CrmError(
          'E1404',
          {
            zh: `上级关系成环：${supervisor} 已在 ${name} 之下`,
            en: `supervisor loop: ${supervisor} already reports to ${name}`,
          },
          ExitCode.usage,
        );
      }
      const next: { supervisor_id: number | null } | undefined = await tx
        .db('users')
        .where({ id: cursor })
        .first('supervisor_id');
      cursor = next?.supervisor_id ?? null;
    }
    return { supervisor_id: sup.id };
  });
}

export function disableUser(ctx: ServiceContext, name: string): Promise<UserRecord> {
  if (name === ctx.actor.name) {
    throw new CrmError('E1405', { zh: '不能停用自己', en: 'you cannot disable yourself' }, ExitCode.usage);
  }
  return updateUser(ctx, name, 'users.disable', async () => ({ status: 'disabled' }));
}

/**
 * Data scope: null means every record; otherwise the user ids whose records the actor may see
 * (a sales user: their own; a manager: their own and everyone below them, at any depth).
 */
export async function scopeUserIds(ctx: Pick<ServiceContext, 'db' | 'actor'>): Promise<number[] | null> {
  if (readsAll(ctx.actor)) return null;
  if (ctx.actor.role !== 'manager') return [ctx.actor.id];
  const all: { id: number; supervisor_id: number | null }[] = await ctx.db('users').select('id', 'supervisor_id');
  const children = new Map<number, number[]>();
  for (const u of all) {
    if (u.supervisor_id == null) continue;
    const list = children.get(u.supervisor_id) ?? [];
    list.push(u.id);
    children.set(u.supervisor_id, list);
  }
  const seen = new Set<number>([ctx.actor.id]);
  const queue = [ctx.actor.id];
  while (queue.length) {
    const id = queue.shift()!;
    for (const child of children.get(id) ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return [...seen];
}

/** True when `ownerId` falls inside the actor's data scope. */
export async function inScope(ctx: Pick<ServiceContext, 'db' | 'actor'>, ownerId: number | null): Promise<boolean> {
  const ids = await scopeUserIds(ctx);
  if (ids === null) return true;
  return ownerId !== null && ids.includes(ownerId);
}
