import type { FieldErrors } from '@convene/kit';
import { passwordProblems } from '../domain/password-policy.ts';
import { canSignIn } from '../domain/user.ts';
import { addError, concurrentUpdate, OLD_PASSWORD_WRONG, throwIfAny, userInactive } from '../errors.ts';
import type { FlowContext } from './context.ts';

export interface PasswordChange {
  old_password: string;
  new_password: string;
  new_password2?: string | undefined;
}

/**
 * Replaces the password after checking the old one, then signs out every other session of the
 * account (a stolen refresh token stops working); the session making the change stays.
 */
export async function changePassword(
  ctx: FlowContext,
  userId: string,
  currentSessionId: string | undefined,
  input: PasswordChange,
): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const user = await ctx.users.byId(userId);
    if (!user?.password_hash || !canSignIn(user)) throw userInactive();
    if (!(await ctx.passwords.verify(user.password_hash, input.old_password))) {
      throwIfAny({ old_password: [OLD_PASSWORD_WRONG] });
    }
    const errors: FieldErrors = {};
    if (input.new_password2 !== undefined && input.new_password2 !== input.new_password) {
      addError(errors, 'new_password2', "The two password fields didn't match.");
    }
    addError(errors, 'new_password', ...passwordProblems(input.new_password, user, ctx.policy.passwordPolicy));
    if (!errors.new_password && input.new_password === input.old_password) {
      addError(errors, 'new_password', 'The new password must be different from the old one.');
    }
    throwIfAny(errors);

    const now = ctx.now();
    const saved = await ctx.users.change(user, {
      set: { password_hash: await ctx.passwords.hash(input.new_password), password_changed_at: now },
      now,
    });
    if (saved) {
      await ctx.sessions.revokeAllOf(user.id, 'password_changed', now, currentSessionId);
      return;
    }
  }
  throw concurrentUpdate('account');
}
