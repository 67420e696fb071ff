import type { KeyedHandler } from '@convene/bus';
import { inviteByEmail } from '../flows/invite-by-email.ts';
import { type ConsumerDeps, mailHandler } from './deps.ts';

/** The invitation is still pending and expires soon (invitations decides when): remind the invitee. */
export function emailInviteeWhenInvitationReminderDue(deps: ConsumerDeps): KeyedHandler<'invitation.reminder_due'> {
  return mailHandler<'invitation.reminder_due'>(deps, 'email-invitee-when-invitation-reminder-due', inviteByEmail);
}
