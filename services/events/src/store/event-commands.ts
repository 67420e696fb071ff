import { withOutbox } from '@convene/bus';
import type { QuotaPolicy } from '../domain/creation-quota.ts';
import { type EventChanges, type FieldErrors, validateEventChanges } from '../domain/event-rules.ts';
import { locationTerms, searchTerms } from '../domain/search-terms.ts';
import { announce, type Causes } from './announcements.ts';
import { returnCreationSlot, takeCreationSlot } from './creation-quota.ts';
import type { EventDoc } from './event-model.ts';
import { syncRegistrationTimes } from './recovery.ts';
import type { Store } from './store.ts';

export interface Host {
  id: string;
  name: string;
  email: string;
}

export type CreateOutcome =
  | { ok: true; event: EventDoc }
  | { ok: false; errors: FieldErrors }
  | { ok: false; retryAfterSec: number };

/** Creates an event (announcing event.created in the same insert), within the host's quota. */
export async function createEvent(
  store: Store,
  host: Host,
  changes: EventChanges,
  {
    quota,
    defaultDurationMs,
    causes,
    now = new Date(),
  }: { quota: QuotaPolicy; defaultDurationMs: number; causes?: Causes; now?: Date },
): Promise<CreateOutcome> {
  const input = { ...changes };
  if (input.start_time && !input.end_time) input.end_time = new Date(input.start_time.getTime() + defaultDurationMs);
  const errors = validateEventChanges(input, { now, requireAll: true });
  if (Object.keys(errors).length) return { ok: false, errors };

  const slot = await takeCreationSlot(store, host.id, quota, now);
  if (!slot.ok) return slot;

  const title = input.title!.trim();
  const location = input.location!.trim();
  const description = input.description ?? '';
  const doc = new store.events({
    title,
    title_lc: title.toLowerCase(),
    description,
    location,
    search_terms: searchTerms({ title, location, description }),
    location_terms: locationTerms(location),
    host_id: host.id,
    host_name: host.name,
    host_email: host.email,
    start_time: input.start_time,
    end_time: input.end_time,
    max_participants: input.max_participants,
    seats_left: input.max_participants,
    visibility: input.visibility ?? 'public',
    is_active: input.is_active ?? true,
    requires_check_in: input.requires_check_in ?? false,
    waitlist_mode: input.waitlist_mode ?? 'auto',
    offer_window_hours: input.offer_window_hours ?? null,
    created_at: now,
    updated_at: now,
  });
  const created = doc.toObject() as EventDoc;
  doc.set('outbox', [announce.eventCreated(created, causes)]);
  // The relay compares outbox_at with the wall clock, not the service's (possibly moved) clock.
  doc.set('outbox_at', new Date());
  try {
    await doc.save();
  } catch (err) {
    await returnCreationSlot(store, host.id, slot.stamp);
    throw err;
  }
  return { ok: true, event: created };
}

export type UpdateOutcome =
  | { ok: true; event: EventDoc; changed: string[] }
  | { ok: false; errors: FieldErrors }
  | { ok: false; gone: true };

/** The stored fields an edit writes, and the names of the client fields that changed. */
function plan(current: EventDoc, changes: EventChanges, now: Date) {
  const set: Record<string, unknown> = {};
  const changed: string[] = [];
  const differs = (a: unknown, b: unknown) =>
    a instanceof Date && b instanceof Date ? a.getTime() !== b.getTime() : a !== b;
  const next = {
    title: changes.title?.trim() ?? current.title,
    description: changes.description ?? current.description,
    location: changes.location?.trim() ?? current.location,
  };
  for (const field of ['title', 'description', 'location'] as const) {
    if (differs(next[field], current[field])) {
      set[field] = next[field];
      changed.push(field);
    }
  }
  if (set.title !== undefined) set.title_lc = next.title.toLowerCase();
  if (changed.length) set.search_terms = searchTerms(next);
  if (set.location !== undefined) set.location_terms = locationTerms(next.location);
  for (const field of [
    'start_time',
    'end_time',
    'max_participants',
    'visibility',
    'is_active',
    'requires_check_in',
    'waitlist_mode',
    'offer_window_hours',
  ] as const) {
    const value = changes[field];
    if (value !== undefined && differs(value, current[field])) {
      set[field] = value;
      changed.push(field);
    }
  }
  if (set.start_time !== undefined) set.reminder_sent = false;
  if (set.start_time !== undefined || set.end_time !== undefined) set.reg_sync_at = now;
  return { set, changed };
}

/**
 * PUT/PATCH. Optimistic: the write is conditional on the version that was validated, so two
 * concurrent edits cannot both pass validation against a state the other changed. Capacity moves
 * `seats_left` by the same amount in the same update, conditional on enough seats being free, so
 * it never drops below the seats already taken. Deactivating announces event.cancelled.
 */
export async function updateEvent(
  store: Store,
  eventId: string,
  changes: EventChanges,
  { full, causes, now = new Date() }: { full: boolean; causes?: Causes; now?: Date },
): Promise<UpdateOutcome> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await store.events.findOne({ _id: eventId, deleted_at: null }).lean<EventDoc>();
    if (!current) return { ok: false, gone: true };
    const input = { ...changes };
    const errors = validateEventChanges(input, { current, now, requireAll: full });
    if (Object.keys(errors).length) return { ok: false, errors };
    const { set, changed } = plan(current, input, now);
    if (changed.length === 0) return { ok: true, event: current, changed };

    const capacityDelta =
      set.max_participants === undefined ? 0 : (set.max_participants as number) - current.max_participants;
    const after = { ...current, ...set, version: current.version + 1, updated_at: now } as EventDoc;
    after.seats_left = current.seats_left + capacityDelta;
    const cancelled = current.is_active && set.is_active === false;
    const message = cancelled
      ? announce.eventCancelled(after, null, causes)
      : announce.eventUpdated(after, changed, causes);
    const filter: Record<string, unknown> = { _id: eventId, version: current.version, deleted_at: null };
    if (capacityDelta < 0) filter.seats_left = { $gte: -capacityDelta };
    const update: Record<string, unknown> = { $set: { ...set, version: after.version, updated_at: now } };
    if (capacityDelta !== 0) update.$inc = { seats_left: capacityDelta };
    const written = await store.events
      .findOneAndUpdate(filter, withOutbox(update, [message]), { new: true })
      .lean<EventDoc>();
    if (!written) continue; // edited, deleted or seats taken meanwhile: validate again against the fresh state
    if (set.reg_sync_at) await syncRegistrationTimes(store, written);
    return { ok: true, event: written, changed };
  }
  throw new Error(`event ${eventId} kept changing during the update`);
}

/** DELETE: the event disappears at once for clients; the purge job removes it once announced. */
export async function deleteEvent(
  store: Store,
  eventId: string,
  { causes, now = new Date() }: { causes?: Causes; now?: Date } = {},
) {
  const current = await store.events.findOne({ _id: eventId, deleted_at: null }).lean<EventDoc>();
  if (!current) return false;
  const done = await store.events.updateOne(
    { _id: eventId, deleted_at: null },
    withOutbox({ $set: { deleted_at: now, is_active: false } }, [announce.eventDeleted(current, causes)]),
  );
  return done.modifiedCount === 1;
}
