import type { Handler } from '@convene/bus';
import { inviteByEmail } from '../flows/invite-by-email.ts';
import type { ConsumerDeps } from './deps.ts';

/** The invitation is still pending and expires soon (invitations decides when): remind the invitee. */
export function emailInviteeWhenInvitationReminderDue(deps: ConsumerDeps): Handler<'invitation.reminder_due'> {
  return async function emailInvitee(message, ctx) {
    const result = await inviteByEmail(deps.flows, message);
    ctx.logger.debug(
      { event_id: message.id, type: message.type, result },
      'email-invitee-when-invitation-reminder-due handled',
    );
  };
}
