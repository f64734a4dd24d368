import type { Command } from 'commander';
import type { CliContext } from '../../cli/context.js';
import { registerOpportunities } from './opportunities.js';
import { registerOrderCommands } from './orders.js';
import { registerProducts } from './products.js';

/** The order-to-cash groups: `products` (with `products categories`), `opportunities` (`opps`) and `orders`. */
export function registerOrders(program: Command, ctx: CliContext): Command {
  registerProducts(program, ctx);
  registerOpportunities(program, ctx);
  return registerOrderCommands(program, ctx);
}
