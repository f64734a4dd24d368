/**
 * Approval flows (审批流程), pure: the request types, a flow's steps, the text a person writes for a step
 * (`manager`, `manager+1`, `executive>5000`, `user:alice`) and the default flow of each type.
 */
import { CrmError, ExitCode } from '../errors.js';
import { type L10n, m } from '../i18n.js';
import { formatYuan, parseYuan, yuanString } from '../money.js';

/** Error codes of the approvals area (E4200–E4299), one place so they stay unique. */
export const ApprovalErrors = {
  unknownType: 'E4201',
  badAmount: 'E4202',
  badRange: 'E4203',
  missingField: 'E4204',
  notFound: 'E4205',
  notVisible: 'E4206',
  badItem: 'E4207',
  typeNotSubmittable: 'E4208',
  badId: 'E4209',
  ownRequest: 'E4210',
  notDecider: 'E4211',
  alreadyDecided: 'E4212',
  reasonRequired: 'E4213',
  notRequester: 'E4214',
  cannotWithdraw: 'E4215',
  cannotResubmit: 'E4216',
  badStep: 'E4220',
  unknownUser: 'E4221',
  flowOff: 'E4222',
  badDelegation: 'E4225',
  delegationOverlap: 'E4226',
  cannotSettle: 'E4230',
  badStatusFilter: 'E4240',
  badListFilter: 'E4241',
} as const;

export function approvalError(code: string, message: L10n, exit: number = ExitCode.usage, hint?: L10n): CrmError {
  return new CrmError(code, message, exit as (typeof ExitCode)[keyof typeof ExitCode], hint);
}

export const REQUEST_TYPES = [
  'order',
  'expense',
  'travel',
  'leave',
  'overtime',
  'loan',
  'general',
  'reception',
  'gift',
  'visit',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Who decides a step. `manager` with levels 0 is anyone above the requester; levels N: at least N levels higher. */
export type Approver =
  | { kind: 'manager'; levels: number }
  | { kind: 'role'; role: 'executive' | 'admin' }
  | { kind: 'user'; name: string };

export interface StepDef {
  approver: Approver;
  /** The step applies only when the request's amount is strictly above this (fen). */
  aboveFen?: number;
}

export interface FlowDef {
  type: RequestType;
  enabled: boolean;
  steps: StepDef[];
}

const manager: StepDef = { approver: { kind: 'manager', levels: 0 } };
const executiveAbove = (fen: number): StepDef => ({ approver: { kind: 'role', role: 'executive' }, aboveFen: fen });

/** The documented defaults; `crm approvals flows set` replaces a type's flow. */
export const DEFAULT_FLOWS: Readonly<Record<RequestType, FlowDef>> = {
  // An order reaches the engine only when the orders limits say it needs approval (orders.approval*).
  order: { type: 'order', enabled: true, steps: [manager] },
  expense: { type: 'expense', enabled: true, steps: [manager, executiveAbove(500_000)] },
  travel: { type: 'travel', enabled: true, steps: [manager] },
  leave: { type: 'leave', enabled: true, steps: [manager] },
  overtime: { type: 'overtime', enabled: true, steps: [manager] },
  loan: { type: 'loan', enabled: true, steps: [manager] },
  general: { type: 'general', enabled: true, steps: [manager] },
  reception: { type: 'reception', enabled: true, steps: [manager, executiveAbove(200_000)] },
  gift: { type: 'gift', enabled: true, steps: [manager, executiveAbove(200_000)] },
  visit: { type: 'visit', enabled: true, steps: [manager] },
};

export function isRequestType(s: string): s is RequestType {
  return (REQUEST_TYPES as readonly string[]).includes(s);
}

export function checkType(s: string): RequestType {
  if (isRequestType(s)) return s;
  throw approvalError(
    ApprovalErrors.unknownType,
    m(`未知的审批类型：${s}`, `unknown request type: ${s}`),
    ExitCode.usage,
    m(`可选：${REQUEST_TYPES.join(', ')}`, `one of ${REQUEST_TYPES.join(', ')}`),
  );
}

/** `manager`, `manager+N`, `executive`, `admin`, `user:NAME`, each optionally followed by `>AMOUNT` (yuan). */
export function parseStep(text: string): StepDef {
  const raw = text.trim();
  const bad = (why: L10n) =>
    approvalError(
      ApprovalErrors.badStep,
      m(`审批步骤无效："${raw}"：${why.zh}`, `invalid step "${raw}": ${why.en}`),
      ExitCode.usage,
      m(
        '步骤写作 manager、manager+1、executive、admin 或 user:用户名，可加 >金额（元），例如 executive>5000',
        'write a step as manager, manager+1, executive, admin or user:NAME, optionally >AMOUNT in yuan, e.g. executive>5000',
      ),
    );
  const [who = '', above, ...rest] = raw.split('>');
  if (rest.length) throw bad(m('只能有一个 >', 'only one >'));
  let aboveFen: number | undefined;
  if (above !== undefined) {
    try {
      aboveFen = parseYuan(above.trim(), { allowZero: true, field: 'step' });
    } catch {
      throw bad(m('金额无效', 'the amount does not parse'));
    }
  }
  const w = who.trim();
  let approver: Approver;
  const mgr = /^manager(?:\+(\d))?$/.exec(w);
  if (mgr) approver = { kind: 'manager', levels: Number(mgr[1] ?? 0) };
  else if (w === 'executive' || w === 'admin') approver = { kind: 'role', role: w };
  else if (/^user:[^\s:>]{1,64}$/.test(w)) approver = { kind: 'user', name: w.slice(5) };
  else throw bad(m('审批人无效', 'unknown approver'));
  return aboveFen === undefined ? { approver } : { approver, aboveFen };
}

export function approverText(a: Approver): string {
  if (a.kind === 'manager') return a.levels ? `manager+${a.levels}` : 'manager';
  if (a.kind === 'role') return a.role;
  return `user:${a.name}`;
}

export function stepText(s: StepDef): string {
  return s.aboveFen === undefined ? approverText(s.approver) : `${approverText(s.approver)}>${yuanString(s.aboveFen)}`;
}

/** Who decides, in words. */
export function approverWords(a: Approver): L10n {
  if (a.kind === 'manager') {
    return a.levels
      ? m(`上级经理（再往上 ${a.levels} 级）`, `manager, ${a.levels} level(s) higher`)
      : m('上级经理', 'manager');
  }
  if (a.kind === 'role') return a.role === 'executive' ? m('高管', 'an executive') : m('管理员', 'an admin');
  return m(`用户 ${a.name}`, `user ${a.name}`);
}

export function stepWords(s: StepDef): L10n {
  const who = approverWords(s.approver);
  if (s.aboveFen === undefined) return who;
  const amount = formatYuan(s.aboveFen);
  return m(`${who.zh}（金额超过 ${amount}）`, `${who.en} (amount above ${amount})`);
}

/** The steps of a flow that apply to a request of this amount (a step with a threshold needs an amount above it). */
export function applicableSteps(flow: FlowDef, amountFen: number | null): StepDef[] {
  return flow.steps.filter((s) => s.aboveFen === undefined || (amountFen !== null && amountFen > s.aboveFen));
}
