import type { Handler } from '@convene/bus';
import { promoteFromWaitlist } from '../flows/promote-from-waitlist.ts';
import { type ConsumerDeps, causedBy } from './deps.ts';

/**
 * A seat was freed (someone unregistered, an offer lapsed or was declined, an invitation was
 * withdrawn): the first in line gets it, asynchronously and in order. Idempotent by nature:
 * promotion only acts while seats are free and people wait.
 */
export function promoteWaitlistWhenRegistrationCancelled(deps: ConsumerDeps): Handler<'registration.cancelled'> {
  return async function promoteAfterCancellation(message) {
    if (message.data.previous_status === 'waitlisted') return; // leaving the line frees no seat
    await promoteFromWaitlist(deps.flows, message.data.event.event_id, { causes: causedBy(message) });
  };
}
