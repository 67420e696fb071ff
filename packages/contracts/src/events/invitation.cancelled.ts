import { z } from 'zod';
import { Id, Timestamp } from './common.ts';
import { InvitationFacts } from './invitation.sent.ts';

/** The host withdrew the invitation; if it had been accepted, `events` releases the seat. */
export const InvitationCancelled = InvitationFacts.extend({
  cancelled_by: Id,
  cancelled_at: Timestamp,
  was_accepted: z.boolean(),
});
export type InvitationCancelled = z.infer<typeof InvitationCancelled>;
