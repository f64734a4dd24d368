import type { Command } from 'commander';
import type { CliContext } from '../cli/context.js';
import { registerAudit } from './audit/index.js';
import { registerCalendar } from './calendar/index.js';
import { registerConfig } from './config/index.js';
import { registerCustomers } from './customers/index.js';
import { registerDb } from './db/index.js';
import { registerInit } from './init/index.js';
import { registerJobs } from './jobs/index.js';
import { registerOrders } from './orders/index.js';
import { registerReports } from './reports/index.js';
import { registerSettlement } from './settlement/index.js';
import { registerUsers } from './users/index.js';

/** Every command group, in the order `crm --help` lists them. */
export function registerCommands(program: Command, ctx: CliContext): void {
  registerInit(program, ctx);
  registerCustomers(program, ctx);
  registerOrders(program, ctx);
  registerSettlement(program, ctx);
  registerReports(program, ctx);
  registerJobs(program, ctx);
  registerCalendar(program, ctx);
  registerUsers(program, ctx);
  registerConfig(program, ctx);
  registerAudit(program, ctx);
  registerDb(program, ctx);
}
