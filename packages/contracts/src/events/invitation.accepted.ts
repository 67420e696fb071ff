import { z } from 'zod';
import { Timestamp } from './common.ts';
import { InvitationFacts } from './invitation.sent.ts';

/**
 * The invitee said yes. `events` reserves a seat (or confirms without a capacity check when
 * `bypass_capacity`) and answers with registration.confirmed | waitlisted | rejected.
 */
export const InvitationAccepted = InvitationFacts.extend({
  phone: z.string().nullable(),
  accepted_at: Timestamp,
});
export type InvitationAccepted = z.infer<typeof InvitationAccepted>;
