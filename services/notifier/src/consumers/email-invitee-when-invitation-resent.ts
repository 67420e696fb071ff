import type { KeyedHandler } from '@convene/bus';
import { inviteByEmail } from '../flows/invite-by-email.ts';
import { type ConsumerDeps, mailHandler } from './deps.ts';

/** The host resent the invitation: the same email again, marked as a reminder, with the new link. */
export function emailInviteeWhenInvitationResent(deps: ConsumerDeps): KeyedHandler<'invitation.resent'> {
  return mailHandler<'invitation.resent'>(deps, 'email-invitee-when-invitation-resent', inviteByEmail);
}
