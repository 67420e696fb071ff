import type { Handler } from '@convene/bus';
import { inviteByEmail } from '../flows/invite-by-email.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** The host resent the invitation: the same email again, marked as a reminder, with the new link. */
export function emailInviteeWhenInvitationResent(deps: ConsumerDeps): Handler<'invitation.resent'> {
  return handler<'invitation.resent'>(deps, 'email-invitee-when-invitation-resent', inviteByEmail);
}
