import { normaliseEmail, personKey } from '@convene/domain-kit';
import { viewerKeys } from '../domain/identity.ts';
import { activeStatuses, type RegistrationStatus, visibleStatuses } from '../domain/registration-states.ts';
import type { EventDoc } from './event-model.ts';
import type { MongoFilter } from './event-queries.ts';
import { inviteeId } from './invitee-queries.ts';
import type { RegistrationDoc } from './registration-model.ts';
import type { Store } from './store.ts';

/** Participants of one event; waitlisted people in line order, everyone else by registration time. */
export function participantsQuery(eventId: string, statuses: readonly RegistrationStatus[]) {
  const waitlistOnly = statuses.length === 1 && statuses[0] === 'waitlisted';
  return {
    query: { event_id: eventId, status: { $in: [...statuses] } } as MongoFilter,
    sort: (waitlistOnly ? { waitlist_pos: 1 } : { registered_at: 1, _id: 1 }) as Record<string, 1 | -1>,
  };
}

export async function listParticipants(
  store: Store,
  eventId: string,
  statuses: readonly RegistrationStatus[],
  page: { skip: number; limit: number },
) {
  const { query, sort } = participantsQuery(eventId, statuses);
  const [count, results] = await Promise.all([
    store.registrations.countDocuments(query),
    store.registrations
      .find(query, { outbox: 0 })
      .sort(sort)
      .skip(page.skip)
      .limit(page.limit)
      .lean<RegistrationDoc[]>(),
  ]);
  return { count, results };
}

/** Every participant for the CSV export, streamed in registration order. */
export function participantsCursor(store: Store, eventId: string) {
  const { query, sort } = participantsQuery(eventId, visibleStatuses);
  return store.registrations.find(query, { outbox: 0 }).sort(sort).lean<RegistrationDoc>().cursor();
}

export type MyScope = 'all' | 'active' | 'past';

/** "My registrations": one indexed query on (user_key, event_start_time), the event's times being copied on. */
export function myRegistrationsQuery(userKeys: string[], scope: MyScope, now: Date) {
  const query: MongoFilter = { user_key: { $in: userKeys } };
  if (scope === 'active') {
    query.status = { $in: [...activeStatuses] };
    query.event_start_time = { $gt: now };
  } else {
    query.status = { $in: [...visibleStatuses] };
    if (scope === 'past') query.event_start_time = { $lte: now };
  }
  const sort: Record<string, 1 | -1> =
    scope === 'active' ? { event_start_time: 1, _id: 1 } : { event_start_time: -1, _id: -1 };
  return { query, sort };
}

export async function listMyRegistrations(
  store: Store,
  userKeys: string[],
  scope: MyScope,
  page: { skip: number; limit: number },
  now: Date,
): Promise<{ count: number; results: Array<{ registration: RegistrationDoc; event: EventDoc | null }> }> {
  const { query, sort } = myRegistrationsQuery(userKeys, scope, now);
  const [count, regs] = await Promise.all([
    store.registrations.countDocuments(query),
    store.registrations
      .find(query, { outbox: 0 })
      .sort(sort)
      .skip(page.skip)
      .limit(page.limit)
      .lean<RegistrationDoc[]>(),
  ]);
  const ids = [...new Set(regs.map((r) => r.event_id))];
  const events = await store.events
    .find({ _id: { $in: ids } }, { title: 1, start_time: 1, end_time: 1, location: 1, is_active: 1, deleted_at: 1 })
    .lean<EventDoc[]>();
  const byId = new Map(events.filter((e) => !e.deleted_at).map((e) => [e._id, e]));
  return {
    count,
    results: regs.map((registration) => ({ registration, event: byId.get(registration.event_id) ?? null })),
  };
}

/** At most this many events a user takes part in or is invited to are added to their lists. */
export const MAX_PRIVATE_EVENTS_IN_LISTS = 500;

/**
 * The events a signed-in user may read without hosting them: those they hold, are offered or wait
 * for a seat at, and those they are invited to (by account or by email). Lists add these to the
 * public events, so a list shows what a read by id would allow. Two index lookups; the newest
 * MAX_PRIVATE_EVENTS_IN_LISTS of each kind at most.
 */
export async function eventIdsReachableBy(store: Store, user: { id: string; email: string }): Promise<string[]> {
  const keys = viewerKeys(user);
  const invitedBy: Record<string, unknown>[] = [{ user_id: user.id }];
  if (user.email) invitedBy.push({ email: normaliseEmail(user.email) });
  const [registrations, invitations] = await Promise.all([
    store.registrations
      .find({ user_key: { $in: keys }, status: { $in: [...activeStatuses] } }, { event_id: 1 })
      .sort({ event_start_time: -1 })
      .limit(MAX_PRIVATE_EVENTS_IN_LISTS)
      .lean<Array<{ event_id: string }>>(),
    Promise.all(
      invitedBy.map((by) =>
        store.invitees
          .find({ ...by, cancelled: false }, { event_id: 1 })
          .sort({ created_at: -1 })
          .limit(MAX_PRIVATE_EVENTS_IN_LISTS)
          .lean<Array<{ event_id: string }>>(),
      ),
    ),
  ]);
  return [...new Set([...registrations, ...invitations.flat()].map((doc) => doc.event_id))];
}

/** Whether any of `userKeys` holds, is offered or waits for a seat (invite-only visibility). */
export async function isParticipant(store: Store, eventId: string, userKeys: string[]): Promise<boolean> {
  const found = await store.registrations.exists({
    event_id: eventId,
    user_key: { $in: userKeys },
    status: { $in: [...activeStatuses] },
  });
  return found !== null;
}

export async function isInvitee(store: Store, eventId: string, user: { id: string; email: string }): Promise<boolean> {
  const byEmail = user.email
    ? await store.invitees.exists({ _id: inviteeId(eventId, user.email), cancelled: false })
    : null;
  if (byEmail) return true;
  return (await store.invitees.exists({ event_id: eventId, user_id: user.id, cancelled: false })) !== null;
}

/** A person's registration for an event by exact key (the internal read). Index (event_id, user_key) unique. */
export async function registrationOfKey(
  store: Store,
  eventId: string,
  userKey: string,
): Promise<RegistrationDoc | null> {
  return store.registrations
    .findOne({ event_id: eventId, user_key: userKey }, { outbox: 0, txn: 0, done_txns: 0 })
    .lean<RegistrationDoc>();
}

/** The registrations of one person for one event, active ones only (leave, offers). Same index. */
export async function activeRegistrationOf(
  store: Store,
  eventId: string,
  userKeys: string[],
  statuses: readonly RegistrationStatus[] = activeStatuses,
): Promise<RegistrationDoc | null> {
  return store.registrations
    .findOne({ event_id: eventId, user_key: { $in: userKeys }, status: { $in: [...statuses] } })
    .lean<RegistrationDoc>();
}

/**
 * A person's registration for an event, whatever its status (register again on it, answer an
 * invitation with it). Index (event_id, user_key) unique.
 */
export async function registrationOfPerson(
  store: Store,
  eventId: string,
  person: { user_id: string | null; email: string },
): Promise<RegistrationDoc | null> {
  return store.registrations
    .findOne({ event_id: eventId, user_key: personKey(person) }, { outbox: 0 })
    .lean<RegistrationDoc>();
}

/** The registration an invitation produced. Index registrations {invitation_id}. */
export async function registrationOfInvitation(
  store: Store,
  eventId: string,
  invitationId: string,
): Promise<RegistrationDoc | null> {
  return store.registrations
    .findOne({ invitation_id: invitationId, event_id: eventId }, { outbox: 0 })
    .lean<RegistrationDoc>();
}

/** One registration of one event, by id (check-in). */
export async function registrationInEvent(
  store: Store,
  eventId: string,
  registrationId: string,
): Promise<RegistrationDoc | null> {
  return store.registrations.findOne({ _id: registrationId, event_id: eventId }, { outbox: 0 }).lean<RegistrationDoc>();
}
