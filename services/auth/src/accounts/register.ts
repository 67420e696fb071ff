import { randomUUID } from 'node:crypto';
import type { FieldErrors } from '@convene/kit';
import { passwordProblems } from '../domain/password-policy.ts';
import { DuplicateUserError, type VersionedUser } from '../store/users.ts';
import type { AuthDeps } from './deps.ts';
import { addError, duplicateErrors, throwIfAny } from './errors.ts';
import { userRegistered } from './events.ts';

export interface Registration {
  username: string;
  email: string;
  password: string;
  password2?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
}

export const PASSWORDS_DIFFER = "Password fields didn't match.";

/**
 * Self-service sign-up: an active account with the `user` role, announced as user.registered.
 * Every problem is reported at once, as seed 003's clients expect (`username` taken *and*
 * `password` mismatch in one 400).
 */
export async function register(deps: AuthDeps, input: Registration): Promise<VersionedUser> {
  const errors: FieldErrors = {};
  if (input.password2 !== undefined && input.password2 !== input.password) {
    addError(errors, 'password', PASSWORDS_DIFFER);
  } else {
    addError(errors, 'password', ...passwordProblems(input.password, input, deps.settings.passwordPolicy));
  }
  const taken = await deps.users.taken({ username: input.username, email: input.email });
  Object.assign(errors, duplicateErrors(taken));
  throwIfAny(errors);

  const now = deps.now();
  const fields = {
    id: randomUUID(),
    username: input.username,
    email: input.email,
    first_name: input.first_name ?? '',
    last_name: input.last_name ?? '',
    role: 'user' as const,
    status: 'active' as const,
    password_hash: await deps.passwords.hash(input.password),
    invitation: null,
  };
  const event = userRegistered({ ...fields, created_at: now, updated_at: now, last_login_at: null });
  try {
    const user = await deps.users.create({ ...fields, now }, [event]);
    deps.nudge();
    return user;
  } catch (err) {
    // Someone took the name between the check and the insert: the unique index decided.
    if (err instanceof DuplicateUserError) throwIfAny(duplicateErrors(err.fields));
    throw err;
  }
}
