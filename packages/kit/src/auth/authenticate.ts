import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { forbidden, unauthorized } from '../errors/app-error.ts';
import type { Verifier } from './create-verifier.ts';
import type { AuthUser } from './user.ts';

export const ACCESS_TOKEN_COOKIE = 'access_token';

export interface AuthenticateOptions {
  verifier: Verifier;
  /** Let anonymous requests through (with `user` undefined). A token that is present must still be valid. */
  optional?: boolean;
}

/** Reads `Authorization: Bearer <jwt>` or the `access_token` cookie and sets `c.var.user`. */
export function authenticate({ verifier, optional = false }: AuthenticateOptions): MiddlewareHandler {
  return async function authenticateRequest(c, next) {
    const token = bearerToken(c) ?? getCookie(c, ACCESS_TOKEN_COOKIE);
    if (token === undefined) {
      if (!optional) throw unauthorized();
      c.set('user', undefined);
    } else {
      c.set('user', await verifier.verify(token));
    }
    await next();
  };
}

/** The signed-in user, or a 401 problem. */
export function requireUser(c: Context): AuthUser {
  const user = c.get('user');
  if (!user) throw unauthorized();
  return user;
}

/** The signed-in admin, or 401 (anonymous) / 403 (not an admin). */
export function requireAdmin(c: Context): AuthUser {
  const user = requireUser(c);
  if (user.role !== 'admin') throw forbidden();
  return user;
}

function bearerToken(c: Context): string | undefined {
  const header = c.req.header('Authorization');
  if (!header) return undefined;
  const [scheme, ...rest] = header.trim().split(/\s+/);
  // Another scheme (Basic, ...) is not ours to judge; fall back to the cookie.
  if (scheme?.toLowerCase() !== 'bearer') return undefined;
  return rest.join(' ');
}
