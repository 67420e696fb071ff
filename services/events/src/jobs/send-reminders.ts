import { sendDueReminders } from '../store/maintenance.ts';
import type { Store } from '../store/store.ts';

/** event.reminder_due once per event, `leadMs` before it starts (conditional flag + outbox in one update). */
export async function sendReminders(store: Store, { leadMs, now = new Date() }: { leadMs: number; now?: Date }) {
  return { sent: await sendDueReminders(store, { leadMs, now }) };
}
