import type { Command } from 'commander';
import type { CliContext } from '../cli/context.js';

type Register = (program: Command, ctx: CliContext) => unknown;

/**
 * Every top-level command, in the order `crm --help` lists them. Each entry names the commands its module
 * registers; a run loads only the module of the command it names, so `crm customers list` never loads the
 * settlement or report code, nor the contacts or leads verbs (startup time is a product feature for a CLI run
 * many times a day). Command modules load their services only when a verb runs.
 */
const GROUPS: { names: string[]; load: () => Promise<Register> }[] = [
  { names: ['init'], load: async () => (await import('./init/index.js')).registerInit },
  { names: ['customers'], load: async () => (await import('./customers/index.js')).registerCustomers },
  { names: ['pool'], load: async () => (await import('./customers/pool.js')).registerPool },
  { names: ['contacts'], load: async () => (await import('./customers/contacts.js')).registerContacts },
  { names: ['leads'], load: async () => (await import('./customers/leads.js')).registerLeads },
  { names: ['followups'], load: async () => (await import('./customers/followups.js')).registerFollowups },
  { names: ['products'], load: async () => (await import('./orders/products.js')).registerProducts },
  {
    names: ['opportunities', 'opps'],
    load: async () => (await import('./orders/opportunities.js')).registerOpportunities,
  },
  { names: ['orders'], load: async () => (await import('./orders/orders.js')).registerOrderCommands },
  { names: ['tickets'], load: async () => (await import('./service/tickets.js')).registerTickets },
  { names: ['surveys'], load: async () => (await import('./service/surveys.js')).registerSurveys },
  { names: ['care'], load: async () => (await import('./service/care.js')).registerCare },
  { names: ['approvals'], load: async () => (await import('./approvals/index.js')).registerApprovals },
  { names: ['settlement'], load: async () => (await import('./settlement/index.js')).registerSettlement },
  { names: ['todo'], load: async () => (await import('./office/todo.js')).registerTodo },
  { names: ['tasks'], load: async () => (await import('./office/tasks.js')).registerTasks },
  { names: ['schedule'], load: async () => (await import('./office/schedule.js')).registerSchedule },
  { names: ['visits'], load: async () => (await import('./office/visits.js')).registerVisits },
  { names: ['logs'], load: async () => (await import('./office/logs.js')).registerLogs },
  { names: ['announcements'], load: async () => (await import('./office/announcements.js')).registerAnnouncements },
  { names: ['reports', 'targets'], load: async () => (await import('./reports/index.js')).registerReports },
  { names: ['jobs'], load: async () => (await import('./jobs/index.js')).registerJobs },
  { names: ['calendar'], load: async () => (await import('./calendar/index.js')).registerCalendar },
  { names: ['login', 'logout', 'whoami'], load: async () => (await import('./auth/index.js')).registerAuth },
  { names: ['users'], load: async () => (await import('./users/index.js')).registerUsers },
  { names: ['config'], load: async () => (await import('./config/index.js')).registerConfig },
  { names: ['audit'], load: async () => (await import('./audit/index.js')).registerAudit },
  { names: ['db'], load: async () => (await import('./db/index.js')).registerDb },
];

/** Global options that take a value: their value is not the command name. */
const VALUE_OPTIONS = new Set(['--db', '--config', '--user', '--as', '--lang', '--format']);

/** The top-level command an argv names (`help X` names X), or undefined. */
export function commandNamed(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (VALUE_OPTIONS.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    if (arg === 'help') return argv.slice(i + 1).find((a) => !a.startsWith('-'));
    return arg;
  }
  return undefined;
}

/**
 * Register the group the argv names, or every group when it names none (root help) or an unknown one
 * (so the error can suggest the closest name).
 */
export async function registerCommands(program: Command, ctx: CliContext, argv: string[]): Promise<void> {
  const name = commandNamed(argv);
  const wanted = name ? GROUPS.find((g) => g.names.includes(name)) : undefined;
  for (const group of wanted ? [wanted] : GROUPS) {
    (await group.load())(program, ctx);
  }
}
