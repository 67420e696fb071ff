import type { Bus, Subscription } from '@convene/bus';
import type { ConsumerDeps } from './deps.ts';
import { promoteWaitlistWhenEventUpdated } from './promote-waitlist-when-capacity-raised.ts';
import { promoteWaitlistWhenRegistrationCancelled } from './promote-waitlist-when-registration-cancelled.ts';
import { releaseSeatWhenInvitationCancelled } from './release-seat-when-invitation-cancelled.ts';
import { rememberInviteeWhenInvitationSent } from './remember-invitee-when-invitation-sent.ts';
import { reserveSeatWhenInvitationAccepted } from './reserve-seat-when-invitation-accepted.ts';

/** Every message the events service consumes, in one place: queue → routing key → handler. */
export async function subscribeAll(bus: Bus, deps: ConsumerDeps): Promise<Subscription[]> {
  return [
    await bus.subscribe('reservations', {
      'invitation.sent': rememberInviteeWhenInvitationSent(deps),
      'invitation.accepted': reserveSeatWhenInvitationAccepted(deps),
      'invitation.cancelled': releaseSeatWhenInvitationCancelled(deps),
    }),
    await bus.subscribe('waitlist', {
      'registration.cancelled': promoteWaitlistWhenRegistrationCancelled(deps),
      'event.updated': promoteWaitlistWhenEventUpdated(deps),
    }),
  ];
}
