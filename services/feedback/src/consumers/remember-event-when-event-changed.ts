import type { Handler } from '@convene/bus';
import { learnEvent } from '../flows/learn-attendance.ts';
import type { ConsumerDeps } from './deps.ts';

/** event.created / event.updated / event.cancelled: the event's times, hosts and settings as they are now. */
export function rememberEvent(deps: ConsumerDeps): Handler<'event.created' | 'event.updated' | 'event.cancelled'> {
  return async function rememberEventHandler(message) {
    await learnEvent(deps.store, message.data, new Date(message.time));
  };
}
