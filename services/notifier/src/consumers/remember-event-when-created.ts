import type { Handler } from '@convene/bus';
import { rememberEventFacts } from '../flows/remember-people-and-events.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** Title, place, time and host of a new event, for the messages that name it. */
export function rememberEventWhenCreated(deps: ConsumerDeps): Handler<'event.created'> {
  return handler<'event.created'>(deps, 'remember-event-when-created', (d, m) => rememberEventFacts(d, m.data, m.time));
}
