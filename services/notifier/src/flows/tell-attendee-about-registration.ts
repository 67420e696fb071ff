import type { DomainEvent } from '@convene/contracts';
import { describeCancellation } from '../domain/event-changes.ts';
import { rememberEvent, rememberParticipant } from '../store/projections.ts';
import type { FlowContext } from './context.ts';
import { factsOfSnapshot } from './event-facts.ts';
import { type Notice, queueNotifications } from './queue-notifications.ts';

type RegistrationMessage =
  | DomainEvent<'registration.confirmed'>
  | DomainEvent<'registration.waitlisted'>
  | DomainEvent<'registration.offered'>
  | DomainEvent<'registration.cancelled'>;

const STATUS = {
  'registration.confirmed': 'confirmed',
  'registration.waitlisted': 'waitlisted',
  'registration.offered': 'offered',
  'registration.cancelled': 'cancelled',
} as const;

/**
 * registration.*: remember who takes part (event changes fan out to them) and tell the attendee:
 * confirmed, promoted off the waitlist, waitlisted (with the position), offered a seat (with the
 * deadline), cancelled (with why). A registration cancelled because its event was deleted gets no
 * email of its own.
 */
export async function tellAttendeeAboutRegistration(flows: FlowContext, message: RegistrationMessage) {
  const registration = message.data;
  const asOf = new Date(message.time);
  await rememberEvent(flows.store, registration.event, asOf);
  await rememberParticipant(
    flows.store,
    {
      registration_id: registration.registration_id,
      event_id: registration.event.event_id,
      attendee: registration.attendee,
      status: STATUS[message.type],
    },
    asOf,
  );
  const base = {
    name: registration.attendee.name || registration.attendee.email,
    event: factsOfSnapshot(flows.publicUrl, registration.event),
  };
  const links = { event_id: registration.event.event_id, registration_id: registration.registration_id };
  const recipient = registration.attendee;
  let notice: Notice | null = null;
  switch (message.type) {
    case 'registration.confirmed':
      notice = message.data.promoted
        ? { type: 'registration-promoted', recipient, links, data: base }
        : { type: 'registration-confirmed', recipient, links, data: base };
      break;
    case 'registration.waitlisted':
      notice = {
        type: 'registration-waitlisted',
        recipient,
        links,
        data: { ...base, position: message.data.position },
      };
      break;
    case 'registration.offered':
      notice = {
        type: 'registration-offered',
        recipient,
        links,
        data: { ...base, offer_expires_at: message.data.offer_expires_at },
      };
      break;
    case 'registration.cancelled':
      if (message.data.reason !== 'event_deleted') {
        notice = {
          type: 'registration-cancelled',
          recipient,
          links,
          data: { ...base, reason: describeCancellation(message.data.reason) },
        };
      }
      break;
  }
  return queueNotifications(flows, message, notice ? [notice] : []);
}
