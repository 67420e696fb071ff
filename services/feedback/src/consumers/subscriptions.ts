import type { Subscription } from '@convene/bus';
import type { ServiceParts } from '@convene/kit';
import { deleteFeedbackWhenEventDeleted } from './delete-feedback-when-event-deleted.ts';
import type { ConsumerDeps } from './deps.ts';
import { noteOffer } from './note-offer-when-registration-offered.ts';
import { noteWaitlisted } from './note-waitlisted-when-registration-waitlisted.ts';
import { recordAttendance } from './record-attendance-when-registration-confirmed.ts';
import { recordCheckIn } from './record-check-in-when-attendance-marked.ts';
import { rememberEvent } from './remember-event-when-event-changed.ts';
import { revokeAttendance } from './revoke-attendance-when-registration-cancelled.ts';

/**
 * Every message the feedback service consumes, in one place: queue → routing key → handler.
 * One queue, so the messages about one event and its registrations are handled in the order
 * events published them (the projection also ignores any older message arriving late). The bus
 * keeps the idempotency markers (`feedback:projection:<event type>:<envelope id>`).
 */
export async function subscribeAll(subscribe: ServiceParts['subscribe'], deps: ConsumerDeps): Promise<Subscription[]> {
  return [
    await subscribe('projection', {
      'event.created': rememberEvent(deps),
      'event.updated': rememberEvent(deps),
      'event.cancelled': rememberEvent(deps),
      'event.deleted': deleteFeedbackWhenEventDeleted(deps),
      'registration.confirmed': recordAttendance(deps),
      'registration.waitlisted': noteWaitlisted(deps),
      'registration.offered': noteOffer(deps),
      'registration.cancelled': revokeAttendance(deps),
      'registration.attendance_marked': recordCheckIn(deps),
    }),
  ];
}
