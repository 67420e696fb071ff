import { withOutbox } from '@convene/bus';
import { announce, type Causes } from '../store/announcements.ts';
import type { EventDoc } from '../store/event-model.ts';
import type { FlowContext } from './context.ts';

/**
 * DELETE: the event disappears at once for clients (deleted_at, announced as event.deleted in the
 * same update); the recovery job purges it with its registrations once the message went out.
 * False when it was already gone.
 */
export async function deleteEvent(ctx: FlowContext, eventId: string, causes?: Causes): Promise<boolean> {
  const now = ctx.now();
  const current = await ctx.store.events.findOne({ _id: eventId, deleted_at: null }).lean<EventDoc>();
  if (!current) return false;
  const done = await ctx.store.events.updateOne(
    { _id: eventId, deleted_at: null },
    withOutbox({ $set: { deleted_at: now, is_active: false } }, [announce.eventDeleted(current, causes)], now),
  );
  return done.modifiedCount === 1;
}
