import type { RegistrationCancelled } from '@convene/contracts';
import type { Causes } from '@convene/domain-kit';
import type { FlowContext } from './context.ts';
import { promoteFromWaitlist } from './promote-from-waitlist.ts';

/**
 * registration.cancelled: the seat someone gave back (they unregistered, an offer lapsed or was
 * declined, an invitation was withdrawn) goes to the first in line. Leaving the line frees no seat.
 * Returns how many were promoted.
 */
export async function promoteWaitlistAfterCancellation(
  ctx: FlowContext,
  data: Pick<RegistrationCancelled, 'event' | 'previous_status'>,
  causes?: Causes,
): Promise<number> {
  if (data.previous_status === 'waitlisted') return 0;
  return promoteFromWaitlist(ctx, data.event.event_id, { causes });
}
