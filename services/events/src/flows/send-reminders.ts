import { eventsDueForReminder, markReminderSent } from '../store/reminders.ts';
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
  const due = await eventsDueForReminder(ctx.store, now, leadMs, batch);
  let sent = 0;
  const leadMinutes = Math.max(1, Math.round(leadMs / 60_000));
  for (const event of due) if (await markReminderSent(ctx.store, event, leadMinutes, now)) sent++;
  return { sent };
}
