import { announce } from '../store/announcements.ts';
import { eventFactsFor } from '../store/event-projections.ts';
import { queueReminder } from '../store/invitation-changes.ts';
import { remindersDue } from '../store/invitation-queries.ts';
import type { FlowContext } from './context.ts';

/**
 * REMINDER_LEAD_MS before expiry, one invitation.reminder_due per pending invitation: the update
 * clears `remind_at` as it queues the message, so across replicas and runs it goes out once.
 */
export async function remindInviteesBeforeExpiry(ctx: FlowContext): Promise<number> {
  let reminded = 0;
  for (;;) {
    const now = ctx.now();
    const batch = await remindersDue(ctx.store, now, 200);
    if (batch.length === 0) break;
    let progressed = 0;
    for (const inv of batch) {
      const event = await eventFactsFor(ctx.store, inv.event_id);
      if (await queueReminder(ctx.store, inv, now, announce.reminderDue(inv, event, ctx.publicUrl))) progressed++;
    }
    reminded += progressed;
    if (progressed === 0) break;
  }
  return reminded;
}
