import { randomUUID } from 'node:crypto';
import { AppError, type FieldErrors } from '@convene/kit';
import { INVITATION_MESSAGES, type InvitationProblem, invitationIsExpired } from '../domain/invitation.ts';
import { passwordProblems } from '../domain/password-policy.ts';
import { hashToken, looksLikeSecretToken, newSecretToken } from '../domain/secret-token.ts';
import { displayName, type Role, USERNAME_PATTERN, type User } from '../domain/user.ts';
import { DuplicateUserError, type VersionedUser } from '../store/users.ts';
import type { AuthDeps } from './deps.ts';
import { addError, duplicateErrors, throwIfAny, userNotFound } from './errors.ts';
import { userActivated, userInvited } from './events.ts';
import { PASSWORDS_DIFFER } from './register.ts';

export interface NewInvitedUser {
  email: string;
  username?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
  role?: Role | undefined;
}

function invitationProblem(problem: InvitationProblem): AppError {
  const { status, code, detail } = INVITATION_MESSAGES[problem];
  return new AppError(status, code, detail);
}

function linkFor(deps: AuthDeps, token: string): string {
  return `${deps.settings.setPasswordUrlBase}${token}`;
}

function inviter(admin: User) {
  return { user_id: admin.id, email: admin.email, name: displayName(admin) };
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
export async function inviteUser(deps: AuthDeps, admin: User, input: NewInvitedUser): Promise<VersionedUser> {
  const username = input.username ?? defaultUsername(input.email);
  throwIfAny(duplicateErrors(await deps.users.taken({ username, email: input.email })));

  const now = deps.now();
  const token = newSecretToken();
  const expiresAt = new Date(now.getTime() + deps.settings.invitationTtlSec * 1000);
  const fields = {
    id: randomUUID(),
    username,
    email: input.email,
    first_name: input.first_name ?? '',
    last_name: input.last_name ?? '',
    role: input.role ?? 'user',
    status: 'invited' as const,
    password_hash: null,
    invitation: {
      token_hash: hashToken(token),
      expires_at: expiresAt,
      sent_at: now,
      invited_by: admin.id,
      send_count: 1,
    },
  };
  const event = userInvited(
    { ...fields, created_at: now, updated_at: now, last_login_at: null },
    { invitedBy: inviter(admin), setPasswordUrl: linkFor(deps, token), expiresAt, resend: false },
  );
  try {
    const user = await deps.users.create({ ...fields, now }, [event]);
    deps.nudge();
    return user;
  } catch (err) {
    if (err instanceof DuplicateUserError) throwIfAny(duplicateErrors(err.fields));
    throw err;
  }
}

/** A fresh link for an invited account; the previous link stops working in the same update. */
export async function resendInvitation(deps: AuthDeps, admin: User, userId: string): Promise<VersionedUser> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const user = await deps.users.byId(userId);
    if (!user) throw userNotFound();
    if (user.status !== 'invited') {
      throw new AppError(
        400,
        'USER_NOT_INVITED',
        user.status === 'active'
          ? 'This user has already set a password.'
          : 'This user is inactive; activate it before resending the invitation.',
      );
    }
    const now = deps.now();
    const token = newSecretToken();
    const expiresAt = new Date(now.getTime() + deps.settings.invitationTtlSec * 1000);
    const invitation = {
      token_hash: hashToken(token),
      expires_at: expiresAt,
      sent_at: now,
      invited_by: admin.id,
      send_count: (user.invitation?.send_count ?? 0) + 1,
    };
    const event = userInvited(
      { ...user, invitation },
      { invitedBy: inviter(admin), setPasswordUrl: linkFor(deps, token), expiresAt, resend: true },
    );
    const saved = await deps.users.change(user, {
      set: { invitation },
      ...(user.invitation ? { pastInvitation: { token_hash: user.invitation.token_hash, outcome: 'replaced' } } : {}),
      events: [event],
      now,
    });
    if (saved) {
      deps.nudge();
      return saved;
    }
  }
  throw new AppError(409, 'CONCURRENT_UPDATE', 'The user was changed at the same time; try again.');
}

/** The invited account a set-password link belongs to, or the reason the link does not work. */
export async function invitationFor(deps: AuthDeps, token: string): Promise<VersionedUser> {
  if (!looksLikeSecretToken(token)) throw invitationProblem('unknown');
  const tokenHash = hashToken(token);
  const user = await deps.users.byInvitationHash(tokenHash);
  if (user?.invitation && user.status === 'invited') {
    if (invitationIsExpired(user.invitation, deps.now())) throw invitationProblem('expired');
    return user;
  }
  const outcome = await deps.users.pastInvitationOutcome(tokenHash);
  throw invitationProblem(outcome ?? 'unknown');
}

export interface SetPassword {
  password: string;
  password2?: string | undefined;
}

/**
 * The invitee chooses a password: the account becomes active and the link is spent. The update is
 * conditional on the link still being the pending one and unexpired, so two submissions of the same
 * link cannot both succeed.
 */
export async function acceptInvitation(deps: AuthDeps, token: string, input: SetPassword): Promise<VersionedUser> {
  const user = await invitationFor(deps, token);
  const errors: FieldErrors = {};
  if (input.password2 !== undefined && input.password2 !== input.password) {
    addError(errors, 'password', PASSWORDS_DIFFER);
  } else {
    addError(errors, 'password', ...passwordProblems(input.password, user, deps.settings.passwordPolicy));
  }
  throwIfAny(errors);

  const now = deps.now();
  const tokenHash = hashToken(token);
  const activated = { ...user, status: 'active' as const, invitation: null, updated_at: now };
  const saved = await deps.users.change(
    { ...user, version: user.version },
    {
      set: {
        password_hash: await deps.passwords.hash(input.password),
        password_changed_at: now,
        status: 'active',
        invitation: null,
      },
      pastInvitation: { token_hash: tokenHash, outcome: 'used' },
      events: [userActivated(activated)],
      now,
    },
    { 'invitation.token_hash': tokenHash, 'invitation.expires_at': { $gt: now }, status: 'invited' },
  );
  if (!saved) {
    // Lost a race with another submission, a resend or a deactivation: say which.
    await invitationFor(deps, token);
    throw new AppError(409, 'CONCURRENT_UPDATE', 'The invitation changed at the same time; try again.');
  }
  deps.nudge();
  return saved;
}
