import type { Handler } from '@convene/bus';
import { causedByMessage } from '@convene/domain-kit';
import { promoteWaitlistAfterEventChange } from '../flows/promote-waitlist-after-event-change.ts';
import type { ConsumerDeps } from './deps.ts';

/** The host raised the capacity (or reopened the event): the new seats go to the waitlist first. */
export function promoteWaitlistWhenEventUpdated(deps: ConsumerDeps): Handler<'event.updated'> {
  return async function promoteAfterEventChange(message) {
    await promoteWaitlistAfterEventChange(deps.flows, message.data, causedByMessage(message));
  };
}
