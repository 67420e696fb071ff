import type { Handler } from '@convene/bus';
import type { DomainEvent } from '@convene/contracts';
import type { Reservation } from '../domain/invitation-rules.ts';
import { recordReservation } from '../flows/record-reservation.ts';
import type { ConsumerDeps } from './deps.ts';

type Answer = 'registration.confirmed' | 'registration.waitlisted' | 'registration.offered' | 'registration.cancelled';

/**
 * events answered an accepted invitation (or someone's standing changed): the invitation shows
 * the outcome in `reservation`, and the participants projection follows.
 */
function recordWhen<N extends Answer>(deps: ConsumerDeps, reservation: Reservation): Handler<N> {
  return async function recordRegistrationAnswer(message) {
    const m = message as DomainEvent<Answer>;
    await recordReservation(deps, {
      eventId: m.data.event.event_id,
      invitationId: m.data.invitation_id,
      registrationId: m.data.registration_id,
      attendee: m.data.attendee,
      reservation,
      at: new Date(m.time),
    });
  };
}

export const recordReservationWhenConfirmed = (deps: ConsumerDeps) =>
  recordWhen<'registration.confirmed'>(deps, 'confirmed');
export const recordReservationWhenWaitlisted = (deps: ConsumerDeps) =>
  recordWhen<'registration.waitlisted'>(deps, 'waitlisted');
export const recordReservationWhenOffered = (deps: ConsumerDeps) => recordWhen<'registration.offered'>(deps, 'offered');
export const recordReservationWhenCancelled = (deps: ConsumerDeps) =>
  recordWhen<'registration.cancelled'>(deps, 'cancelled');

/** registration.rejected: the seat could not be had (full, past, inactive, gone). */
export function recordReservationWhenRejected(deps: ConsumerDeps): Handler<'registration.rejected'> {
  return async function recordRejection(message) {
    await recordReservation(deps, {
      eventId: message.data.event_id,
      invitationId: message.data.invitation_id,
      registrationId: null,
      attendee: message.data.attendee,
      reservation: 'rejected',
      at: new Date(message.time),
    });
  };
}
