import type { Handler } from '@convene/bus';
import { promoteWaitlist } from '../store/promotion.ts';
import { type ConsumerDeps, movesFor } from './deps.ts';

/** The host raised the capacity (or reopened the event): the new seats go to the waitlist first. */
export function promoteWaitlistWhenEventUpdated(deps: ConsumerDeps): Handler<'event.updated'> {
  return async function promoteAfterCapacityChange(message) {
    const changed = message.data.changed;
    if (!changed.includes('max_participants') && !changed.includes('is_active')) return;
    const promoted = await promoteWaitlist(movesFor(deps, message), message.data.event_id);
    if (promoted > 0) deps.nudge();
  };
}
