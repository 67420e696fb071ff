import { type Handler, once } from '@convene/bus';
import { releaseForInvitation } from '../store/invitation-reservations.ts';
import { type ConsumerDeps, movesFor } from './deps.ts';

/**
 * The host withdrew an invitation: the seat (or place in line) it produced is given back — the
 * next in line is promoted from the registration.cancelled this announces — and a co-host
 * invitation's co-host is removed. The invitee can no longer read an invite-only event.
 */
export function releaseSeatWhenInvitationCancelled(deps: ConsumerDeps): Handler<'invitation.cancelled'> {
  return async function releaseSeat(message, ctx) {
    await once(deps.moves.store.connection, 'events:release-seat', message.id, async () => {
      const outcome = await releaseForInvitation(movesFor(deps, message), message.data);
      ctx.logger.info({ invitation_id: message.data.invitation_id, outcome }, 'invitation.cancelled handled');
    });
    deps.nudge();
  };
}
