import type { EventDoc } from '../store/models.ts';
import { findEvent, rememberEvent } from '../store/projection.ts';
import type { FlowContext } from './context.ts';

/**
 * The event as this service knows it, reading through to events once when no message about it has
 * arrived yet. Null when it does not exist or was deleted.
 */
export async function knownEvent(ctx: FlowContext, eventId: string): Promise<EventDoc | null> {
  const known = await findEvent(ctx.store, eventId);
  if (known) return known.deleted ? null : known;
  const snapshot = await ctx.events.event(eventId);
  if (!snapshot) return null;
  await rememberEvent(ctx.store, snapshot);
  const remembered = await findEvent(ctx.store, eventId);
  return remembered && !remembered.deleted ? remembered : null;
}
