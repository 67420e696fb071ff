import type { Causes } from '@convene/domain-kit';
import { announce } from '../store/announcements.ts';
import { eventFactsFor } from '../store/event-projections.ts';
import { withdrawPending } from '../store/invitation-changes.ts';
import { closedKey, type InvitationDoc } from '../store/invitation-model.ts';
import type { FlowContext } from './context.ts';

/** The conditional update both a host's cancel and a closed event's clean-up use; null if it was no longer pending. */
export async function withdrawInvitation(
  ctx: FlowContext,
  inv: InvitationDoc,
  by: string,
  causes: Causes = {},
): Promise<InvitationDoc | null> {
  const now = ctx.now();
  const set = { status: 'cancelled' as const, open_key: closedKey(inv._id), remind_at: null, updated_at: now };
  const event = await eventFactsFor(ctx.store, inv.event_id);
  const message = announce.cancelled(inv, event, by, now, causes); // was_accepted from the state before: pending → false
  return (await withdrawPending(ctx.store, inv._id, now, set, message)) ? { ...inv, ...set } : null;
}
