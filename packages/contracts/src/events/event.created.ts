import type { z } from 'zod';
import { EventSnapshot } from './common.ts';

export const EventCreated = EventSnapshot;
export type EventCreated = z.infer<typeof EventCreated>;
