import { AppError, type FieldErrors, unauthorized } from '@convene/kit';
import { passwordProblems } from '../domain/password-policy.ts';
import { canSignIn } from '../domain/user.ts';
import type { AuthDeps } from './deps.ts';
import { addError, throwIfAny } from './errors.ts';

export interface PasswordChange {
  old_password: string;
  new_password: string;
  new_password2?: string | undefined;
}

export const OLD_PASSWORD_WRONG = 'Old password is not correct';
export const PASSWORD_CHANGED = 'Password updated successfully';

/**
 * Replaces the password after checking the old one, then signs out every other session of the
 * account (a stolen refresh token stops working); the session making the change stays.
 */
export async function changePassword(
  deps: AuthDeps,
  userId: string,
  currentSessionId: string | undefined,
  input: PasswordChange,
): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const user = await deps.users.byId(userId);
    if (!user?.password_hash || !canSignIn(user)) throw unauthorized('User not found or inactive.', 'USER_INACTIVE');
    if (!(await deps.passwords.verify(user.password_hash, input.old_password))) {
      throwIfAny({ old_password: [OLD_PASSWORD_WRONG] });
    }
    const errors: FieldErrors = {};
    if (input.new_password2 !== undefined && input.new_password2 !== input.new_password) {
      addError(errors, 'new_password2', "The two password fields didn't match.");
    }
    addError(errors, 'new_password', ...passwordProblems(input.new_password, user, deps.settings.passwordPolicy));
    if (!errors.new_password && input.new_password === input.old_password) {
      addError(errors, 'new_password', 'The new password must be different from the old one.');
    }
    throwIfAny(errors);

    const now = deps.now();
    const saved = await deps.users.change(user, {
      set: { password_hash: await deps.passwords.hash(input.new_password), password_changed_at: now },
      now,
    });
    if (saved) {
      await deps.sessions.revokeAllOf(user.id, 'password_changed', now, currentSessionId);
      return;
    }
  }
  throw new AppError(409, 'CONCURRENT_UPDATE', 'The account was changed at the same time; try again.');
}
