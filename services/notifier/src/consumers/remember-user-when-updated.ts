import type { Handler } from '@convene/bus';
import { rememberUser } from '../flows/remember-people-and-events.ts';
import type { ConsumerDeps } from './deps.ts';

/** Profile, email or status changed: mail goes to the new address. */
export function rememberUserWhenUpdated(deps: ConsumerDeps): Handler<'user.updated'> {
  return async function rememberAccount(message, ctx) {
    const result = await rememberUser(deps.flows, message.data, message.time);
    ctx.logger.debug({ event_id: message.id, type: message.type, result }, 'remember-user-when-updated handled');
  };
}
