import type { AuthUser, Verifier } from '@convene/kit';

export interface RememberOptions {
  /** Longest a verified token is taken on trust without checking its signature again. */
  ttlMs?: number;
  /** Tokens remembered at most; past this the memory starts over. */
  maxEntries?: number;
  now?: () => number;
}

interface Remembered {
  user: AuthUser;
  until: number;
}

/**
 * Wraps a verifier so that a token that verified is not verified again for a short while: the
 * EdDSA check costs more than everything else the gateway does for a request, and a client sends
 * the same access token with every request for its 15-minute life. Only successes are remembered,
 * never beyond the token's own `exp`, and at most `ttlMs` (so a key withdrawn from the JWKS stops
 * being honoured here within that time; the services verify every request themselves anyway).
 */
export function rememberVerifiedTokens(
  verifier: Verifier,
  { ttlMs = 30_000, maxEntries = 10_000, now = Date.now }: RememberOptions = {},
): Verifier {
  let remembered = new Map<string, Remembered>();
  return {
    async verify(token) {
      const at = now();
      const hit = remembered.get(token);
      if (hit && hit.until > at) return hit.user;
      const user = await verifier.verify(token);
      const expiresAt = expiryOf(token);
      if (expiresAt !== undefined && expiresAt > at) {
        if (remembered.size >= maxEntries) remembered = new Map();
        remembered.set(token, { user, until: Math.min(expiresAt, at + ttlMs) });
      }
      return user;
    },
  };
}

/** `exp` of a token that has just verified, in ms (its payload is trusted by then). */
function expiryOf(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
