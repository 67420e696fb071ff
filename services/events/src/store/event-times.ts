import type { EventDoc } from './event-model.ts';
import { jobQueries } from './job-queries.ts';
import type { Store } from './store.ts';

type TimedEvent = Pick<EventDoc, '_id' | 'start_time' | 'end_time' | 'reg_sync_at' | 'version'>;

/**
 * Registrations carry copies of their event's times (for "my registrations" filters). An edit of
 * the times marks the event (`reg_sync_at`) in the same update; this copies them onto the
 * registrations (never over a newer copy) and clears the mark.
 */
export async function syncRegistrationTimes(store: Store, event: TimedEvent): Promise<void> {
  await store.registrations.updateMany(
    { event_id: event._id, event_version: { $lt: event.version } },
    { $set: { event_start_time: event.start_time, event_end_time: event.end_time, event_version: event.version } },
  );
  await store.events.updateOne({ _id: event._id, reg_sync_at: event.reg_sync_at }, { $set: { reg_sync_at: null } });
}

/** Events whose time copy was interrupted (marked before `cutoff`). Index events {reg_sync_at}. */
export async function eventsWithUnsyncedTimes(store: Store, cutoff: Date, batch: number): Promise<TimedEvent[]> {
  return store.events
    .find(jobQueries.unsyncedTimes(cutoff), { start_time: 1, end_time: 1, reg_sync_at: 1, version: 1 })
    .limit(batch)
    .lean<TimedEvent[]>();
}
