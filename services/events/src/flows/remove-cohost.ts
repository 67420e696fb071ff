import { withOutbox } from '@convene/bus';
import { emailKey } from '../domain/identity.ts';
import { announce, type Causes } from '../store/announcements.ts';
import type { EventDoc } from '../store/event-model.ts';
import type { FlowContext } from './context.ts';

/**
 * The host removes a co-host (`key`: their user id, or `email:<address>`), or a withdrawn cohost
 * invitation does. Optimistic like addCohost. False when they were no co-host.
 */
export async function removeCohost(
  ctx: FlowContext,
  { eventId, key }: { eventId: string; key: string },
  causes?: Causes,
): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const event = await ctx.store.events.findOne({ _id: eventId, deleted_at: null }).lean<EventDoc>();
    if (!event?.cohost_ids.includes(key)) return false;
    const now = ctx.now();
    const keep = (c: { user_id: string | null; email: string }) => (c.user_id ?? emailKey(c.email)) !== key;
    const after: EventDoc = {
      ...event,
      cohosts: event.cohosts.filter(keep),
      cohost_ids: event.cohost_ids.filter((id) => id !== key),
      version: event.version + 1,
      updated_at: now,
    };
    const done = await ctx.store.events.updateOne(
      { _id: eventId, version: event.version },
      withOutbox(
        { $set: { cohosts: after.cohosts, cohost_ids: after.cohost_ids, version: after.version, updated_at: now } },
        [announce.eventUpdated(after, ['cohosts'], causes)],
        now,
      ),
    );
    if (done.modifiedCount === 1) return true;
  }
  throw new Error(`event ${eventId} kept changing while removing a co-host`);
}
