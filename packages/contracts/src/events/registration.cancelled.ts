import { z } from 'zod';
import { RegistrationFacts } from './registration.confirmed.ts';

export const CancellationReason = z.enum([
  'unregistered',
  'left_waitlist',
  'offer_lapsed',
  'invitation_cancelled',
  'event_deleted',
]);

/** The attendee no longer holds (or waits for) a seat. */
export const RegistrationCancelled = RegistrationFacts.extend({
  previous_status: z.enum(['confirmed', 'waitlisted', 'offered']),
  reason: CancellationReason,
});
export type RegistrationCancelled = z.infer<typeof RegistrationCancelled>;
