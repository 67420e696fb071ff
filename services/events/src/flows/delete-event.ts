import type { Causes } from '@convene/domain-kit';
import { liveEvent, markEventDeleted } from '../store/event-writes.ts';
import type { FlowContext } from './context.ts';

/**
 * DELETE: the event disappears at once for clients (deleted_at, announced as event.deleted in the
 * same update); the recovery job purges it with its registrations once the message went out.
 * False when it was already gone.
 */
export async function deleteEvent(ctx: FlowContext, eventId: string, causes?: Causes): Promise<boolean> {
  const current = await liveEvent(ctx.store, eventId);
  if (!current) return false;
  return markEventDeleted(ctx.store, current, ctx.now(), causes);
}
