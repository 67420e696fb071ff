import { z } from 'zod';
import { Id, Person, Timestamp, UserSnapshot } from './common.ts';

/**
 * An admin created an inactive account; the notifier emails the set-password link.
 * The link carries the single-use token: the bus is trusted infrastructure, and the token is
 * stored only hashed by auth, so this message is the one place it exists in clear.
 */
export const UserInvited = UserSnapshot.extend({
  invited_by: Person.extend({ user_id: Id }).nullable(),
  set_password_url: z.url(),
  expires_at: Timestamp,
  resend: z.boolean(),
});
export type UserInvited = z.infer<typeof UserInvited>;
