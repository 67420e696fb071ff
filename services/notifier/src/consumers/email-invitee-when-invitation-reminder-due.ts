import type { Handler } from '@convene/bus';
import { inviteByEmail } from '../flows/invite-by-email.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** The invitation is still pending and expires soon (invitations decides when): remind the invitee. */
export function emailInviteeWhenInvitationReminderDue(deps: ConsumerDeps): Handler<'invitation.reminder_due'> {
  return handler<'invitation.reminder_due'>(deps, 'email-invitee-when-invitation-reminder-due', inviteByEmail);
}
