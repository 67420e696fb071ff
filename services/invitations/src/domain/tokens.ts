import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: what the link carries. Never stored, never logged. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps and looks up: SHA-256 of the token (a 256-bit random token needs no salt or slow hash). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Tokens this service issues look like this; anything else is not worth a lookup. */
export function looksLikeToken(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text);
}
