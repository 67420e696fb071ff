import type { Handler } from '@convene/bus';
import { rememberNewAccount } from '../flows/remember-people-and-events.ts';
import type { ConsumerDeps } from './deps.ts';

/** A new account: who it is, and the mail already sent to its address joins its inbox. */
export function rememberUserWhenRegistered(deps: ConsumerDeps): Handler<'user.registered'> {
  return async function rememberUser(message, ctx) {
    const result = await rememberNewAccount(deps.flows, message.data, message.time);
    ctx.logger.debug({ event_id: message.id, type: message.type, result }, 'remember-user-when-registered handled');
  };
}
