import type { Handler } from '@convene/bus';
import { tellHostAboutInvitationAnswer } from '../flows/tell-host-about-invitation-answer.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** The invitee said no: tell the host who invited. */
export function emailHostWhenInvitationDeclined(deps: ConsumerDeps): Handler<'invitation.declined'> {
  return handler<'invitation.declined'>(deps, 'email-host-when-invitation-declined', tellHostAboutInvitationAnswer);
}
