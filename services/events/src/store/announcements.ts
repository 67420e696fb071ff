import { type DomainEvent, type EventSnapshot, envelope } from '@convene/contracts';
import { type Causes, causeFields, isEmail } from '@convene/domain-kit';
import { eventTimeZone } from '../domain/event-zone.ts';
import type { CancelReason } from '../domain/registration-states.ts';
import type { EventDoc } from './event-model.ts';
import type { RegistrationDoc } from './registration-model.ts';
import type { Store } from './store.ts';

/** The envelopes this service publishes, built from its documents. All go through an outbox. */

export const SOURCE = 'events';

/** The event as every event.* and registration.* message carries it; `defaultZone` for one stored without a zone. */
export function eventSnapshot(event: EventDoc, defaultZone: string): EventSnapshot {
  return {
    event_id: event._id,
    title: event.title,
    description: event.description,
    host: { user_id: event.host_id, email: safeEmail(event.host_email, event.host_id), name: event.host_name },
    cohost_ids: event.cohost_ids,
    start_time: event.start_time.toISOString(),
    end_time: event.end_time.toISOString(),
    timezone: eventTimeZone(event, defaultZone),
    location: event.location,
    max_participants: event.max_participants,
    visibility: event.visibility,
    is_active: event.is_active,
    requires_check_in: event.requires_check_in,
    waitlist_mode: event.waitlist_mode,
  };
}

/** Tokens always carry an email; a placeholder keeps a message valid if one ever does not. */
function safeEmail(email: string, id: string | null): string {
  return isEmail(email) ? email : `${id ?? 'unknown'}@users.invalid`;
}

function attendee(reg: RegistrationDoc) {
  return { user_id: reg.user_id, email: safeEmail(reg.user_email, reg.user_id), name: reg.user_name };
}

function facts(reg: RegistrationDoc, event: EventDoc, zone: string) {
  return {
    registration_id: reg._id,
    event: eventSnapshot(event, zone),
    attendee: attendee(reg),
    invitation_id: reg.invitation_id,
  };
}

/**
 * The message builders for a store: events stored without a zone are announced in the store's
 * default (`announce(store).eventCreated(event)`). One set per default zone, built once.
 */
export function announce(store: Pick<Store, 'defaultTimeZone'>): Announcements {
  let builders = buildersByZone.get(store.defaultTimeZone);
  if (!builders) {
    builders = announcements(store.defaultTimeZone);
    buildersByZone.set(store.defaultTimeZone, builders);
  }
  return builders;
}

type Announcements = ReturnType<typeof announcements>;
const buildersByZone = new Map<string, Announcements>();

const announcements = (zone: string) =>
  ({
    eventCreated: (event: EventDoc, causes?: Causes) =>
      envelope({
        type: 'event.created',
        source: SOURCE,
        subject: event._id,
        data: eventSnapshot(event, zone),
        ...causeFields(causes),
      }),
    eventUpdated: (event: EventDoc, changed: string[], causes?: Causes) =>
      envelope({
        type: 'event.updated',
        source: SOURCE,
        subject: event._id,
        data: { ...eventSnapshot(event, zone), changed },
        ...causeFields(causes),
      }),
    eventCancelled: (event: EventDoc, reason: string | null, causes?: Causes) =>
      envelope({
        type: 'event.cancelled',
        source: SOURCE,
        subject: event._id,
        data: { ...eventSnapshot(event, zone), reason },
        ...causeFields(causes),
      }),
    eventDeleted: (event: EventDoc, causes?: Causes) =>
      envelope({
        type: 'event.deleted',
        source: SOURCE,
        subject: event._id,
        data: eventSnapshot(event, zone),
        ...causeFields(causes),
      }),
    reminderDue: (event: EventDoc, leadMinutes: number) =>
      envelope({
        type: 'event.reminder_due',
        source: SOURCE,
        subject: event._id,
        data: { ...eventSnapshot(event, zone), lead_minutes: leadMinutes },
      }),
    confirmed: (
      reg: RegistrationDoc,
      event: EventDoc,
      opts: { promoted: boolean; bypassed: boolean },
      causes?: Causes,
    ) =>
      envelope({
        type: 'registration.confirmed',
        source: SOURCE,
        subject: reg._id,
        data: {
          ...facts(reg, event, zone),
          promoted: opts.promoted,
          bypassed_capacity: opts.bypassed,
          registered_at: reg.registered_at.toISOString(),
        },
        ...causeFields(causes),
      }),
    waitlisted: (reg: RegistrationDoc, event: EventDoc, position: number, causes?: Causes) =>
      envelope({
        type: 'registration.waitlisted',
        source: SOURCE,
        subject: reg._id,
        data: { ...facts(reg, event, zone), position: Math.max(1, position) },
        ...causeFields(causes),
      }),
    offered: (reg: RegistrationDoc, event: EventDoc, expiresAt: Date, causes?: Causes) =>
      envelope({
        type: 'registration.offered',
        source: SOURCE,
        subject: reg._id,
        data: { ...facts(reg, event, zone), offer_expires_at: expiresAt.toISOString() },
        ...causeFields(causes),
      }),
    cancelled: (
      reg: RegistrationDoc,
      event: EventDoc,
      previous: 'confirmed' | 'waitlisted' | 'offered',
      reason: CancelReason,
      causes?: Causes,
    ) =>
      envelope({
        type: 'registration.cancelled',
        source: SOURCE,
        subject: reg._id,
        data: { ...facts(reg, event, zone), previous_status: previous, reason },
        ...causeFields(causes),
      }),
    rejected: (
      reg: Pick<RegistrationDoc, '_id' | 'event_id' | 'invitation_id' | 'user_id' | 'user_email' | 'user_name'>,
      reason: 'full' | 'event_past' | 'event_inactive' | 'event_not_found',
      causes?: Causes,
    ) =>
      envelope({
        type: 'registration.rejected',
        source: SOURCE,
        subject: reg._id,
        data: {
          event_id: reg.event_id,
          invitation_id: reg.invitation_id,
          attendee: { user_id: reg.user_id, email: safeEmail(reg.user_email, reg.user_id), name: reg.user_name },
          reason,
        },
        ...causeFields(causes),
      }),
    attendance: (reg: RegistrationDoc, event: EventDoc, attended: boolean, at: Date) =>
      envelope({
        type: 'registration.attendance_marked',
        source: SOURCE,
        subject: reg._id,
        data: { ...facts(reg, event, zone), attended, marked_at: at.toISOString() },
      }),
  }) satisfies Record<string, (...args: never[]) => DomainEvent>;
