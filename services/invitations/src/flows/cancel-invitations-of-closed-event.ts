import type { Causes } from '@convene/domain-kit';
import { pendingOfEvent } from '../store/invitation-queries.ts';
import type { FlowContext } from './context.ts';
import { withdrawInvitation } from './withdraw-invitation.ts';

/**
 * The event was cancelled or deleted: every invitation still pending is cancelled (by the host),
 * each with its invitation.cancelled. Idempotent: only pending ones are touched, so a redelivered
 * message finds nothing left to do.
 */
export async function cancelInvitationsOfClosedEvent(
  ctx: FlowContext,
  { eventId, by }: { eventId: string; by: string },
  causes: Causes = {},
): Promise<number> {
  let cancelled = 0;
  for (;;) {
    const batch = await pendingOfEvent(ctx.store, eventId, 200);
    if (batch.length === 0) return cancelled;
    for (const inv of batch) if (await withdrawInvitation(ctx, inv, by, causes)) cancelled++;
  }
}
