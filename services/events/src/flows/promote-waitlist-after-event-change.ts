import type { EventUpdated } from '@convene/contracts';
import type { Causes } from '@convene/domain-kit';
import type { FlowContext } from './context.ts';
import { promoteFromWaitlist } from './promote-from-waitlist.ts';

/** Edits that can free seats: more capacity, or the event reopened. */
const seatOpeningFields = ['max_participants', 'is_active'];

/**
 * event.updated: when the host raised the capacity or reopened the event, the new seats go to the
 * waitlist first. Any other edit frees no seat and changes nothing. Returns how many were promoted.
 */
export async function promoteWaitlistAfterEventChange(
  ctx: FlowContext,
  data: Pick<EventUpdated, 'event_id' | 'changed'>,
  causes?: Causes,
): Promise<number> {
  if (!data.changed.some((field) => seatOpeningFields.includes(field))) return 0;
  return promoteFromWaitlist(ctx, data.event_id, { causes });
}
