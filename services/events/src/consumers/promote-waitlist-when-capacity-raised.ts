import type { Handler } from '@convene/bus';
import { promoteFromWaitlist } from '../flows/promote-from-waitlist.ts';
import { type ConsumerDeps, causedBy } from './deps.ts';

/** The host raised the capacity (or reopened the event): the new seats go to the waitlist first. */
export function promoteWaitlistWhenEventUpdated(deps: ConsumerDeps): Handler<'event.updated'> {
  return async function promoteAfterCapacityChange(message) {
    const changed = message.data.changed;
    if (!changed.includes('max_participants') && !changed.includes('is_active')) return;
    await promoteFromWaitlist(deps.flows, message.data.event_id, { causes: causedBy(message) });
  };
}
