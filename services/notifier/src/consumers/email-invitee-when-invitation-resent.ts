import type { Handler } from '@convene/bus';
import { inviteByEmail } from '../flows/invite-by-email.ts';
import type { ConsumerDeps } from './deps.ts';

/** The host resent the invitation: the same email again, marked as a reminder, with the new link. */
export function emailInviteeWhenInvitationResent(deps: ConsumerDeps): Handler<'invitation.resent'> {
  return async function emailInvitee(message, ctx) {
    const result = await inviteByEmail(deps.flows, message);
    ctx.logger.debug(
      { event_id: message.id, type: message.type, result },
      'email-invitee-when-invitation-resent handled',
    );
  };
}
