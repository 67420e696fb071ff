import type { Handler } from '@convene/bus';
import { recordReservation } from '../flows/record-reservation.ts';
import type { ConsumerDeps } from './deps.ts';

/**
 * registration.cancelled: the seat was given up later.
 * The participants projection follows; the invitation the message names shows it in `reservation`.
 */
export function recordReservationWhenRegistrationCancelled(deps: ConsumerDeps): Handler<'registration.cancelled'> {
  return async function recordCancelledReservation(message) {
    await recordReservation(deps.flows, {
      eventId: message.data.event.event_id,
      invitationId: message.data.invitation_id,
      registrationId: message.data.registration_id,
      attendee: message.data.attendee,
      reservation: 'cancelled',
      at: new Date(message.time),
    });
  };
}
