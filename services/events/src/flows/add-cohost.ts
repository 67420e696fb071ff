import { withOutbox } from '@convene/bus';
import type { Person } from '@convene/contracts';
import { emailKey } from '../domain/identity.ts';
import { announce, type Causes } from '../store/announcements.ts';
import type { EventDoc } from '../store/event-model.ts';
import type { FlowContext } from './context.ts';

/**
 * An accepted `cohost` invitation makes the invitee a co-host (event.updated, changed cohosts).
 * Optimistic (conditional on the event's version) so the announced snapshot is exactly the state
 * written. False when the event is gone or they already host or co-host it.
 */
export async function addCohost(
  ctx: FlowContext,
  { eventId, person }: { eventId: string; person: Person },
  causes?: Causes,
): Promise<boolean> {
  const key = person.user_id ?? emailKey(person.email);
  for (let attempt = 0; attempt < 5; attempt++) {
    const event = await ctx.store.events.findOne({ _id: eventId, deleted_at: null }).lean<EventDoc>();
    if (!event || event.cohost_ids.includes(key) || event.host_id === key) return false;
    const now = ctx.now();
    const cohost = { user_id: person.user_id, email: person.email, name: person.name };
    const after: EventDoc = {
      ...event,
      cohosts: [...event.cohosts, cohost],
      cohost_ids: [...event.cohost_ids, key],
      version: event.version + 1,
      updated_at: now,
    };
    const done = await ctx.store.events.updateOne(
      { _id: eventId, version: event.version },
      withOutbox(
        { $push: { cohosts: cohost, cohost_ids: key }, $set: { version: after.version, updated_at: now } },
        [announce.eventUpdated(after, ['cohosts'], causes)],
        now,
      ),
    );
    if (done.modifiedCount === 1) return true;
  }
  throw new Error(`event ${eventId} kept changing while adding a co-host`);
}
