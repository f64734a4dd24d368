import { CrmError, ExitCode, type L10n } from './errors.js';

export const ROLES = ['admin', 'executive', 'manager', 'sales', 'operator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, L10n> = {
  admin: { zh: '管理员', en: 'admin' },
  executive: { zh: '高管', en: 'executive' },
  manager: { zh: '经理', en: 'manager' },
  sales: { zh: '客户经理', en: 'account manager' },
  operator: { zh: '清算操作员', en: 'clearing operator' },
  auditor: { zh: '审计员', en: 'auditor' },
};

/** Who is acting. Services receive it and enforce permissions themselves. */
export interface Actor {
  id: number;
  name: string;
  role: Role;
  supervisorId: number | null;
  /**
   * Who really acts when an admin acts as this user (`--as`, `--user`, CRM_USER): the admin's user name, or the OS
   * account allowed to (setting `auth.osAdmins`). Every audit row records it. Absent when people act as themselves.
   */
  via?: string;
}

/** What a role may do. Data scope (whose records) is separate: see services/scope.ts. */
export type Capability =
  | 'users.manage' // users, roles, supervisors
  | 'settings.manage' // business settings, calendar
  | 'audit.read'
  | 'crm.read' // customers, orders, reports (within data scope)
  | 'crm.write' // create and edit customers, follow-ups, orders (within data scope)
  | 'crm.approve' // approve orders, assign pool customers
  | 'crm.admin' // bulk import, force delete, merge
  | 'settlement.read'
  | 'settlement.operate' // open, cutoff, clear, vouchers, feed import
  | 'jobs.run';

const GRANTS: Record<Role, readonly Capability[]> = {
  admin: [
    'users.manage',
    'settings.manage',
    'audit.read',
    'crm.read',
    'crm.write',
    'crm.approve',
    'crm.admin',
    'settlement.read',
    'settlement.operate',
    'jobs.run',
  ],
  executive: ['crm.read', 'settlement.read'],
  manager: ['crm.read', 'crm.write', 'crm.approve'],
  sales: ['crm.read', 'crm.write'],
  operator: ['settlement.read', 'settlement.operate', 'jobs.run', 'crm.read'],
  auditor: ['audit.read', 'crm.read', 'settlement.read'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function can(actor: Actor, capability: Capability): boolean {
  return GRANTS[actor.role].includes(capability);
}

export function requireCapability(actor: Actor, capability: Capability, what?: L10n): void {
  if (can(actor, capability)) return;
  const action = what ?? { zh: capability, en: capability };
  throw new CrmError(
    'E4001',
    {
      zh: `权限不足：用户 ${actor.name}（${ROLE_LABELS[actor.role].zh}）不能${action.zh}`,
      en: `permission denied: user ${actor.name} (${actor.role}) may not ${action.en}`,
    },
    ExitCode.permission,
    { zh: '请联系管理员或由有权限的用户执行', en: 'ask an admin, or have a user with that permission run it' },
  );
}

/** Roles whose reads are not limited to their own (and their team's) records. */
export function readsAll(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'executive' || actor.role === 'auditor' || actor.role === 'operator';
}
