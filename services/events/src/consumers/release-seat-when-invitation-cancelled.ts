import type { Handler } from '@convene/bus';
import { causedByMessage } from '@convene/domain-kit';
import { releaseSeatForCancelledInvitation } from '../flows/release-seat-for-cancelled-invitation.ts';
import type { ConsumerDeps } from './deps.ts';

/**
 * The host withdrew an invitation: the seat (or place in line) it produced is given back — the
 * next in line is promoted from the registration.cancelled this announces — and a co-host
 * invitation's co-host is removed. The invitee can no longer read an invite-only event.
 */
export function releaseSeatWhenInvitationCancelled(deps: ConsumerDeps): Handler<'invitation.cancelled'> {
  return async function releaseSeat(message, ctx) {
    const outcome = await releaseSeatForCancelledInvitation(deps.flows, message.data, causedByMessage(message));
    ctx.logger.info({ invitation_id: message.data.invitation_id, outcome }, 'invitation.cancelled handled');
  };
}
