import type { Bus, Subscription } from '@convene/bus';
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

/** Every message the invitations service consumes, in one place: queue → routing key → handler. */
export async function subscribeAll(bus: Bus, deps: ConsumerDeps): Promise<Subscription[]> {
  return [
    await bus.subscribe('events', {
      'event.created': followEventWhenCreated(deps),
      'event.updated': followEventWhenUpdated(deps),
      'event.cancelled': cancelInvitationsWhenEventCancelled(deps),
      'event.deleted': cancelInvitationsWhenEventDeleted(deps),
    }),
    await bus.subscribe('reservations', {
      'registration.confirmed': recordReservationWhenConfirmed(deps),
      'registration.waitlisted': recordReservationWhenWaitlisted(deps),
      'registration.offered': recordReservationWhenOffered(deps),
      'registration.rejected': recordReservationWhenRejected(deps),
      'registration.cancelled': recordReservationWhenCancelled(deps),
    }),
  ];
}
