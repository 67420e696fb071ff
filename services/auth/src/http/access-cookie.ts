import { ACCESS_TOKEN_COOKIE } from '@convene/kit';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';

export interface CookieSettings {
  secure: boolean;
}

/** Browser clients of the legacy invitation API authenticate with this cookie; script cannot read it (HttpOnly). */
export function setAccessCookie(
  c: Context,
  token: string,
  expiresAt: Date,
  { secure }: CookieSettings,
  now: Date,
): void {
  setCookie(c, ACCESS_TOKEN_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    expires: expiresAt,
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
  });
}

export function clearAccessCookie(c: Context, { secure }: CookieSettings): void {
  deleteCookie(c, ACCESS_TOKEN_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure });
}
