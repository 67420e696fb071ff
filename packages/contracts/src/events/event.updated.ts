import { z } from 'zod';
import { EventSnapshot } from './common.ts';

/** The event after the change, with the names of the fields that changed. */
export const EventUpdated = EventSnapshot.extend({ changed: z.array(z.string()) });
export type EventUpdated = z.infer<typeof EventUpdated>;
