import type { EventData } from '@convene/contracts';
import { rememberEvent, rememberRecipient } from '../store/projections.ts';
import type { FlowDeps } from './deps.ts';

/** user.*: who a user is, for addressing, greeting and their inbox (never a call to auth). */
export function rememberUser(
  deps: FlowDeps,
  user: EventData<'user.updated'> | EventData<'user.registered'>,
  time: string,
) {
  return rememberRecipient(deps.store, user, new Date(time));
}

/** event.*: the event as it is now (invitation and feedback messages carry only its id and title). */
export function rememberEventFacts(deps: FlowDeps, event: EventData<'event.created'>, time: string) {
  return rememberEvent(deps.store, event, new Date(time));
}
