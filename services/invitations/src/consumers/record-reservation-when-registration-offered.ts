import type { Handler } from '@convene/bus';
import { recordReservation } from '../flows/record-reservation.ts';
import type { ConsumerDeps } from './deps.ts';

/**
 * registration.offered: a seat is offered to the invitee (offer-mode events).
 * The participants projection follows; the invitation the message names shows it in `reservation`.
 */
export function recordReservationWhenRegistrationOffered(deps: ConsumerDeps): Handler<'registration.offered'> {
  return async function recordOfferedReservation(message) {
    await recordReservation(deps.flows, {
      eventId: message.data.event.event_id,
      invitationId: message.data.invitation_id,
      registrationId: message.data.registration_id,
      attendee: message.data.attendee,
      reservation: 'offered',
      at: new Date(message.time),
    });
  };
}
