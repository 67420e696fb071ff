import type { Subscription } from '@convene/bus';
import type { ServiceParts } from '@convene/kit';
import { deleteFeedbackWhenEventDeleted } from './delete-feedback-when-event-deleted.ts';
import type { ConsumerDeps } from './deps.ts';
import { noteOfferWhenRegistrationOffered } from './note-offer-when-registration-offered.ts';
import { noteWaitlistedWhenRegistrationWaitlisted } from './note-waitlisted-when-registration-waitlisted.ts';
import { recordAttendanceWhenRegistrationConfirmed } from './record-attendance-when-registration-confirmed.ts';
import { recordCheckInWhenAttendanceMarked } from './record-check-in-when-attendance-marked.ts';
import { rememberEventWhenEventCancelled } from './remember-event-when-event-cancelled.ts';
import { rememberEventWhenEventCreated } from './remember-event-when-event-created.ts';
import { rememberEventWhenEventUpdated } from './remember-event-when-event-updated.ts';
import { revokeAttendanceWhenRegistrationCancelled } from './revoke-attendance-when-registration-cancelled.ts';

/**
 * Every message the feedback service consumes, in one place: queue → routing key → handler.
 * One queue, so the messages about one event and its registrations are handled in the order
 * events published them (the projection also ignores any older message arriving late). The bus
 * keeps the idempotency markers (`feedback:projection:<event type>:<envelope id>`) for every handler.
 */
export async function subscribeAll(subscribe: ServiceParts['subscribe'], deps: ConsumerDeps): Promise<Subscription[]> {
  return [
    await subscribe('projection', {
      'event.created': rememberEventWhenEventCreated(deps),
      'event.updated': rememberEventWhenEventUpdated(deps),
      'event.cancelled': rememberEventWhenEventCancelled(deps),
      'event.deleted': deleteFeedbackWhenEventDeleted(deps),
      'registration.confirmed': recordAttendanceWhenRegistrationConfirmed(deps),
      'registration.waitlisted': noteWaitlistedWhenRegistrationWaitlisted(deps),
      'registration.offered': noteOfferWhenRegistrationOffered(deps),
      'registration.cancelled': revokeAttendanceWhenRegistrationCancelled(deps),
      'registration.attendance_marked': recordCheckInWhenAttendanceMarked(deps),
    }),
  ];
}
