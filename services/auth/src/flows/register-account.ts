import { randomUUID } from 'node:crypto';
import type { FieldErrors } from '@convene/kit';
import { passwordProblems } from '../domain/password-policy.ts';
import { readPreferences } from '../domain/profile-preferences.ts';
import { addError, DuplicateUserError, duplicateErrors, PASSWORDS_DIFFER, throwIfAny } from '../errors.ts';
import { announce } from '../store/announcements.ts';
import type { VersionedUser } from '../store/users.ts';
import type { FlowContext } from './context.ts';

export interface Registration {
  username: string;
  email: string;
  password: string;
  password2?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
  timezone?: string | null | undefined;
  locale?: string | null | undefined;
}

/**
 * Self-service sign-up: an active account with the `user` role, announced as user.registered.
 * Every problem is reported at once, as the legacy events API's clients expect (`username` taken *and*
 * `password` mismatch in one 400).
 */
export async function registerAccount(ctx: FlowContext, input: Registration): Promise<VersionedUser> {
  const errors: FieldErrors = {};
  if (input.password2 !== undefined && input.password2 !== input.password) {
    addError(errors, 'password', PASSWORDS_DIFFER);
  } else {
    addError(errors, 'password', ...passwordProblems(input.password, input, ctx.policy.passwordPolicy));
  }
  const preferences = readPreferences({ timezone: input.timezone, locale: input.locale });
  for (const [field, message] of Object.entries(preferences.problems)) addError(errors, field, message);
  const taken = await ctx.users.taken({ username: input.username, email: input.email });
  Object.assign(errors, duplicateErrors(taken));
  throwIfAny(errors);

  const now = ctx.now();
  const fields = {
    id: randomUUID(),
    username: input.username,
    email: input.email,
    first_name: input.first_name ?? '',
    last_name: input.last_name ?? '',
    role: 'user' as const,
    status: 'active' as const,
    password_hash: await ctx.passwords.hash(input.password),
    invitation: null,
    timezone: preferences.values.timezone ?? null,
    locale: preferences.values.locale ?? null,
  };
  const event = announce.registered({ ...fields, created_at: now, updated_at: now, last_login_at: null }, now);
  try {
    return await ctx.users.create({ ...fields, now }, [event]);
  } catch (err) {
    // Someone took the name between the check and the insert: the unique index decided.
    if (err instanceof DuplicateUserError) throwIfAny(duplicateErrors(err.fields));
    throw err;
  }
}
