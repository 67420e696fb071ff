import { emailKey } from '@convene/domain-kit';
import { availableSpots, isPast } from '../domain/event-rules.ts';
import { eventTimeZone } from '../domain/event-zone.ts';
import type { EventDoc } from '../store/event-model.ts';
import type { RegistrationDoc } from '../store/registration-model.ts';

/** Wire shapes: canonical names with the legacy events API's names echoed beside them (docs/api.md). */

/**
 * People without an account are keyed by their address (`email:<address>`); that key is an id
 * only the host and co-hosts may see (`withEmails`), everyone else gets null in its place.
 */
function shownKey(userId: string | null, key: string, withEmails: boolean): string | null {
  return userId ?? (withEmails ? key : null);
}

/**
 * An event as clients see it: instants in ISO 8601 UTC, `timezone` the zone to show them in
 * (`defaultZone` for an event stored without one).
 */
export function eventView(
  event: EventDoc,
  now: Date,
  { withEmails = false, defaultZone }: { withEmails?: boolean; defaultZone: string },
) {
  const start = event.start_time.toISOString();
  const cohosts: Array<{ id: string | null; name: string }> = new Array(event.cohosts.length);
  for (let i = 0; i < event.cohosts.length; i++) {
    const c = event.cohosts[i]!;
    cohosts[i] = { id: c.user_id ?? (withEmails ? emailKey(c.email) : null), name: c.name };
  }
  return {
    id: event._id,
    title: event.title,
    description: event.description,
    start_time: start,
    date: start,
    end_time: event.end_time.toISOString(),
    timezone: eventTimeZone(event, defaultZone),
    location: event.location,
    host: event.host_id,
    organizer: event.host_id,
    host_name: event.host_name,
    organizer_name: event.host_name,
    cohosts,
    max_participants: event.max_participants,
    max_attendees: event.max_participants,
    visibility: event.visibility,
    is_active: event.is_active,
    requires_check_in: event.requires_check_in,
    waitlist_mode: event.waitlist_mode,
    offer_window_hours: event.offer_window_hours,
    attendees_count: event.confirmed_count,
    waitlist_count: event.waitlist_count,
    available_spots: availableSpots(event),
    is_past: isPast(event, now),
    created_at: event.created_at.toISOString(),
    updated_at: event.updated_at.toISOString(),
  };
}

type ShownStatus = 'confirmed' | 'waitlisted' | 'offered' | 'cancelled';

function shownStatus(reg: RegistrationDoc): ShownStatus {
  return reg.status === 'new' || reg.status === 'rejected' ? 'cancelled' : reg.status;
}

/** The legacy events API's registration body ({id, user, event, registered_at, is_cancelled}) plus status. */
export function registrationView(reg: RegistrationDoc, position?: number) {
  // Built once, the optional fields added in place (no spread of a temporary object per answer).
  const view: {
    id: string;
    user: string;
    event: string;
    status: ShownStatus;
    registered_at: string;
    is_cancelled: boolean;
    waitlist_position?: number;
    offer_expires_at?: string;
  } = {
    id: reg._id,
    user: reg.user_id ?? reg.user_key,
    event: reg.event_id,
    status: shownStatus(reg),
    registered_at: reg.registered_at.toISOString(),
    is_cancelled: reg.status === 'cancelled',
  };
  if (reg.status === 'waitlisted' && position !== undefined) view.waitlist_position = position;
  if (reg.status === 'offered' && reg.offer_expires_at) view.offer_expires_at = reg.offer_expires_at.toISOString();
  return view;
}

export function participantView(
  reg: RegistrationDoc,
  { withEmail, position }: { withEmail: boolean; position?: number },
) {
  return {
    id: reg._id,
    user: shownKey(reg.user_id, reg.user_key, withEmail),
    event: reg.event_id,
    name: reg.user_name,
    ...(withEmail ? { email: reg.user_email } : {}),
    status: shownStatus(reg),
    registered_at: reg.registered_at.toISOString(),
    is_cancelled: reg.status === 'cancelled',
    checked_in: reg.checked_in,
    checked_in_at: reg.checked_in_at ? reg.checked_in_at.toISOString() : null,
    promoted: reg.promoted,
    bypassed_capacity: reg.bypassed,
    ...(position !== undefined ? { waitlist_position: position } : {}),
  };
}

export function myRegistrationView(
  reg: RegistrationDoc,
  event: EventDoc | null,
  { defaultZone, position }: { defaultZone: string; position?: number | undefined },
) {
  const start = (event?.start_time ?? reg.event_start_time).toISOString();
  return {
    id: reg._id,
    event: {
      id: reg.event_id,
      title: event?.title ?? '',
      date: start,
      start_time: start,
      end_time: (event?.end_time ?? reg.event_end_time).toISOString(),
      timezone: eventTimeZone(event ?? {}, defaultZone),
      location: event?.location ?? '',
    },
    status: shownStatus(reg),
    registered_at: reg.registered_at.toISOString(),
    is_cancelled: reg.status === 'cancelled',
    checked_in: reg.checked_in,
    ...(reg.status === 'waitlisted' && position !== undefined ? { waitlist_position: position } : {}),
  };
}
