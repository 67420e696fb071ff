import type { ServiceParts } from '@convene/kit';
import type { ConsumerDeps } from './deps.ts';
import { promoteWaitlistWhenEventUpdated } from './promote-waitlist-when-event-updated.ts';
import { promoteWaitlistWhenRegistrationCancelled } from './promote-waitlist-when-registration-cancelled.ts';
import { releaseSeatWhenInvitationCancelled } from './release-seat-when-invitation-cancelled.ts';
import { rememberInviteeWhenInvitationSent } from './remember-invitee-when-invitation-sent.ts';
import { reserveSeatWhenInvitationAccepted } from './reserve-seat-when-invitation-accepted.ts';

/**
 * Every message the events service consumes, in one place: queue → routing key → handler. The
 * bus keeps a once-marker per envelope for the seat handlers; the invitee projection (an upsert)
 * and promotion (acts only while seats are free and people wait) are idempotent by nature and
 * keep none.
 */
export async function subscribeAll(subscribe: ServiceParts['subscribe'], deps: ConsumerDeps): Promise<void> {
  await subscribe('reservations', {
    'invitation.sent': { handle: rememberInviteeWhenInvitationSent(deps), markers: false },
    'invitation.accepted': reserveSeatWhenInvitationAccepted(deps),
    'invitation.cancelled': releaseSeatWhenInvitationCancelled(deps),
  });
  await subscribe('waitlist', {
    'registration.cancelled': { handle: promoteWaitlistWhenRegistrationCancelled(deps), markers: false },
    'event.updated': { handle: promoteWaitlistWhenEventUpdated(deps), markers: false },
  });
}
