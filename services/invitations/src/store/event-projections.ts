import type { EventSnapshot } from '@convene/contracts';
import { isDuplicateKey } from '@convene/kit';
import type { EventFacts, EventProjectionDoc } from './projection-models.ts';
import type { Store } from './store.ts';

/**
 * Keeps the event's projection at the newest state heard of: the write applies only when `asOf`
 * is newer than what is stored (messages may arrive out of order, and an internal read may have
 * overtaken them). An older state loses the upsert race with a duplicate key, which is the answer.
 */
export async function projectEvent(
  store: Store,
  snapshot: EventSnapshot,
  { asOf, deleted }: { asOf: Date; deleted: boolean },
): Promise<EventProjectionDoc | null> {
  const state: Omit<EventProjectionDoc, '_id'> = {
    title: snapshot.title,
    description: snapshot.description,
    host_id: snapshot.host.user_id,
    host_name: snapshot.host.name,
    host_email: snapshot.host.email,
    cohost_ids: snapshot.cohost_ids,
    start_time: new Date(snapshot.start_time),
    end_time: new Date(snapshot.end_time),
    timezone: snapshot.timezone,
    location: snapshot.location,
    visibility: snapshot.visibility,
    is_active: snapshot.is_active,
    deleted,
    as_of: asOf,
  };
  try {
    await store.events.updateOne({ _id: snapshot.event_id, as_of: { $lt: asOf } }, { $set: state }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const current = await store.events.findById(snapshot.event_id).lean<EventProjectionDoc>();
  return current && !current.deleted ? current : null;
}

/** The event's facts every invitation.* message carries; null when the event was never heard of. */
export async function eventFactsFor(store: Store, eventId: string): Promise<EventFacts | null> {
  // A tombstone still knows the event's times and zone: a cancellation after a deletion names them.
  return store.events.findById(eventId, { title: 1, start_time: 1, end_time: 1, timezone: 1 }).lean<EventFacts>();
}

/** The event as last heard of; a deleted one is a tombstone (`deleted: true`), so a late read cannot bring it back. */
export function findEventProjection(store: Store, eventId: string): Promise<EventProjectionDoc | null> {
  return store.events.findById(eventId).lean<EventProjectionDoc>();
}

/** Registration answers keep "who takes part" current, newest message winning per person. */
export async function projectParticipant(
  store: Store,
  { eventId, key, active, asOf }: { eventId: string; key: string; active: boolean; asOf: Date },
): Promise<void> {
  try {
    await store.participants.updateOne(
      { _id: `${eventId}|${key}`, as_of: { $lt: asOf } },
      { $set: { event_id: eventId, key, active, as_of: asOf } },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** Which of these keys (user ids, `email:` keys) hold or wait for a seat at the event. */
export async function activeParticipantKeys(store: Store, eventId: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const found = await store.participants
    .find({ _id: { $in: keys.map((k) => `${eventId}|${k}`) }, active: true }, { key: 1 })
    .lean<{ key: string }[]>();
  return new Set(found.map((p) => p.key));
}
