import type { Handler } from '@convene/bus';
import { tellHostAboutInvitationAnswer } from '../flows/tell-host-about-invitation-answer.ts';
import type { ConsumerDeps } from './deps.ts';

/** The invitee said no: tell the host who invited. */
export function emailHostWhenInvitationDeclined(deps: ConsumerDeps): Handler<'invitation.declined'> {
  return async function emailHost(message, ctx) {
    const result = await tellHostAboutInvitationAnswer(deps.flows, message);
    ctx.logger.debug(
      { event_id: message.id, type: message.type, result },
      'email-host-when-invitation-declined handled',
    );
  };
}
