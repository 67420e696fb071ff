import { AppError, type FieldErrors, unauthorized } from '@convene/kit';
import { changedFields, type ProfileField } from '../domain/user.ts';
import { DuplicateUserError, type VersionedUser } from '../store/users.ts';
import type { AuthDeps } from './deps.ts';
import { duplicateErrors, throwIfAny } from './errors.ts';
import { userUpdated } from './events.ts';

export type ProfilePatch = Partial<Record<ProfileField, string>>;

/**
 * The signed-in user edits their own name, username or email. Uniqueness is checked against
 * everyone else; the change and its user.updated event are one update of the account.
 */
export async function updateProfile(deps: AuthDeps, userId: string, patch: ProfilePatch): Promise<VersionedUser> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const user = await deps.users.byId(userId);
    if (user?.status !== 'active') throw unauthorized('User not found or inactive.', 'USER_INACTIVE');
    const changed = changedFields(user, patch);
    if (changed.length === 0) return user;

    // Only what changes needs a uniqueness check ("Alice" → "alice" is the same account name).
    const errors: FieldErrors = duplicateErrors(
      await deps.users.taken(
        {
          ...(changed.includes('username') ? { username: patch.username } : {}),
          ...(changed.includes('email') ? { email: patch.email } : {}),
        },
        user.id,
      ),
    );
    throwIfAny(errors);

    const set = Object.fromEntries(changed.map((field) => [field, patch[field]]));
    const now = deps.now();
    const next = { ...user, ...set, updated_at: now };
    try {
      const saved = await deps.users.change(user, { set, events: [userUpdated(next, changed)], now });
      if (saved) {
        deps.nudge();
        return saved;
      }
    } catch (err) {
      if (err instanceof DuplicateUserError) throwIfAny(duplicateErrors(err.fields));
      throw err;
    }
  }
  throw new AppError(409, 'CONCURRENT_UPDATE', 'The profile was changed at the same time; try again.');
}
