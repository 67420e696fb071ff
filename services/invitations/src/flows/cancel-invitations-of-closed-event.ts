import type { Causes } from '../store/announcements.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { withdraw } from './cancel-invitation.ts';
import type { FlowContext } from './context.ts';

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
    const batch = await ctx.store.invitations
      .find({ event_id: eventId, status: 'pending' }, { outbox: 0 })
      .limit(200)
      .lean<InvitationDoc[]>();
    if (batch.length === 0) return cancelled;
    for (const inv of batch) if (await withdraw(ctx, inv, by, causes)) cancelled++;
  }
}
