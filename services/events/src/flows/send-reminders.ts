import { withOutbox } from '@convene/bus';
import { announce } from '../store/announcements.ts';
import type { EventDoc } from '../store/event-model.ts';
import { jobQueries } from '../store/job-queries.ts';
import type { FlowContext } from './context.ts';

/**
 * event.reminder_due once per event, `leadMs` before it starts: the flag and the envelope are one
 * conditional update, so replicas racing on the same event announce it once. Moving the start
 * re-arms it (update-event clears the flag).
 */
export async function sendReminders(
  ctx: FlowContext,
  { leadMs, batch = 100 }: { leadMs: number; batch?: number },
): Promise<{ sent: number }> {
  const now = ctx.now();
  const due = await ctx.store.events
    .find(jobQueries.dueReminders(now, leadMs), { search_terms: 0, location_terms: 0, outbox: 0, txns: 0 })
    .limit(batch)
    .lean<EventDoc[]>();
  let sent = 0;
  const leadMinutes = Math.max(1, Math.round(leadMs / 60_000));
  for (const event of due) {
    const done = await ctx.store.events.updateOne(
      { _id: event._id, reminder_sent: false, start_time: event.start_time },
      withOutbox({ $set: { reminder_sent: true } }, [announce.reminderDue(event, leadMinutes)], now),
    );
    sent += done.modifiedCount;
  }
  return { sent };
}
