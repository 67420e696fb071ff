import type { Person } from '@convene/contracts';
import { type Causes, personKey } from '@convene/domain-kit';
import { liveEvent, writeCohosts } from '../store/event-writes.ts';
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
  const key = personKey(person);
  for (let attempt = 0; attempt < 5; attempt++) {
    const event = await liveEvent(ctx.store, eventId);
    if (!event || event.cohost_ids.includes(key) || event.host_id === key) return false;
    const cohost = { user_id: person.user_id, email: person.email, name: person.name };
    const written = await writeCohosts(
      ctx.store,
      event,
      { cohosts: [...event.cohosts, cohost], cohostIds: [...event.cohost_ids, key], now: ctx.now() },
      causes,
    );
    if (written) return true;
  }
  throw new Error(`event ${eventId} kept changing while adding a co-host`);
}
