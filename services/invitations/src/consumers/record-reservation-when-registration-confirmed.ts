import type { Handler } from '@convene/bus';
import { recordReservation } from '../flows/record-reservation.ts';
import type { ConsumerDeps } from './deps.ts';

/**
 * registration.confirmed: events confirmed the seat (a capacity-bypassing one too).
 * The participants projection follows; the invitation the message names shows it in `reservation`.
 */
export function recordReservationWhenRegistrationConfirmed(deps: ConsumerDeps): Handler<'registration.confirmed'> {
  return async function recordConfirmedReservation(message) {
    await recordReservation(deps.flows, {
      eventId: message.data.event.event_id,
      invitationId: message.data.invitation_id,
      registrationId: message.data.registration_id,
      attendee: message.data.attendee,
      reservation: 'confirmed',
      at: new Date(message.time),
    });
  };
}
