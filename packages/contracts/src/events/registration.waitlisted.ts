import { z } from 'zod';
import { RegistrationFacts } from './registration.confirmed.ts';

/** The event was full; the attendee is in line at `position` (1 = next). */
export const RegistrationWaitlisted = RegistrationFacts.extend({ position: z.number().int().positive() });
export type RegistrationWaitlisted = z.infer<typeof RegistrationWaitlisted>;
