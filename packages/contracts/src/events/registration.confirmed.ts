import { z } from 'zod';
import { EventSnapshot, Id, Person, Timestamp } from './common.ts';

export const RegistrationFacts = z.object({
  registration_id: Id,
  event: EventSnapshot,
  attendee: Person,
  /** Set when the seat came from an accepted invitation. */
  invitation_id: Id.nullable(),
});

/** A seat is held for the attendee. `promoted` when it came off the waitlist. */
export const RegistrationConfirmed = RegistrationFacts.extend({
  promoted: z.boolean(),
  bypassed_capacity: z.boolean(),
  registered_at: Timestamp,
});
export type RegistrationConfirmed = z.infer<typeof RegistrationConfirmed>;
