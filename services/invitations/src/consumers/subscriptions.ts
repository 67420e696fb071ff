import type { Subscription } from '@convene/bus';
import type { ServiceParts } from '@convene/kit';
import {
  cancelInvitationsWhenEventCancelled,
  cancelInvitationsWhenEventDeleted,
} from './cancel-invitations-when-event-closed.ts';
import type { ConsumerDeps } from './deps.ts';
import { followEventWhenCreated, followEventWhenUpdated } from './follow-event-when-created-or-updated.ts';
import {
  recordReservationWhenCancelled,
  recordReservationWhenConfirmed,
  recordReservationWhenOffered,
  recordReservationWhenRejected,
  recordReservationWhenWaitlisted,
} from './record-reservation-when-events-answers.ts';

/**
 * Every message the invitations service consumes, in one place: queue → routing key → handler.
 * kit's `parts.subscribe` keeps each handler idempotent (a marker per envelope id and handler)
 * and publishes what a handler wrote as soon as it returns.
 */
export async function subscribeAll(subscribe: ServiceParts['subscribe'], deps: ConsumerDeps): Promise<Subscription[]> {
  return [
    await subscribe('events', {
      'event.created': followEventWhenCreated(deps),
      'event.updated': followEventWhenUpdated(deps),
      'event.cancelled': cancelInvitationsWhenEventCancelled(deps),
      'event.deleted': cancelInvitationsWhenEventDeleted(deps),
    }),
    await subscribe('reservations', {
      'registration.confirmed': recordReservationWhenConfirmed(deps),
      'registration.waitlisted': recordReservationWhenWaitlisted(deps),
      'registration.offered': recordReservationWhenOffered(deps),
      'registration.rejected': recordReservationWhenRejected(deps),
      'registration.cancelled': recordReservationWhenCancelled(deps),
    }),
  ];
}
