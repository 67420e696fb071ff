import { canSignIn, usernameKey } from '../domain/user.ts';
import { invalidCredentials, loginThrottled } from '../errors.ts';
import type { VersionedUser } from '../store/users.ts';
import type { FlowContext } from './context.ts';
import { type IssuedSession, startSession } from './start-session.ts';

export interface SignInAttempt {
  /** A username or an email address. */
  identifier: string;
  password: string;
  /** The client's address, as far as the trusted proxies tell; undefined when unknown. */
  ip: string | undefined;
}

export interface SignedIn extends IssuedSession {
  user: VersionedUser;
}

/**
 * Password sign-in, throttled per account and per client address. Only failures are counted, and
 * a blocked caller is told so before the password is even checked (a correct guess during the
 * block must not be confirmed). Every failure looks the same from outside.
 */
export async function signIn(ctx: FlowContext, { identifier, password, ip }: SignInAttempt): Promise<SignedIn> {
  const { throttle } = ctx.policy;
  const user = await ctx.users.bySignInName(identifier);
  // Keyed by account when there is one, so "alice" and "alice@example.com" share a budget;
  // unknown names are counted too, so locking out behaves the same for them.
  const accountKey = user ? `user:${user.id}` : `name:${usernameKey(identifier.trim())}`;
  const ipKey = ip ? `ip:${ip}` : undefined;

  const now = ctx.now();
  const counts = await ctx.failures.current(ipKey ? [accountKey, ipKey] : [accountKey], now);
  const blockedUntil = counts
    .filter((c) => c.count >= (c.key === ipKey ? throttle.maxPerIp : throttle.maxPerAccount))
    .reduce((latest, c) => Math.max(latest, c.window_ends_at.getTime()), 0);
  if (blockedUntil > now.getTime()) throw loginThrottled((blockedUntil - now.getTime()) / 1000);

  const passwordOk = user?.password_hash
    ? await ctx.passwords.verify(user.password_hash, password)
    : await ctx.passwords.verifyNothing(password);
  if (!user || !passwordOk || !canSignIn(user)) {
    await Promise.all([
      ctx.failures.record(accountKey, throttle.windowMs, now),
      ipKey ? ctx.failures.record(ipKey, throttle.windowMs, now) : undefined,
    ]);
    throw invalidCredentials();
  }

  await ctx.failures.clear(accountKey);
  const session = await startSession(ctx, user);
  await ctx.users.recordLogin(user.id, now);
  return { ...session, user: { ...user, last_login_at: now } };
}
