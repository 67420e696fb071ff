import type { FieldErrors } from '@convene/kit';
import { changedFields, type ProfileField } from '../domain/user.ts';
import { concurrentUpdate, DuplicateUserError, duplicateErrors, throwIfAny, userInactive } from '../errors.ts';
import { announce } from '../store/announcements.ts';
import type { VersionedUser } from '../store/users.ts';
import type { FlowContext } from './context.ts';

export type ProfilePatch = Partial<Record<ProfileField, string>>;

/**
 * The signed-in user edits their own name, username or email. Uniqueness is checked against
 * everyone else; the change and its user.updated event are one update of the account.
 */
export async function updateProfile(ctx: FlowContext, userId: string, patch: ProfilePatch): Promise<VersionedUser> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const user = await ctx.users.byId(userId);
    if (user?.status !== 'active') throw userInactive();
    const changed = changedFields(user, patch);
    if (changed.length === 0) return user;

    // Only what changes needs a uniqueness check ("Alice" → "alice" is the same account name).
    const errors: FieldErrors = duplicateErrors(
      await ctx.users.taken(
        {
          ...(changed.includes('username') ? { username: patch.username } : {}),
          ...(changed.includes('email') ? { email: patch.email } : {}),
        },
        user.id,
      ),
    );
    throwIfAny(errors);

    const set = Object.fromEntries(changed.map((field) => [field, patch[field]]));
    const now = ctx.now();
    const next = { ...user, ...set, updated_at: now };
    try {
      const saved = await ctx.users.change(user, { set, events: [announce.updated(next, changed, now)], now });
      if (saved) return saved;
    } catch (err) {
      if (err instanceof DuplicateUserError) throwIfAny(duplicateErrors(err.fields));
      throw err;
    }
  }
  throw concurrentUpdate('profile');
}
