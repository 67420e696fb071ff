import { withOutbox } from '@convene/bus';
import type { DomainEvent } from '@convene/contracts';
import type { Causes } from '@convene/domain-kit';
import { announce } from './announcements.ts';
import type { Cohost, EventDoc } from './event-model.ts';
import type { Store } from './store.ts';

/**
 * Writes of the event document's own fields. Each announces itself in the same update (the
 * outbox), and each edit is conditional on the `version` its caller validated against, so the
 * announced snapshot is exactly the state written and two concurrent edits cannot both pass.
 */

/** The event as an edit reads it before validating (everything, deleted ones not). */
export async function liveEvent(store: Store, eventId: string): Promise<EventDoc | null> {
  return store.events.findOne({ _id: eventId, deleted_at: null }).lean<EventDoc>();
}

/** The fields a new event is created with; the schema fills in the counters and the rest. */
export type NewEvent = Pick<
  EventDoc,
  | 'title'
  | 'title_lc'
  | 'description'
  | 'location'
  | 'search_terms'
  | 'location_terms'
  | 'host_id'
  | 'host_name'
  | 'host_email'
  | 'start_time'
  | 'end_time'
  | 'timezone'
  | 'max_participants'
  | 'seats_left'
  | 'visibility'
  | 'is_active'
  | 'requires_check_in'
  | 'waitlist_mode'
  | 'offer_window_hours'
  | 'created_at'
  | 'updated_at'
>;

/** Inserts the event with event.created in its outbox: one write, so it exists if and only if it is announced. */
export async function insertEvent(store: Store, fields: NewEvent, now: Date, causes?: Causes): Promise<EventDoc> {
  const doc = new store.events(fields);
  const created = doc.toObject() as EventDoc;
  doc.set('outbox', [announce(store).eventCreated(created, causes)]);
  doc.set('outbox_at', now);
  await doc.save();
  return created;
}

/**
 * An edit (`set` of changed fields, capacity moved by `capacityDelta`), announced by `message`.
 * A capacity cut also needs that many free seats, so it never drops below the seats already
 * taken. Null when the event was edited, deleted or its seats taken since `current` was read.
 */
export async function writeEventEdit(
  store: Store,
  current: Pick<EventDoc, '_id' | 'version'>,
  {
    set,
    capacityDelta,
    message,
    now,
  }: { set: Record<string, unknown>; capacityDelta: number; message: DomainEvent; now: Date },
): Promise<EventDoc | null> {
  const filter: Record<string, unknown> = { _id: current._id, version: current.version, deleted_at: null };
  if (capacityDelta < 0) filter.seats_left = { $gte: -capacityDelta };
  const update: Record<string, unknown> = { $set: { ...set, version: current.version + 1, updated_at: now } };
  if (capacityDelta !== 0) update.$inc = { seats_left: capacityDelta };
  return store.events.findOneAndUpdate(filter, withOutbox(update, [message], now), { new: true }).lean<EventDoc>();
}

/**
 * The event's co-hosts become `cohosts` (keyed by `cohostIds`), announced as event.updated with
 * `changed: ['cohosts']`. False when the event changed since `current` was read.
 */
export async function writeCohosts(
  store: Store,
  current: EventDoc,
  { cohosts, cohostIds, now }: { cohosts: Cohost[]; cohostIds: string[]; now: Date },
  causes?: Causes,
): Promise<boolean> {
  const after: EventDoc = {
    ...current,
    cohosts,
    cohost_ids: cohostIds,
    version: current.version + 1,
    updated_at: now,
  };
  const done = await store.events.updateOne(
    { _id: current._id, version: current.version },
    withOutbox(
      { $set: { cohosts, cohost_ids: cohostIds, version: after.version, updated_at: now } },
      [announce(store).eventUpdated(after, ['cohosts'], causes)],
      now,
    ),
  );
  return done.modifiedCount === 1;
}

/** The event disappears for clients (deleted_at), announced as event.deleted. False when it was already gone. */
export async function markEventDeleted(store: Store, current: EventDoc, now: Date, causes?: Causes): Promise<boolean> {
  const done = await store.events.updateOne(
    { _id: current._id, deleted_at: null },
    withOutbox({ $set: { deleted_at: now, is_active: false } }, [announce(store).eventDeleted(current, causes)], now),
  );
  return done.modifiedCount === 1;
}
