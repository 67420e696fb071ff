import type { Handler } from '@convene/bus';
import { followEventChange } from '../flows/follow-event-change.ts';
import type { ConsumerDeps } from './deps.ts';

/** event.created: the projection learns the event (hosts, title, time) before anyone invites to it. */
export function followEventWhenEventCreated(deps: ConsumerDeps): Handler<'event.created'> {
  return async function followCreatedEvent(message) {
    await followEventChange(deps.flows, message.data, { at: new Date(message.time) });
  };
}
