import type { FieldErrors } from '@convene/kit';
import { passwordProblems } from '../domain/password-policy.ts';
import { hashToken } from '../domain/secret-token.ts';
import { addError, concurrentUpdate, PASSWORDS_DIFFER, throwIfAny } from '../errors.ts';
import { announce } from '../store/announcements.ts';
import type { VersionedUser } from '../store/users.ts';
import type { FlowContext } from './context.ts';
import { findInvitationByLink } from './find-invitation-by-link.ts';

export interface SetPassword {
  password: string;
  password2?: string | undefined;
}

/**
 * The invitee chooses a password: the account becomes active and the link is spent. The update is
 * conditional on the link still being the pending one and unexpired, so two submissions of the same
 * link cannot both succeed.
 */
export async function acceptInvitation(ctx: FlowContext, token: string, input: SetPassword): Promise<VersionedUser> {
  const user = await findInvitationByLink(ctx, token);
  const errors: FieldErrors = {};
  if (input.password2 !== undefined && input.password2 !== input.password) {
    addError(errors, 'password', PASSWORDS_DIFFER);
  } else {
    addError(errors, 'password', ...passwordProblems(input.password, user, ctx.policy.passwordPolicy));
  }
  throwIfAny(errors);

  const now = ctx.now();
  const tokenHash = hashToken(token);
  const activated = { ...user, status: 'active' as const, invitation: null, updated_at: now };
  const saved = await ctx.users.change(
    { ...user, version: user.version },
    {
      set: {
        password_hash: await ctx.passwords.hash(input.password),
        password_changed_at: now,
        status: 'active',
        invitation: null,
      },
      pastInvitation: { token_hash: tokenHash, outcome: 'used' },
      events: [announce.activated(activated, now)],
      now,
    },
    { 'invitation.token_hash': tokenHash, 'invitation.expires_at': { $gt: now }, status: 'invited' },
  );
  if (!saved) {
    // Lost a race with another submission, a resend or a deactivation: say which.
    await findInvitationByLink(ctx, token);
    throw concurrentUpdate('invitation');
  }
  return saved;
}
