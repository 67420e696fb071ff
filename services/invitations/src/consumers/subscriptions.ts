import type { Subscription } from '@convene/bus';
import type { ServiceParts } from '@convene/kit';
import { cancelInvitationsWhenEventCancelled } from './cancel-invitations-when-event-cancelled.ts';
import { cancelInvitationsWhenEventDeleted } from './cancel-invitations-when-event-deleted.ts';
import type { ConsumerDeps } from './deps.ts';
import { followEventWhenEventCreated } from './follow-event-when-event-created.ts';
import { followEventWhenEventUpdated } from './follow-event-when-event-updated.ts';
import { recordReservationWhenRegistrationCancelled } from './record-reservation-when-registration-cancelled.ts';
import { recordReservationWhenRegistrationConfirmed } from './record-reservation-when-registration-confirmed.ts';
import { recordReservationWhenRegistrationOffered } from './record-reservation-when-registration-offered.ts';
import { recordReservationWhenRegistrationRejected } from './record-reservation-when-registration-rejected.ts';
import { recordReservationWhenRegistrationWaitlisted } from './record-reservation-when-registration-waitlisted.ts';

/**
 * Every message the invitations service consumes, in one place: queue → routing key → handler.
 * kit's `parts.subscribe` keeps every handler's idempotency marker (no handler here opts out) and
 * publishes what a handler wrote as soon as it returns.
 */
export async function subscribeAll(subscribe: ServiceParts['subscribe'], deps: ConsumerDeps): Promise<Subscription[]> {
  return [
    await subscribe('events', {
      'event.created': followEventWhenEventCreated(deps),
      'event.updated': followEventWhenEventUpdated(deps),
      'event.cancelled': cancelInvitationsWhenEventCancelled(deps),
      'event.deleted': cancelInvitationsWhenEventDeleted(deps),
    }),
    await subscribe('reservations', {
      'registration.confirmed': recordReservationWhenRegistrationConfirmed(deps),
      'registration.waitlisted': recordReservationWhenRegistrationWaitlisted(deps),
      'registration.offered': recordReservationWhenRegistrationOffered(deps),
      'registration.rejected': recordReservationWhenRegistrationRejected(deps),
      'registration.cancelled': recordReservationWhenRegistrationCancelled(deps),
    }),
  ];
}
