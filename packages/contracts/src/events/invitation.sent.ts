import { z } from 'zod';
import { Id, InvitationRole, Person, Timestamp, TimeZoneName } from './common.ts';

export const InvitationFacts = z.object({
  invitation_id: Id,
  event_id: Id,
  event_title: z.string(),
  event_start_time: Timestamp,
  /** Added after version 1: older messages have no end and read as UTC. */
  event_end_time: Timestamp.optional(),
  event_timezone: TimeZoneName.default('UTC'),
  invitee: Person,
  invited_by: Person.extend({ user_id: Id }),
  role: InvitationRole,
  is_vip: z.boolean(),
  bypass_capacity: z.boolean(),
});

/**
 * An invitation was created; the notifier emails the link. The token never travels in clear:
 * `invite_url` is the page's address without it, and `sealed_token` is the token sealed with the
 * key invitations and the notifier share (INVITATION_LINK_KEY); the link is
 * `invite_url + openSealedToken(sealed_token, key, invitation_id)` (see sealed-token.ts and
 * docs/decisions/0040-invitation-link-sealed-in-the-message.md).
 */
export const InvitationSent = InvitationFacts.extend({
  message: z.string(),
  invite_url: z.url(),
  sealed_token: z.string().min(1).optional(),
  expires_at: Timestamp,
});
export type InvitationSent = z.infer<typeof InvitationSent>;
