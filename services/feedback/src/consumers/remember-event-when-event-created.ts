import type { Handler } from '@convene/bus';
import { learnEvent } from '../flows/learn-attendance.ts';
import type { ConsumerDeps } from './deps.ts';

/** A new event: its times, hosts and settings, so feedback needs no read-through to events. */
export function rememberEventWhenEventCreated(deps: ConsumerDeps): Handler<'event.created'> {
  return async function rememberEvent(message) {
    await learnEvent(deps.flows, message.data, new Date(message.time));
  };
}
