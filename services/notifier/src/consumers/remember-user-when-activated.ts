import type { Handler } from '@convene/bus';
import { rememberUser } from '../flows/remember-people-and-events.ts';
import type { ConsumerDeps } from './deps.ts';

/** The account is active (e.g. after set-password). */
export function rememberUserWhenActivated(deps: ConsumerDeps): Handler<'user.activated'> {
  return async function rememberAccount(message, ctx) {
    const result = await rememberUser(deps.flows, message.data, message.time);
    ctx.logger.debug({ event_id: message.id, type: message.type, result }, 'remember-user-when-activated handled');
  };
}
