import { ACCESS_TOKEN_COOKIE, forbidden, requireAdmin, type Verifier } from '@convene/kit';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AuthDeps } from '../accounts/deps.ts';
import type { User } from '../domain/user.ts';
import type { CookieSettings } from './access-cookie.ts';

export interface HttpDeps {
  auth: AuthDeps;
  verifier: Verifier;
  /** kit `authenticate` for routes that need a signed-in caller. */
  signedIn: MiddlewareHandler;
  cookie: CookieSettings;
  trustedProxyHops: number;
}

/** The refresh-token family the caller's access token came from (its `sid` claim). */
export function sessionIdOf(c: Context): string | undefined {
  const user = c.get('user') as { session_id?: string } | undefined;
  return user?.session_id;
}

/**
 * The caller as an admin, checked against the database and not only the token: a demoted or
 * deactivated admin loses access at once, not when their access token expires.
 */
export async function currentAdmin(c: Context, deps: HttpDeps): Promise<User> {
  const claimed = requireAdmin(c);
  const user = await deps.auth.users.byId(claimed.id);
  if (user?.role !== 'admin' || user.status !== 'active') throw forbidden();
  return user;
}

/** The caller's session id if they sent a valid access token; an invalid one is simply ignored. */
export async function sessionIdIfSignedIn(c: Context, verifier: Verifier): Promise<string | undefined> {
  const header = c.req.header('Authorization');
  const bearer = header?.match(/^\s*bearer\s+(\S+)\s*$/i)?.[1];
  const token = bearer ?? getCookie(c, ACCESS_TOKEN_COOKIE);
  if (!token) return undefined;
  try {
    const user = (await verifier.verify(token)) as { session_id?: string };
    return user.session_id;
  } catch {
    return undefined;
  }
}
