import type { EventSnapshot } from '@convene/contracts';
import { isDuplicateKey } from '@convene/kit';
import type { AttendanceStatus } from '../domain/eligibility.ts';
import type { AttendanceDoc, EventDoc } from './models.ts';
import type { Store } from './store.ts';

/** A read-through is older than any message: the next message about the same thing wins. */
export const READ_THROUGH_AT = new Date(0);

function eventFields(snapshot: EventSnapshot) {
  return {
    title: snapshot.title,
    host_id: snapshot.host.user_id,
    host_email: snapshot.host.email,
    host_name: snapshot.host.name,
    cohost_ids: snapshot.cohost_ids,
    start_time: new Date(snapshot.start_time),
    end_time: new Date(snapshot.end_time),
    visibility: snapshot.visibility,
    is_active: snapshot.is_active,
    requires_check_in: snapshot.requires_check_in,
  };
}

/**
 * Records an event's state as of `at` (the message time), unless a later message was already
 * recorded or the event was deleted. Returns false when the event is deleted here (a tombstone).
 *
 * The filter carries the guard; when it does not match an existing document the upsert tries to
 * insert the same `_id` and fails with a duplicate key: that is the "older message" answer.
 */
export async function projectEvent(store: Store, snapshot: EventSnapshot, at: Date): Promise<boolean> {
  try {
    await store.events.updateOne(
      { _id: snapshot.event_id, seen_at: { $lte: at }, deleted: { $ne: true } },
      { $set: { ...eventFields(snapshot), seen_at: at }, $setOnInsert: { deleted: false } },
      { upsert: true },
    );
    return true;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const current = await store.events.findById(snapshot.event_id, { deleted: 1 }).lean<Pick<EventDoc, 'deleted'>>();
    return current?.deleted !== true;
  }
}

/** Stores what a read-through returned, only if nothing is known yet. */
export async function rememberEvent(store: Store, snapshot: EventSnapshot): Promise<void> {
  try {
    await store.events.updateOne(
      { _id: snapshot.event_id },
      { $setOnInsert: { ...eventFields(snapshot), deleted: false, seen_at: READ_THROUGH_AT } },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // someone else inserted it meanwhile: theirs is as good
  }
}

/** The event is gone: a tombstone, so that late messages about it do not bring it back. */
export async function tombstoneEvent(store: Store, snapshot: EventSnapshot, at: Date): Promise<void> {
  await store.events.updateOne(
    { _id: snapshot.event_id },
    { $set: { ...eventFields(snapshot), deleted: true, seen_at: at } },
    { upsert: true },
  );
}

export function findEvent(store: Store, eventId: string): Promise<EventDoc | null> {
  return store.events.findById(eventId).lean<EventDoc>();
}

export function attendanceId(eventId: string, userKey: string): string {
  return `${eventId}|${userKey}`;
}

export interface AttendanceChange {
  registration_id: string;
  status?: AttendanceStatus;
  checked_in?: boolean;
}

/** Records a registration's state as of `at`, unless a later message already did. */
export async function projectAttendance(
  store: Store,
  eventId: string,
  userKey: string,
  change: AttendanceChange,
  at: Date,
): Promise<void> {
  const set: Record<string, unknown> = { registration_id: change.registration_id, seen_at: at };
  const onInsert: Record<string, unknown> = { event_id: eventId, user_key: userKey };
  if (change.status) set.status = change.status;
  else onInsert.status = 'confirmed'; // only check-ins name no status, and only confirmed seats are checked in
  if (change.checked_in !== undefined) set.checked_in = change.checked_in;
  else if (change.status !== 'confirmed') set.checked_in = false;
  else onInsert.checked_in = false;
  try {
    await store.attendances.updateOne(
      { _id: attendanceId(eventId, userKey), seen_at: { $lte: at } },
      { $set: set, $setOnInsert: onInsert },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // a later message was recorded already
  }
}

/** Stores a read-through registration, only if nothing is known yet. */
export async function rememberAttendance(
  store: Store,
  eventId: string,
  userKey: string,
  facts: { registration_id: string; status: AttendanceStatus; checked_in: boolean },
): Promise<void> {
  try {
    await store.attendances.updateOne(
      { _id: attendanceId(eventId, userKey) },
      { $setOnInsert: { ...facts, event_id: eventId, user_key: userKey, seen_at: READ_THROUGH_AT } },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** The person's registration under any of their keys (user id first). */
export async function findAttendance(store: Store, eventId: string, keys: string[]): Promise<AttendanceDoc | null> {
  const docs = await store.attendances
    .find({ _id: { $in: keys.map((key) => attendanceId(eventId, key)) } })
    .lean<AttendanceDoc[]>();
  for (const key of keys) {
    const doc = docs.find((d) => d.user_key === key);
    if (doc) return doc;
  }
  return null;
}

export async function forgetAttendances(store: Store, eventId: string): Promise<void> {
  await store.attendances.deleteMany({ event_id: eventId });
}
