import type { Handler } from '@convene/bus';
import { sendSetPasswordLink } from '../flows/send-set-password-link.ts';
import type { ConsumerDeps } from './deps.ts';

/** An admin created an inactive account (or asked for a new link): email its set-password link. */
export function sendSetPasswordLinkWhenUserInvited(deps: ConsumerDeps): Handler<'user.invited'> {
  return async function mailSetPasswordLink(message, ctx) {
    const result = await sendSetPasswordLink(deps.flows, message);
    ctx.logger.debug(
      { event_id: message.id, type: message.type, result },
      'send-set-password-link-when-user-invited handled',
    );
  };
}
