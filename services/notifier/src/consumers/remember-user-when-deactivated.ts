import type { Handler } from '@convene/bus';
import { rememberUser } from '../flows/remember-people-and-events.ts';
import type { ConsumerDeps } from './deps.ts';

/** The account is disabled; its status is kept with the rest. */
export function rememberUserWhenDeactivated(deps: ConsumerDeps): Handler<'user.deactivated'> {
  return async function rememberAccount(message, ctx) {
    const result = await rememberUser(deps.flows, message.data, message.time);
    ctx.logger.debug({ event_id: message.id, type: message.type, result }, 'remember-user-when-deactivated handled');
  };
}
