import type { Person } from '@convene/contracts';
import { normaliseEmail } from '@convene/domain-kit';
import { isDuplicateKey } from '@convene/kit';
import type { EventViewDoc, ParticipantDoc, RecipientDoc } from './projection-models.ts';
import type { Store } from './store.ts';

/**
 * Replaces the document with `fields` unless what is stored came from a later event (`as_of`).
 * The conditional upsert either updates an older state or inserts; an existing newer document
 * makes the insert a duplicate key, which means "already newer": nothing to do.
 */
async function upsertIfNewer(
  model: { updateOne(filter: object, update: object, opts: object): Promise<unknown> },
  id: string,
  asOf: Date,
  fields: Record<string, unknown>,
): Promise<void> {
  try {
    await model.updateOne({ _id: id, as_of: { $lte: asOf } }, { $set: { ...fields, as_of: asOf } }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

export function rememberRecipient(
  store: Store,
  user: {
    user_id: string;
    email: string;
    username: string;
    first_name: string;
    last_name: string;
    status: string;
    timezone: string | null;
    locale: string | null;
  },
  asOf: Date,
): Promise<void> {
  const name = `${user.first_name} ${user.last_name}`.trim() || user.username;
  return upsertIfNewer(store.recipients, user.user_id, asOf, {
    email: normaliseEmail(user.email),
    name,
    username: user.username,
    status: user.status,
    timezone: user.timezone,
    locale: user.locale,
  });
}

export function findRecipientByEmail(store: Store, email: string): Promise<RecipientDoc | null> {
  return store.batch.recipientByEmail(normaliseEmail(email));
}

export function rememberEvent(
  store: Store,
  event: {
    event_id: string;
    title: string;
    description: string;
    host: Person;
    start_time: string;
    end_time: string;
    location: string;
    timezone: string;
    is_active: boolean;
  },
  asOf: Date,
): Promise<void> {
  return upsertIfNewer(store.events, event.event_id, asOf, {
    title: event.title,
    description: event.description,
    host: event.host,
    start_time: new Date(event.start_time),
    end_time: new Date(event.end_time),
    location: event.location,
    timezone: event.timezone,
    is_active: event.is_active,
  });
}

export function findEventView(store: Store, eventId: string): Promise<EventViewDoc | null> {
  return store.batch.eventView(eventId);
}

export function rememberParticipant(
  store: Store,
  registration: { registration_id: string; event_id: string; attendee: Person; status: ParticipantDoc['status'] },
  asOf: Date,
): Promise<void> {
  return upsertIfNewer(store.participants, registration.registration_id, asOf, {
    event_id: registration.event_id,
    attendee: { ...registration.attendee, email: normaliseEmail(registration.attendee.email) },
    status: registration.status,
  });
}

/** One batch of an event's participants with these statuses, after `afterId` (keyset pages). */
export function participantsBatch(
  store: Store,
  eventId: string,
  statuses: ParticipantDoc['status'][],
  afterId: string | null,
  limit: number,
): Promise<ParticipantDoc[]> {
  return store.participants
    .find({ event_id: eventId, status: { $in: statuses }, ...(afterId ? { _id: { $gt: afterId } } : {}) })
    .sort({ _id: 1 })
    .limit(limit)
    .lean<ParticipantDoc[]>();
}
