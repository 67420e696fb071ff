import { type EventSnapshot, EventSnapshot as EventSnapshotSchema } from '@convene/contracts';
import { findEventProjection, projectEvent } from '../store/event-projections.ts';
import type { EventProjectionDoc } from '../store/projection-models.ts';
import type { Store } from '../store/store.ts';
import { internalRead } from './internal-read.ts';

export interface EventDirectory {
  /** The event from the local projection; on a miss, one read from events, kept in the projection. Null: no such event. */
  find(eventId: string): Promise<EventProjectionDoc | null>;
}

export function eventDirectory(
  store: Store,
  { eventsUrl, timeoutMs, now }: { eventsUrl: string; timeoutMs: number; now: () => Date },
): EventDirectory {
  return {
    async find(eventId) {
      const known = await findEventProjection(store, eventId);
      if (known) return known.deleted ? null : known;
      const read = await internalRead<{ event: EventSnapshot }>(
        eventsUrl,
        `/internal/events/${encodeURIComponent(eventId)}`,
        timeoutMs,
        'The events service',
      );
      if (!read) return null;
      const snapshot = EventSnapshotSchema.parse(read.event);
      // The read is at least as fresh as any message sent before it; `as_of` keeps older ones out.
      return projectEvent(store, snapshot, { asOf: now(), deleted: false });
    },
  };
}
