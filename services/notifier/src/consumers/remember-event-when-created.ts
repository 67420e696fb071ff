import type { Handler } from '@convene/bus';
import { rememberEventFacts } from '../flows/remember-people-and-events.ts';
import type { ConsumerDeps } from './deps.ts';

/** Title, place, time and host of a new event, for the messages that name it. */
export function rememberEventWhenCreated(deps: ConsumerDeps): Handler<'event.created'> {
  return async function rememberEvent(message, ctx) {
    const result = await rememberEventFacts(deps.flows, message.data, message.time);
    ctx.logger.debug({ event_id: message.id, type: message.type, result }, 'remember-event-when-created handled');
  };
}
