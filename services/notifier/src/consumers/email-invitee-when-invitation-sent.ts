import type { Handler } from '@convene/bus';
import { inviteByEmail } from '../flows/invite-by-email.ts';
import type { ConsumerDeps } from './deps.ts';

/** The accept link, the host's message and the event, to the invitee (and a real-time notice). */
export function emailInviteeWhenInvitationSent(deps: ConsumerDeps): Handler<'invitation.sent'> {
  return async function emailInvitee(message, ctx) {
    const result = await inviteByEmail(deps.flows, message);
    ctx.logger.debug(
      { event_id: message.id, type: message.type, result },
      'email-invitee-when-invitation-sent handled',
    );
  };
}
