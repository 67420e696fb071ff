import type { KeyedHandler } from '@convene/bus';
import { inviteByEmail } from '../flows/invite-by-email.ts';
import { type ConsumerDeps, mailHandler } from './deps.ts';

/** The accept link, the host's message and the event, to the invitee (and a real-time notice). */
export function emailInviteeWhenInvitationSent(deps: ConsumerDeps): KeyedHandler<'invitation.sent'> {
  return mailHandler<'invitation.sent'>(deps, 'email-invitee-when-invitation-sent', inviteByEmail);
}
