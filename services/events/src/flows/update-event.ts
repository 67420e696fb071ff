import type { Causes } from '@convene/domain-kit';
import { validationError } from '@convene/kit';
import { type EventChanges, validateEventChanges } from '../domain/event-rules.ts';
import { eventTimeZone, eventZoneName } from '../domain/event-zone.ts';
import { locationTerms, searchTerms } from '../domain/search-terms.ts';
import { eventNotFound } from '../errors.ts';
import { announce } from '../store/announcements.ts';
import type { EventDoc } from '../store/event-model.ts';
import { syncRegistrationTimes } from '../store/event-times.ts';
import { liveEvent, writeEventEdit } from '../store/event-writes.ts';
import type { FlowContext } from './context.ts';

export interface EventUpdate {
  event: EventDoc;
  changed: string[];
}

/** The stored fields an edit writes, and the names of the client fields that changed. */
function plan(current: EventDoc, changes: EventChanges, { now, defaultZone }: { now: Date; defaultZone: string }) {
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
  // Only how the event is shown: its instants stay where they are. An event stored without a zone
  // keeps one given explicitly even if it is today's default, so a later default does not move it.
  const zone = changes.timezone === undefined ? null : eventZoneName(changes.timezone);
  if (zone && (zone !== eventTimeZone(current, defaultZone) || !current.timezone)) {
    set.timezone = zone;
    changed.push('timezone');
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
  ctx: FlowContext,
  { eventId, changes, full }: { eventId: string; changes: EventChanges; full: boolean },
  causes?: Causes,
): Promise<EventUpdate> {
  const { store } = ctx;
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = ctx.now();
    const current = await liveEvent(store, eventId);
    if (!current) throw eventNotFound();
    const input = { ...changes };
    const errors = validateEventChanges(input, { current, now, requireAll: full });
    if (Object.keys(errors).length) throw validationError(errors);
    const { set, changed } = plan(current, input, { now, defaultZone: store.defaultTimeZone });
    if (changed.length === 0) return { event: current, changed };

    const capacityDelta =
      set.max_participants === undefined ? 0 : (set.max_participants as number) - current.max_participants;
    const after = { ...current, ...set, version: current.version + 1, updated_at: now } as EventDoc;
    after.seats_left = current.seats_left + capacityDelta;
    const cancelled = current.is_active && set.is_active === false;
    const message = cancelled
      ? announce(ctx.store).eventCancelled(after, null, causes)
      : announce(ctx.store).eventUpdated(after, changed, causes);
    const written = await writeEventEdit(store, current, { set, capacityDelta, message, now });
    if (!written) continue; // edited, deleted or seats taken meanwhile: validate again against the fresh state
    if (set.reg_sync_at) await syncRegistrationTimes(store, written);
    return { event: written, changed };
  }
  throw new Error(`event ${eventId} kept changing during the update`);
}
