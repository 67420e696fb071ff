import type { Handler } from '@convene/bus';
import { learnEvent } from '../flows/learn-attendance.ts';
import type { ConsumerDeps } from './deps.ts';

/** A cancelled event (is_active false) refuses new feedback; feedback already given stays readable. */
export function rememberEventWhenEventCancelled(deps: ConsumerDeps): Handler<'event.cancelled'> {
  return async function rememberEvent(message) {
    await learnEvent(deps.flows, message.data, new Date(message.time));
  };
}
