import type { Handler } from '@convene/bus';
import { recordReservation } from '../flows/record-reservation.ts';
import type { ConsumerDeps } from './deps.ts';

/**
 * registration.waitlisted: the event was full, so the invitee waits for a seat.
 * The participants projection follows; the invitation the message names shows it in `reservation`.
 */
export function recordReservationWhenRegistrationWaitlisted(deps: ConsumerDeps): Handler<'registration.waitlisted'> {
  return async function recordWaitlistedReservation(message) {
    await recordReservation(deps.flows, {
      eventId: message.data.event.event_id,
      invitationId: message.data.invitation_id,
      registrationId: message.data.registration_id,
      attendee: message.data.attendee,
      reservation: 'waitlisted',
      at: new Date(message.time),
    });
  };
}
