import type { Handler } from '@convene/bus';
import { followEventChange } from '../flows/follow-event-change.ts';
import type { ConsumerDeps } from './deps.ts';

/** event.updated: titles, times, co-hosts; a co-host made from an accepted invitation shows on it. */
export function followEventWhenEventUpdated(deps: ConsumerDeps): Handler<'event.updated'> {
  return async function followUpdatedEvent(message) {
    await followEventChange(deps.flows, message.data, { at: new Date(message.time), changed: message.data.changed });
  };
}
