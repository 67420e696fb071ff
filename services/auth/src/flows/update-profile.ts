import type { FieldErrors } from '@convene/kit';
import { readPreferences } from '../domain/profile-preferences.ts';
import { changedFields, type ProfileField } from '../domain/user.ts';
import {
  addError,
  concurrentUpdate,
  DuplicateUserError,
  duplicateErrors,
  throwIfAny,
  userInactive,
} from '../errors.ts';
import { announce } from '../store/announcements.ts';
import type { VersionedUser } from '../store/users.ts';
import type { FlowContext } from './context.ts';

/** A field left out stays as it is; null clears the zone or locale. */
export type ProfilePatch = Partial<Record<Exclude<ProfileField, 'timezone' | 'locale'>, string>> & {
  timezone?: string | null;
  locale?: string | null;
};

/**
 * The signed-in user edits their own name, username, email, zone or locale. Uniqueness is checked
 * against everyone else; the change and its user.updated event are one update of the account.
 */
export async function updateProfile(ctx: FlowContext, userId: string, patch: ProfilePatch): Promise<VersionedUser> {
  // Compared and stored in canonical form, so "en-gb" over a stored "en-GB" is no change.
  const preferences = readPreferences({ timezone: patch.timezone, locale: patch.locale });
  const problems: FieldErrors = {};
  for (const [field, message] of Object.entries(preferences.problems)) addError(problems, field, message);
  throwIfAny(problems);
  const wanted = { ...patch, ...preferences.values };

  for (let attempt = 0; attempt < 3; attempt++) {
    const user = await ctx.users.byId(userId);
    if (user?.status !== 'active') throw userInactive();
    const changed = changedFields(user, wanted);
    if (changed.length === 0) return user;

    // Only what changes needs a uniqueness check ("Alice" → "alice" is the same account name).
    const errors: FieldErrors = duplicateErrors(
      await ctx.users.taken(
        {
          ...(changed.includes('username') ? { username: wanted.username } : {}),
          ...(changed.includes('email') ? { email: wanted.email } : {}),
        },
        user.id,
      ),
    );
    throwIfAny(errors);

    const set = Object.fromEntries(changed.map((field) => [field, wanted[field]]));
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
