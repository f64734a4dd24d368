import type { Actor } from './roles.js';

/**
 * The user id to record as the author of a row: the actor's id, or null for the system actor (id 0, used by
 * setup and jobs), which has no row in `users` for a foreign key to point at.
 */
export const actorId = (actor: Actor): number | null => (actor.id > 0 ? actor.id : null);
