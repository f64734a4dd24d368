/**
 * The daily reminder and escalation of waiting steps (the `approvals-reminders` job, or by hand with
 * `crm jobs run approvals-reminders --date D`). A step waiting more than `approvals.remindAfterWorkingDays` working
 * days gets one reminder; more than `approvals.escalateAfterWorkingDays`, it is escalated once to the next level up
 * (the next manager above the one it waited for; for an executive or a named user, their manager). Both are
 * recorded on the request and in the audit log. Each request is its own transaction, and a request already
 * reminded or escalated for its step is skipped: the run is idempotent and can be run again after a crash.
 */
import { addDays, businessDate, compareDates } from '../../domain/clock.js';
import { m } from '../../domain/i18n.js';
import { requireCapability } from '../../domain/roles.js';
import { audit } from '../audit.js';
import { loadCalendar } from '../calendar.js';
import { inTransaction, nowIso, type ServiceContext } from '../context.js';
import { expectedDeciders, lockRequest, openStepOf, People, type Row } from './engine.js';

export interface EscalationEntry {
  id: number;
  type: string;
  title: string;
  step: number;
  waitingDays: number;
  action: 'remind' | 'escalate';
  to: string[];
}

export interface EscalationResult {
  date: string;
  checked: number;
  reminded: number;
  escalated: number;
  entries: EscalationEntry[];
}

export async function remindAndEscalate(ctx: ServiceContext, opts: { date: string }): Promise<EscalationResult> {
  requireCapability(ctx.actor, 'jobs.run', m('运行审批催办', 'run the approval reminders'));
  const remindAfter = await ctx.settings.get<number>('approvals.remindAfterWorkingDays');
  const escalateAfter = await ctx.settings.get<number>('approvals.escalateAfterWorkingDays');
  const tz = await ctx.settings.get<string>('timezone');
  const calendar = await loadCalendar(ctx.db);
  /** Working days a step has waited: those after the day it opened, up to and including the run's date. */
  const waited = (row: Row): number => {
    if (!row.step_opened_at) return 0;
    const opened = businessDate(new Date(String(row.step_opened_at)), tz);
    return compareDates(opened, opts.date) >= 0 ? 0 : calendar.workingDaysBetween(addDays(opened, 1), opts.date).length;
  };
  const pending: Row[] = await ctx
    .db('approval_requests')
    .where({ status: 'pending' })
    .orderBy('id')
    .select('id', 'step_opened_at');
  const result: EscalationResult = { date: opts.date, checked: pending.length, reminded: 0, escalated: 0, entries: [] };
  // Only a step waiting long enough for something to do is locked and looked at again.
  for (const { id } of pending.filter((r) => waited(r) > Math.min(remindAfter, escalateAfter))) {
    await inTransaction(ctx, async (tx) => {
      const row = await lockRequest(tx, Number(id));
      const open = openStepOf(row);
      if (!open) return;
      const waitingDays = waited(row);
      const step = Number(row.current_step);
      const people = await People.load(tx.db);
      const names = (ids: number[]) => ids.map((x) => people.name(x) ?? '');
      const base = { id: Number(row.id), type: String(row.type), title: String(row.title), step, waitingDays };
      if (waitingDays > escalateAfter && Number(row.escalated_levels) === 0) {
        const from = names(expectedDeciders(people, open));
        const to = names(expectedDeciders(people, { ...open, escalatedLevels: 1 }));
        await tx
          .db('approval_requests')
          .where({ id: row.id })
          .update({ escalated_levels: 1, reminded_step: step, updated_at: nowIso(tx.clock) });
        await audit(tx, {
          action: 'approvals.escalate',
          entity: 'approval',
          entityId: Number(row.id),
          before: { step, waitingFor: from },
          after: { step, waitingFor: to, waitingDays },
        });
        result.escalated += 1;
        result.entries.push({ ...base, action: 'escalate', to });
        return;
      }
      if (waitingDays > remindAfter && row.reminded_step == null) {
        const to = names(expectedDeciders(people, open));
        await tx
          .db('approval_requests')
          .where({ id: row.id })
          .update({ reminded_step: step, updated_at: nowIso(tx.clock) });
        await audit(tx, {
          action: 'approvals.remind',
          entity: 'approval',
          entityId: Number(row.id),
          after: { step, waitingFor: to, waitingDays },
        });
        result.reminded += 1;
        result.entries.push({ ...base, action: 'remind', to });
      }
    });
  }
  return result;
}
