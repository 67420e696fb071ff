import { z } from 'zod';
import { Id, InvitationRole, Person, Timestamp } from './common.ts';

export const InvitationFacts = z.object({
  invitation_id: Id,
  event_id: Id,
  event_title: z.string(),
  event_start_time: Timestamp,
  invitee: Person,
  invited_by: Person.extend({ user_id: Id }),
  role: InvitationRole,
  is_vip: z.boolean(),
  bypass_capacity: z.boolean(),
});

/** An invitation was created; the notifier emails `invite_url` (which carries the token). */
export const InvitationSent = InvitationFacts.extend({
  message: z.string(),
  invite_url: z.url(),
  expires_at: Timestamp,
});
export type InvitationSent = z.infer<typeof InvitationSent>;
