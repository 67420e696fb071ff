import { ACCESS_TOKEN_COOKIE, requireAdmin, type Verifier } from '@convene/kit';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { User } from '../domain/user.ts';
import { confirmAdmin } from '../flows/confirm-admin.ts';
import type { FlowContext } from '../flows/context.ts';
import type { CookieSettings } from './access-cookie.ts';

/**
 * What the routes get. Routes read the request, call one flow and shape its answer; they never
 * query the store or build envelopes: flows do both (envelopes via store/announcements.ts), as in
 * every service.
 */
export interface HttpDeps {
  flows: FlowContext;
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

/** The caller as an admin: the token's role, then the database's (see confirmAdmin). */
export function currentAdmin(c: Context, deps: HttpDeps): Promise<User> {
  return confirmAdmin(deps.flows, requireAdmin(c).id);
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
