import type { EventDoc } from './event-model.ts';
import { jobQueries } from './job-queries.ts';
import type { RegistrationDoc } from './registration-model.ts';
import type { Store } from './store.ts';

/**
 * Housekeeping queries (cleanup of long-ended events, purge of deleted ones). Nothing here is
 * deleted while it still has an envelope to publish (outbox_at set) or a registration move in flight.
 */

type Removable = Pick<EventDoc, '_id' | 'outbox_at' | 'txns'>;

export async function countEndedBefore(store: Store, cutoff: Date): Promise<number> {
  return store.events.countDocuments(jobQueries.endedBefore(cutoff));
}

/** The next batch of events that ended before `cutoff`, by id after `afterId`. Index events {end_time}. */
export async function endedEventsAfter(store: Store, cutoff: Date, afterId: string, batch: number) {
  return store.events
    .find({ ...jobQueries.endedBefore(cutoff), _id: { $gt: afterId } }, { _id: 1, outbox_at: 1, txns: 1 })
    .sort({ _id: 1 })
    .limit(batch)
    .lean<Removable[]>();
}

export async function countRegistrationsOf(store: Store, eventIds: string[]): Promise<number> {
  return store.registrations.countDocuments({ event_id: { $in: eventIds } });
}

/** Deleted events whose event.deleted went out (sparse index events {deleted_at}). */
export async function publishedDeletions(store: Store, batch: number) {
  return store.events.find(jobQueries.deletedEvents(), { _id: 1, txns: 1 }).limit(batch).lean<Removable[]>();
}

/**
 * Removes events with their registrations and invitees: registrations first (so a crash leaves an
 * event without them, never the reverse), then the events. An event keeps whatever still has a
 * message to publish or a move in flight, and is itself kept then (`kept`).
 */
export async function removeEvents(store: Store, ids: string[]) {
  const regs = await store.registrations.deleteMany({ event_id: { $in: ids }, outbox_at: null, txn: null });
  const left = await store.registrations
    .find({ event_id: { $in: ids } }, { event_id: 1 })
    .lean<Pick<RegistrationDoc, 'event_id'>[]>();
  const kept = new Set(left.map((r) => r.event_id));
  const deletable = ids.filter((id) => !kept.has(id));
  await store.invitees.deleteMany({ event_id: { $in: deletable } });
  const events = await store.events.deleteMany({ _id: { $in: deletable }, outbox_at: null });
  return { events: events.deletedCount, registrations: regs.deletedCount, kept: [...kept] };
}

/** Rejected-answer records older than `cutoff` (their event may never have existed). */
export async function pruneRejected(store: Store, cutoff: Date): Promise<number> {
  const done = await store.registrations.deleteMany(jobQueries.oldRejections(cutoff));
  return done.deletedCount;
}
