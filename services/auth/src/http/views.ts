import { invitationIsExpired } from '../domain/invitation.ts';
import type { User } from '../domain/user.ts';

/** The account as its owner and other clients see it (the legacy events API's field names, plus role and status). */
export function userView(user: User) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    first_name: user.first_name,
    last_name: user.last_name,
    role: user.role,
    status: user.status,
    is_active: user.status === 'active',
    date_joined: user.created_at.toISOString(),
    last_login: user.last_login_at?.toISOString() ?? null,
    timezone: user.timezone,
    locale: user.locale,
  };
}

/** What admins see: the account plus where its invitation stands (the legacy user-invitation API's "invitation status" of inactive users). */
export function adminUserView(user: User, now: Date) {
  return {
    ...userView(user),
    invitation: user.invitation
      ? {
          sent_at: user.invitation.sent_at.toISOString(),
          expires_at: user.invitation.expires_at.toISOString(),
          is_expired: invitationIsExpired(user.invitation, now),
          send_count: user.invitation.send_count,
        }
      : null,
  };
}
