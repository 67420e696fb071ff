import { type Causes, personKey } from '@convene/domain-kit';
import { liveEvent, writeCohosts } from '../store/event-writes.ts';
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
    const event = await liveEvent(ctx.store, eventId);
    if (!event?.cohost_ids.includes(key)) return false;
    const written = await writeCohosts(
      ctx.store,
      event,
      {
        cohosts: event.cohosts.filter((c) => personKey(c) !== key),
        cohostIds: event.cohost_ids.filter((id) => id !== key),
        now: ctx.now(),
      },
      causes,
    );
    if (written) return true;
  }
  throw new Error(`event ${eventId} kept changing while removing a co-host`);
}
