import type { Handler } from '@convene/bus';
import { rememberDeletedEvent } from '../flows/remember-people-and-events.ts';
import type { ConsumerDeps } from './deps.ts';

/** The event is gone; its last state stays so late messages can still name it. */
export function rememberEventWhenDeleted(deps: ConsumerDeps): Handler<'event.deleted'> {
  return async function rememberEvent(message, ctx) {
    const result = await rememberDeletedEvent(deps.flows, message.data, message.time);
    ctx.logger.debug({ event_id: message.id, type: message.type, result }, 'remember-event-when-deleted handled');
  };
}
