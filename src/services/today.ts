import { businessDate } from '../domain/clock.js';
import type { ServiceContext } from './context.js';

/** Today's business date ('YYYY-MM-DD'): the context's clock read in the `timezone` setting. */
export async function today(ctx: ServiceContext): Promise<string> {
  return businessDate(ctx.clock.now(), await ctx.settings.get<string>('timezone'));
}

/** A date option as given, or today's business date when it is absent or the word `today`. */
export async function dateOrToday(ctx: ServiceContext, value: string | null | undefined): Promise<string> {
  return value && value !== 'today' ? value : today(ctx);
}
