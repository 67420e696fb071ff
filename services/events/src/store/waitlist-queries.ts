import { jobQueries } from './job-queries.ts';
import type { RegistrationDoc } from './registration-model.ts';
import type { Store } from './store.ts';

/** Events with free seats and people waiting (index events {waitlist_count, seats_left}): the waitlist job's backstop. */
export async function promotableEventIds(store: Store, limit: number): Promise<string[]> {
  const rows = await store.events.find(jobQueries.promotable(), { _id: 1 }).limit(limit).lean<{ _id: string }[]>();
  return rows.map((r) => r._id);
}

/** Offers past their window that no move holds (index registrations {status, offer_expires_at}). */
export async function expiredOffers(
  store: Store,
  now: Date,
  batch: number,
): Promise<Pick<RegistrationDoc, '_id' | 'event_id'>[]> {
  return store.registrations
    .find(jobQueries.expiredOffers(now), { _id: 1, event_id: 1 })
    .limit(batch)
    .lean<Pick<RegistrationDoc, '_id' | 'event_id'>[]>();
}

/** The first in line that no move holds (index registrations {event_id, status, waitlist_pos}). */
export async function waitlistHead(store: Store, eventId: string): Promise<RegistrationDoc | null> {
  return store.registrations
    .findOne(jobQueries.waitlistHead(eventId))
    .sort({ waitlist_pos: 1 })
    .lean<RegistrationDoc>();
}

/** Whether anybody waits for a seat of this event with no move in flight. */
export async function someoneWaiting(store: Store, eventId: string): Promise<boolean> {
  return (await store.registrations.exists({ event_id: eventId, status: 'waitlisted', txn: null })) !== null;
}
