import type { Handler } from '@convene/bus';
import { recordReservation } from '../flows/record-reservation.ts';
import type { ConsumerDeps } from './deps.ts';

/** registration.rejected: the seat could not be had (full, past, inactive, gone); the invitation it names shows it. */
export function recordReservationWhenRegistrationRejected(deps: ConsumerDeps): Handler<'registration.rejected'> {
  return async function recordRejectedReservation(message) {
    await recordReservation(deps.flows, {
      eventId: message.data.event_id,
      invitationId: message.data.invitation_id,
      registrationId: null,
      attendee: message.data.attendee,
      reservation: 'rejected',
      at: new Date(message.time),
    });
  };
}
