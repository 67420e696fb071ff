import type { KeyedHandler } from '@convene/bus';
import { tellHostAboutInvitationAnswer } from '../flows/tell-host-about-invitation-answer.ts';
import { type ConsumerDeps, mailHandler } from './deps.ts';

/** The invitee said no: tell the host who invited. */
export function emailHostWhenInvitationDeclined(deps: ConsumerDeps): KeyedHandler<'invitation.declined'> {
  return mailHandler<'invitation.declined'>(deps, 'email-host-when-invitation-declined', tellHostAboutInvitationAnswer);
}
