import { z } from 'zod';
import { EventSnapshot } from './common.ts';

/** Sent once per event, `lead_minutes` before it starts; the notifier fans out to participants. */
export const EventReminderDue = EventSnapshot.extend({ lead_minutes: z.number().int().positive() });
export type EventReminderDue = z.infer<typeof EventReminderDue>;
