import { z } from 'zod';
import { Timestamp } from './common.ts';
import { RegistrationFacts } from './registration.confirmed.ts';

/** Check-in recorded (`attended: true`) or undone (`false`). Feedback gates on it when the event requires check-in. */
export const RegistrationAttendanceMarked = RegistrationFacts.extend({
  attended: z.boolean(),
  marked_at: Timestamp,
});
export type RegistrationAttendanceMarked = z.infer<typeof RegistrationAttendanceMarked>;
