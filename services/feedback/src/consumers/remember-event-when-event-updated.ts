import type { Handler } from '@convene/bus';
import { learnEvent } from '../flows/learn-attendance.ts';
import type { ConsumerDeps } from './deps.ts';

/** An event changed: its times, hosts and settings as they are now (an older message never overwrites a newer one). */
export function rememberEventWhenEventUpdated(deps: ConsumerDeps): Handler<'event.updated'> {
  return async function rememberEvent(message) {
    await learnEvent(deps.flows, message.data, new Date(message.time));
  };
}
