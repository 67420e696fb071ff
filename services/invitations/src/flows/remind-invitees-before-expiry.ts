import { withOutbox } from '@convene/bus';
import { announce } from '../store/announcements.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import type { FlowContext } from './context.ts';

/**
 * REMINDER_LEAD_MS before expiry, one invitation.reminder_due per pending invitation: the update
 * clears `remind_at` as it queues the message, so across replicas and runs it goes out once.
 */
export async function remindInviteesBeforeExpiry(ctx: FlowContext): Promise<number> {
  let reminded = 0;
  for (;;) {
    const now = ctx.now();
    const batch = await ctx.store.invitations
      .find({ status: 'pending', remind_at: { $ne: null, $lte: now }, expires_at: { $gt: now } }, { outbox: 0 })
      .limit(200)
      .lean<InvitationDoc[]>();
    if (batch.length === 0) break;
    let progressed = 0;
    for (const inv of batch) {
      const done = await ctx.store.invitations.updateOne(
        { _id: inv._id, status: 'pending', remind_at: inv.remind_at },
        withOutbox({ $set: { remind_at: null, reminded_at: now } }, [announce.reminderDue(inv, ctx.publicUrl)], now),
      );
      progressed += done.modifiedCount;
    }
    reminded += progressed;
    if (progressed === 0) break;
  }
  return reminded;
}
