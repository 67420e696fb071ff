import type { Handler } from '@convene/bus';
import { causedByMessage } from '@convene/domain-kit';
import { promoteWaitlistAfterCancellation } from '../flows/promote-waitlist-after-cancellation.ts';
import type { ConsumerDeps } from './deps.ts';

/**
 * A seat was freed (someone unregistered, an offer lapsed or was declined, an invitation was
 * withdrawn): the first in line gets it, asynchronously and in order. Idempotent by nature:
 * promotion only acts while seats are free and people wait.
 */
export function promoteWaitlistWhenRegistrationCancelled(deps: ConsumerDeps): Handler<'registration.cancelled'> {
  return async function promoteAfterCancellation(message) {
    await promoteWaitlistAfterCancellation(deps.flows, message.data, causedByMessage(message));
  };
}
