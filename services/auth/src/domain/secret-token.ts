import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An opaque bearer secret (refresh tokens, set-password links): 256 random bits, URL-safe.
 * Only `hashToken(token)` is ever stored, so a database leak yields nothing usable.
 */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 is enough here: the input has 256 bits of entropy, there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Cheap shape check before touching the database: our tokens are 43 base64url characters. */
export function looksLikeSecretToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
