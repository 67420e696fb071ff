import type { Handler } from '@convene/bus';
import { attachInboxOnRegistration } from '../flows/attach-inbox-on-registration.ts';
import { rememberUser } from '../flows/remember-people-and-events.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/**
 * A new account: its email and name, for addressing and the inbox; and the mail already sent to
 * that address (invitations before the account existed) joins its inbox.
 */
export function rememberUserWhenRegistered(deps: ConsumerDeps): Handler<'user.registered'> {
  return handler<'user.registered'>(deps, 'remember-user-when-registered', async (d, m) => {
    await rememberUser(d, m.data, m.time);
    return attachInboxOnRegistration(d, m.data);
  });
}
