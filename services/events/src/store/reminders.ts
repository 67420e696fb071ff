import { withOutbox } from '@convene/bus';
import { announce } from './announcements.ts';
import type { EventDoc } from './event-model.ts';
import { jobQueries } from './job-queries.ts';
import type { Store } from './store.ts';

/** Active events starting within `leadMs` whose reminder has not gone out (index events {reminder_sent, start_time}). */
export async function eventsDueForReminder(
  store: Store,
  now: Date,
  leadMs: number,
  batch: number,
): Promise<EventDoc[]> {
  return store.events
    .find(jobQueries.dueReminders(now, leadMs), { search_terms: 0, location_terms: 0, outbox: 0, txns: 0 })
    .limit(batch)
    .lean<EventDoc[]>();
}

/**
 * The reminder flag and event.reminder_due in one update, conditional on the start it was due
 * for: replicas racing on the same event announce it once. False when another did (or the start moved).
 */
export async function markReminderSent(
  store: Store,
  event: EventDoc,
  leadMinutes: number,
  now: Date,
): Promise<boolean> {
  const done = await store.events.updateOne(
    { _id: event._id, reminder_sent: false, start_time: event.start_time },
    withOutbox({ $set: { reminder_sent: true } }, [announce(store).reminderDue(event, leadMinutes)], now),
  );
  return done.modifiedCount === 1;
}
