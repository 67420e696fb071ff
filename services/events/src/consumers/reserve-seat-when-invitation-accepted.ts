import type { Handler } from '@convene/bus';
import { causedByMessage } from '@convene/domain-kit';
import { reserveSeatForAcceptedInvitation } from '../flows/reserve-seat-for-accepted-invitation.ts';
import type { ConsumerDeps } from './deps.ts';

/**
 * An invitee accepted: reserve a seat (VIP/bypass invitations: confirmed over capacity), or a
 * place on the waitlist, or record a rejection — answered with registration.confirmed |
 * waitlisted | rejected carrying the invitation id. Once per envelope id (the bus's marker), and
 * once per invitation by business key (one registration per person per event), so redelivery is
 * harmless.
 */
export function reserveSeatWhenInvitationAccepted(deps: ConsumerDeps): Handler<'invitation.accepted'> {
  return async function reserveSeat(message, ctx) {
    const outcome = await reserveSeatForAcceptedInvitation(deps.flows, message.data, causedByMessage(message));
    ctx.logger.info(
      { invitation_id: message.data.invitation_id, event_id: message.data.event_id, outcome },
      'invitation.accepted handled',
    );
  };
}
