import { unknownTimeZoneMessage } from './event-zone.ts';

/**
 * What makes an event valid and who may do what with it. Pure: callers pass the clock and the
 * facts they looked up.
 */

export type FieldErrors = Record<string, string[]>;
export type Visibility = 'public' | 'invite_only';
export type WaitlistMode = 'auto' | 'offer';

export const EventLimits = {
  titleMax: 200,
  locationMax: 255,
  descriptionMax: 5000,
  capacityMax: 100_000,
  offerWindowHoursMax: 24 * 30,
} as const;

/** The facts about an event that the rules below read. */
export interface EventFacts {
  host_id: string;
  cohost_ids: string[];
  visibility: Visibility;
  is_active: boolean;
  start_time: Date;
  end_time: Date;
  max_participants: number;
  seats_left: number;
}

/** The fields a client may set, after the legacy events API's names (`date`, `max_attendees`) were folded in. */
export interface EventChanges {
  title?: string;
  description?: string;
  location?: string;
  start_time?: Date;
  end_time?: Date;
  /** An IANA zone as the client wrote it (validated here, stored in canonical form). */
  timezone?: string;
  max_participants?: number;
  visibility?: Visibility;
  is_active?: boolean;
  requires_check_in?: boolean;
  waitlist_mode?: WaitlistMode;
  offer_window_hours?: number | null;
}

function add(errors: FieldErrors, field: string, message: string) {
  const messages = errors[field] ?? [];
  errors[field] = messages;
  messages.push(message);
}

/**
 * Checks a create (`current` undefined) or an update against the event as it is. A full update
 * (PUT) passes `requireAll` so missing required fields are named, as on create.
 */
export function validateEventChanges(
  changes: EventChanges,
  { current, now, requireAll }: { current?: EventFacts; now: Date; requireAll: boolean },
): FieldErrors {
  const errors: FieldErrors = {};
  if (requireAll) {
    if (changes.title === undefined) add(errors, 'title', 'This field is required.');
    if (changes.location === undefined) add(errors, 'location', 'This field is required.');
    if (changes.start_time === undefined) add(errors, 'start_time', 'This field is required.');
    if (changes.max_participants === undefined) add(errors, 'max_participants', 'This field is required.');
  }
  if (changes.title !== undefined) {
    const title = changes.title.trim();
    if (!title) add(errors, 'title', 'This field may not be blank.');
    else if (title.length > EventLimits.titleMax)
      add(errors, 'title', `Ensure this field has no more than ${EventLimits.titleMax} characters.`);
  }
  if (changes.location !== undefined) {
    const location = changes.location.trim();
    if (!location) add(errors, 'location', 'This field may not be blank.');
    else if (location.length > EventLimits.locationMax)
      add(errors, 'location', `Ensure this field has no more than ${EventLimits.locationMax} characters.`);
  }
  if (changes.description !== undefined && changes.description.length > EventLimits.descriptionMax) {
    add(errors, 'description', `Ensure this field has no more than ${EventLimits.descriptionMax} characters.`);
  }
  const startChanged =
    changes.start_time !== undefined && changes.start_time.getTime() !== current?.start_time.getTime();
  if (startChanged && changes.start_time! <= now) add(errors, 'start_time', 'Start time must be in the future.');
  const start = changes.start_time ?? current?.start_time;
  const end = changes.end_time ?? current?.end_time;
  if (start && end && changes.end_time !== undefined && end <= start) {
    add(errors, 'end_time', 'End time must be after start time.');
  } else if (start && end && changes.start_time !== undefined && changes.end_time === undefined && end <= start) {
    add(errors, 'end_time', 'End time must be after start time; move end_time as well.');
  }
  if (changes.timezone !== undefined) {
    const unknown = unknownTimeZoneMessage(changes.timezone);
    if (unknown) add(errors, 'timezone', unknown);
  }
  if (changes.max_participants !== undefined) {
    const cap = changes.max_participants;
    if (!Number.isInteger(cap) || cap < 1)
      add(errors, 'max_participants', 'Ensure this value is greater than or equal to 1.');
    else if (cap > EventLimits.capacityMax)
      add(errors, 'max_participants', `Ensure this value is less than or equal to ${EventLimits.capacityMax}.`);
    else if (current && cap < seatsInUse(current)) {
      add(
        errors,
        'max_participants',
        `Ensure this value is not below the number of seats already taken (${seatsInUse(current)}).`,
      );
    }
  }
  if (changes.offer_window_hours !== undefined && changes.offer_window_hours !== null) {
    const hours = changes.offer_window_hours;
    if (!(hours > 0) || hours > EventLimits.offerWindowHoursMax) {
      add(errors, 'offer_window_hours', `Ensure this value is between 0 and ${EventLimits.offerWindowHoursMax}.`);
    }
  }
  return errors;
}

/** Seats counted against capacity: confirmed (without bypass), held offers and in-flight takes. */
export function seatsInUse(event: Pick<EventFacts, 'max_participants' | 'seats_left'>): number {
  return event.max_participants - event.seats_left;
}

export function availableSpots(event: Pick<EventFacts, 'seats_left'>): number {
  return Math.max(0, event.seats_left);
}

/** An event is past once it has started: the legacy events API has only `date`, and registration closes then. */
export function isPast(event: Pick<EventFacts, 'start_time'>, now: Date): boolean {
  return event.start_time.getTime() <= now.getTime();
}

export type EventRole = 'host' | 'cohost' | null;

export function roleOf(event: Pick<EventFacts, 'host_id' | 'cohost_ids'>, userId: string | undefined): EventRole {
  if (!userId) return null;
  if (event.host_id === userId) return 'host';
  if (event.cohost_ids.includes(userId)) return 'cohost';
  return null;
}

export function canManage(event: Pick<EventFacts, 'host_id' | 'cohost_ids'>, userId: string | undefined): boolean {
  return roleOf(event, userId) !== null;
}

/**
 * Public events: anyone. Invite-only: the host, co-hosts, people holding or waiting for a seat,
 * and invitees (known from invitation.sent).
 */
export function canRead(
  event: Pick<EventFacts, 'host_id' | 'cohost_ids' | 'visibility'>,
  viewer: { userId?: string; isParticipant: boolean; isInvitee: boolean },
): boolean {
  if (event.visibility === 'public') return true;
  return canManage(event, viewer.userId) || viewer.isParticipant || viewer.isInvitee;
}

/** Why nobody can take a seat or a place in line at an event (a full event is a matter of the counters). */
export type RegistrationBlocker = 'gone' | 'restricted' | 'inactive' | 'past';

type EntryFacts = Pick<EventFacts, 'is_active' | 'start_time'> & { deleted_at?: Date | null };

/**
 * Why a registration cannot start, in the order clients expect the messages: no such event (or
 * deleted), not one of the `required` values (the register shortcut's `{visibility: 'public'}`:
 * plain equalities), not active, started. Null when it can (then only a full event refuses it).
 * The one place this order is written: the register flow checks it up front, the seat-move
 * engine explains a refused move with it.
 */
export function registrationBlocker(
  event: EntryFacts | null,
  now: Date,
): Exclude<RegistrationBlocker, 'restricted'> | null;
export function registrationBlocker(
  event: EntryFacts | null,
  now: Date,
  required: Record<string, unknown> | undefined,
): RegistrationBlocker | null;
export function registrationBlocker(
  event: EntryFacts | null,
  now: Date,
  required?: Record<string, unknown>,
): RegistrationBlocker | null {
  if (!event || event.deleted_at) return 'gone';
  if (required && !hasValues(event, required)) return 'restricted';
  if (!event.is_active) return 'inactive';
  if (isPast(event, now)) return 'past';
  return null;
}

function hasValues(event: object, required: Record<string, unknown>): boolean {
  return Object.entries(required).every(([field, value]) => (event as Record<string, unknown>)[field] === value);
}
