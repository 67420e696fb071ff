import { withOutbox } from '@convene/bus';
import type { Person } from '@convene/contracts';
import { emailKey } from '../domain/identity.ts';
import { announce } from './announcements.ts';
import type { EventDoc } from './event-model.ts';
import type { MoveContext } from './registration-moves.ts';

/**
 * Co-hosts come from accepted `cohost` invitations and are removed by the host. Both edits are
 * optimistic (conditional on the event's version) so the announced snapshot is exactly the
 * state written.
 */
export async function addCohost(
  ctx: Pick<MoveContext, 'store' | 'causes'>,
  eventId: string,
  person: Person,
): Promise<boolean> {
  const key = person.user_id ?? emailKey(person.email);
  for (let attempt = 0; attempt < 5; attempt++) {
    const event = await ctx.store.events.findOne({ _id: eventId, deleted_at: null }).lean<EventDoc>();
    if (!event || event.cohost_ids.includes(key) || event.host_id === key) return false;
    const now = new Date();
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
        [announce.eventUpdated(after, ['cohosts'], ctx.causes)],
        now,
      ),
    );
    if (done.modifiedCount === 1) return true;
  }
  throw new Error(`event ${eventId} kept changing while adding a co-host`);
}

export async function removeCohost(
  ctx: Pick<MoveContext, 'store' | 'causes'>,
  eventId: string,
  key: string,
): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const event = await ctx.store.events.findOne({ _id: eventId, deleted_at: null }).lean<EventDoc>();
    if (!event?.cohost_ids.includes(key)) return false;
    const now = new Date();
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
        [announce.eventUpdated(after, ['cohosts'], ctx.causes)],
        now,
      ),
    );
    if (done.modifiedCount === 1) return true;
  }
  throw new Error(`event ${eventId} kept changing while removing a co-host`);
}
