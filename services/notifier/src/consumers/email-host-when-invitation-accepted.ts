import type { KeyedHandler } from '@convene/bus';
import { tellHostAboutInvitationAnswer } from '../flows/tell-host-about-invitation-answer.ts';
import { type ConsumerDeps, mailHandler } from './deps.ts';

/** The invitee said yes: tell the host who invited. */
export function emailHostWhenInvitationAccepted(deps: ConsumerDeps): KeyedHandler<'invitation.accepted'> {
  return mailHandler<'invitation.accepted'>(deps, 'email-host-when-invitation-accepted', tellHostAboutInvitationAnswer);
}
