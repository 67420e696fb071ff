import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { passwordProblems } from '../domain/password-policy.ts';
import { emailLookupKey, USERNAME_HINT, USERNAME_MAX_LENGTH, USERNAME_PATTERN } from '../domain/user.ts';
import { AdminSetupError, DuplicateUserError } from '../errors.ts';
import { announce } from '../store/announcements.ts';
import type { FlowContext, Policy } from './context.ts';

export interface AdminAccount {
  email: string;
  username: string;
  password: string;
  first_name?: string | undefined;
  last_name?: string | undefined;
  /** Make an existing account with this email an admin instead of refusing. */
  promote?: boolean | undefined;
}

export type AdminOutcome =
  | { kind: 'created'; id: string }
  | { kind: 'promoted'; id: string }
  | { kind: 'exists'; id: string };

/** What the CLI can give without a running service: no key ring, no sessions. */
export type AdminSetupContext = Pick<FlowContext, 'users' | 'passwords' | 'now'> & {
  policy: Pick<Policy, 'passwordPolicy'>;
};

/**
 * The first admin (CLI or BOOTSTRAP_ADMIN_*). Idempotent: an account with the email is left as it
 * is (its password is never overwritten), or promoted when asked. Neither caller is a request, so
 * kit's automatic nudge does not follow it: the boot nudges its relay, the CLI leaves the event to
 * a running auth's relay.
 */
export async function createAdmin(ctx: AdminSetupContext, input: AdminAccount): Promise<AdminOutcome> {
  const existing = await ctx.users.bySignInName(input.email);
  if (existing && emailLookupKey(existing.email) === emailLookupKey(input.email)) {
    if (existing.role === 'admin') return { kind: 'exists', id: existing.id };
    if (!input.promote) {
      throw new AdminSetupError(`an account with ${input.email} exists and is not an admin (use --promote)`);
    }
    const now = ctx.now();
    const next = { ...existing, role: 'admin' as const, updated_at: now };
    const saved = await ctx.users.change(existing, {
      set: { role: 'admin' },
      events: [announce.updated(next, ['role'], now)],
      now,
    });
    if (!saved) throw new AdminSetupError('the account changed at the same time; run the command again');
    return { kind: 'promoted', id: existing.id };
  }

  if (!z.email().safeParse(input.email).success)
    throw new AdminSetupError(`${input.email} is not a valid email address`);
  if (!USERNAME_PATTERN.test(input.username) || input.username.length > USERNAME_MAX_LENGTH) {
    throw new AdminSetupError(`username "${input.username}": ${USERNAME_HINT}`);
  }
  const problems = passwordProblems(input.password, input, ctx.policy.passwordPolicy);
  if (problems.length) throw new AdminSetupError(`password refused: ${problems.join(' ')}`);
  const now = ctx.now();
  const fields = {
    id: randomUUID(),
    username: input.username,
    email: input.email,
    first_name: input.first_name ?? '',
    last_name: input.last_name ?? '',
    role: 'admin' as const,
    status: 'active' as const,
    password_hash: await ctx.passwords.hash(input.password),
    invitation: null,
    timezone: null,
    locale: null,
  };
  try {
    const user = await ctx.users.create({ ...fields, now }, [
      announce.registered({ ...fields, created_at: now, updated_at: now, last_login_at: null }, now),
    ]);
    return { kind: 'created', id: user.id };
  } catch (err) {
    if (!(err instanceof DuplicateUserError)) throw err;
    // Another replica bootstrapped the same admin a moment ago.
    const winner = await ctx.users.bySignInName(input.email);
    if (winner?.role === 'admin' && emailLookupKey(winner.email) === emailLookupKey(input.email))
      return { kind: 'exists', id: winner.id };
    throw new AdminSetupError(`the ${err.fields.join(' and ')} is already used by another account`);
  }
}
