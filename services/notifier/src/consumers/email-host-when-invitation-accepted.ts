import type { Handler } from '@convene/bus';
import { tellHostAboutInvitationAnswer } from '../flows/tell-host-about-invitation-answer.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** The invitee said yes: tell the host who invited. */
export function emailHostWhenInvitationAccepted(deps: ConsumerDeps): Handler<'invitation.accepted'> {
  return handler<'invitation.accepted'>(deps, 'email-host-when-invitation-accepted', tellHostAboutInvitationAnswer);
}
