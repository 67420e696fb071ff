import { z } from 'zod';
import { EventSnapshot } from './common.ts';

/** The host deactivated the event; registrations stay on record but no one attends. */
export const EventCancelled = EventSnapshot.extend({ reason: z.string().nullable() });
export type EventCancelled = z.infer<typeof EventCancelled>;
