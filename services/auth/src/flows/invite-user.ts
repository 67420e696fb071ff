import { randomUUID } from 'node:crypto';
import { type Role, USERNAME_PATTERN, type User } from '../domain/user.ts';
import { DuplicateUserError, duplicateErrors, throwIfAny } from '../errors.ts';
import { announce } from '../store/announcements.ts';
import type { VersionedUser } from '../store/users.ts';
import type { FlowContext, Policy } from './context.ts';
import { issueInvitationLink } from './issue-invitation-link.ts';

export interface NewInvitedUser {
  email: string;
  username?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
  role?: Role | undefined;
}

/** A username for an invitee who was not given one: the email when it fits the alphabet. */
function defaultUsername(email: string): string {
  return USERNAME_PATTERN.test(email) ? email : email.replace(/[^\p{L}\p{N}@.+\-_]/gu, '_');
}

/**
 * An admin creates an account that cannot sign in yet: status "invited", no password, and a
 * single-use set-password link (7 days by default) whose token exists in clear only in the
 * user.invited message the notifier turns into an email.
 */
export async function inviteUser(
  ctx: Pick<FlowContext, 'users' | 'now'> & { policy: Pick<Policy, 'invitationTtlMs' | 'setPasswordUrlBase'> },
  admin: User,
  input: NewInvitedUser,
): Promise<VersionedUser> {
  const username = input.username ?? defaultUsername(input.email);
  throwIfAny(duplicateErrors(await ctx.users.taken({ username, email: input.email })));

  const now = ctx.now();
  const { invitation, link } = issueInvitationLink(ctx, admin, 1, now);
  const fields = {
    id: randomUUID(),
    username,
    email: input.email,
    first_name: input.first_name ?? '',
    last_name: input.last_name ?? '',
    role: input.role ?? 'user',
    status: 'invited' as const,
    password_hash: null,
    invitation,
    timezone: null,
    locale: null,
  };
  const event = announce.invited(
    { ...fields, created_at: now, updated_at: now, last_login_at: null },
    { invitedBy: admin, setPasswordUrl: link, expiresAt: invitation.expires_at, resend: false },
    now,
  );
  try {
    return await ctx.users.create({ ...fields, now }, [event]);
  } catch (err) {
    if (err instanceof DuplicateUserError) throwIfAny(duplicateErrors(err.fields));
    throw err;
  }
}
