import { type Handler, once } from '@convene/bus';
import { reserveForInvitation } from '../store/invitation-reservations.ts';
import { type ConsumerDeps, movesFor } from './deps.ts';

/**
 * An invitee accepted: reserve a seat (VIP/bypass invitations: confirmed over capacity), or a
 * place on the waitlist, or record a rejection — answered with registration.confirmed |
 * waitlisted | rejected carrying the invitation id. Once per envelope id (`once`), and once per
 * invitation by business key (one registration per person per event), so redelivery is harmless.
 */
export function reserveSeatWhenInvitationAccepted(deps: ConsumerDeps): Handler<'invitation.accepted'> {
  return async function reserveSeat(message, ctx) {
    await once(deps.moves.store.connection, 'events:reserve-seat', message.id, async () => {
      const outcome = await reserveForInvitation(movesFor(deps, message), message.data);
      ctx.logger.info(
        { invitation_id: message.data.invitation_id, event_id: message.data.event_id, outcome },
        'invitation.accepted handled',
      );
    });
    deps.nudge();
  };
}
