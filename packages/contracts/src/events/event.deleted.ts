import type { z } from 'zod';
import { EventSnapshot } from './common.ts';

/** The event is gone; the snapshot is its last state, so notices can still name it. */
export const EventDeleted = EventSnapshot;
export type EventDeleted = z.infer<typeof EventDeleted>;
