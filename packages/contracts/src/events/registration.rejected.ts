import { z } from 'zod';
import { Id, Person } from './common.ts';

/** A reservation asked for over the bus (an accepted invitation) could not be made. */
export const RegistrationRejected = z.object({
  event_id: Id,
  invitation_id: Id.nullable(),
  attendee: Person,
  reason: z.enum(['full', 'event_past', 'event_inactive', 'event_not_found']),
});
export type RegistrationRejected = z.infer<typeof RegistrationRejected>;
