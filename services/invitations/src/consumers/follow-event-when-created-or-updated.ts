import type { Handler } from '@convene/bus';
import { followEventChange } from '../flows/follow-event-changes.ts';
import type { ConsumerDeps } from './deps.ts';

/** event.created: the projection learns the event (hosts, title, time) before anyone invites to it. */
export function followEventWhenCreated(deps: ConsumerDeps): Handler<'event.created'> {
  return async function followCreatedEvent(message) {
    await followEventChange(deps, message.data, { at: new Date(message.time) });
  };
}

/** event.updated: titles, times, co-hosts; a co-host made from an accepted invitation shows on it. */
export function followEventWhenUpdated(deps: ConsumerDeps): Handler<'event.updated'> {
  return async function followUpdatedEvent(message) {
    await followEventChange(deps, message.data, { at: new Date(message.time), changed: message.data.changed });
  };
}
