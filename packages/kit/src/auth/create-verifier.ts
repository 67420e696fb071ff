import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import type { AuthUser } from './user.ts';

export interface VerifierOptions {
  /** Where the auth service publishes its keys (`AUTH_JWKS_URL`). */
  jwksUrl?: string;
  /** A key set to use instead of fetching one (the auth service verifying its own tokens). */
  jwks?: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  clockToleranceSec?: number;
  /** Least time between two fetches of the key set, e.g. when a token names an unknown kid. */
  jwksCooldownMs?: number;
  /** Refetch the key set after this long even when every kid is known. */
  jwksCacheMaxAgeMs?: number;
  jwksTimeoutMs?: number;
  /**
   * Remember tokens that verified, so a client's next request with the same token skips the
   * signature check: `{ ttlMs, maxEntries }`, or false. On by default with `jwksUrl` (30 s, like
   * the gateway's VERIFIED_TOKEN_TTL_MS; never beyond the token's `exp`, nor past the key set's
   * cacheMaxAge, and forgotten whenever the key set is fetched again and has changed); off by
   * default with `jwks` (the auth service's own key ring, which withdraws keys at once).
   */
  verifiedTokens?: VerifiedTokenCacheOptions | false;
  /** The clock of the cache and of the `exp`/`nbf` checks (tests); Date.now by default. */
  now?: () => number;
}

export interface VerifiedTokenCacheOptions {
  /** Longest a verified token is taken on trust without checking its signature again. */
  ttlMs?: number;
  /** Tokens remembered at most; past this the oldest are forgotten first. */
  maxEntries?: number;
}

/** The gateway's default: a withdrawn key is honoured at most this long after a token verified. */
export const VERIFIED_TOKEN_TTL_MS = 30_000;
const VERIFIED_TOKEN_MAX_ENTRIES = 10_000;

export interface Verifier {
  /** Resolves with the user the token names, or throws a 401 AppError (503 when keys are unreachable). */
  verify(token: string): Promise<AuthUser>;
}

/** Only asymmetric algorithms: an HS256 token "signed" with a public key must never pass. */
export const ACCESS_TOKEN_ALGORITHMS = ['EdDSA', 'ES256'];
export const ACCESS_TOKEN_TYPE = 'at+jwt';

export function createVerifier({
  jwksUrl,
  jwks,
  issuer,
  audience,
  clockToleranceSec = 5,
  jwksCooldownMs = 30_000,
  jwksCacheMaxAgeMs = 10 * 60_000,
  jwksTimeoutMs = 5_000,
  verifiedTokens = jwks ? false : {},
  now,
}: VerifierOptions): Verifier {
  const remote = jwks ? undefined : remoteKeys(jwksUrl, { jwksCooldownMs, jwksCacheMaxAgeMs, jwksTimeoutMs });
  const keys = jwks ?? remote!.getKey;
  const cache =
    verifiedTokens === false
      ? undefined
      : verifiedTokenCache({
          ttlMs: Math.min(verifiedTokens.ttlMs ?? VERIFIED_TOKEN_TTL_MS, jwks ? Infinity : jwksCacheMaxAgeMs),
          maxEntries: verifiedTokens.maxEntries ?? VERIFIED_TOKEN_MAX_ENTRIES,
        });
  const clock = now ?? Date.now;
  return {
    async verify(token) {
      const at = clock();
      const known = cache?.get(token, at);
      if (known) return { ...known };
      const ring = cache && remote?.ring();
      let ringChanged = false;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: ACCESS_TOKEN_ALGORITHMS,
          issuer,
          audience,
          typ: ACCESS_TOKEN_TYPE,
          requiredClaims: ['exp', 'sub'],
          clockTolerance: clockToleranceSec,
          ...(now ? { currentDate: new Date(at) } : {}),
        }));
      } catch (err) {
        throw rejection(err);
      } finally {
        // The key set was fetched again and is not the one earlier tokens verified with: a key may
        // have been withdrawn, so nothing verified before is taken on trust any more (nor this
        // token, whose key may be the withdrawn one).
        ringChanged = cache !== undefined && remote !== undefined && remote.ring() !== ring;
        if (ringChanged) cache?.clear();
      }
      const user = userFromClaims(payload);
      if (cache && !ringChanged && typeof payload.exp === 'number') cache.set(token, user, at, payload.exp * 1000);
      return { ...user };
    },
  };
}

interface Remembered {
  user: AuthUser;
  until: number;
}

/**
 * Tokens that verified, by the token string, each until min(its `exp`, verified + ttlMs); a Map in
 * insertion order, so past maxEntries the oldest go first. Failures are never remembered.
 */
function verifiedTokenCache({ ttlMs, maxEntries }: { ttlMs: number; maxEntries: number }) {
  const entries = new Map<string, Remembered>();
  return {
    get(token: string, at: number): AuthUser | undefined {
      const hit = entries.get(token);
      if (!hit) return undefined;
      if (hit.until > at) return hit.user;
      entries.delete(token);
      return undefined;
    },
    set(token: string, user: AuthUser, at: number, expiresAt: number): void {
      const until = Math.min(expiresAt, at + ttlMs);
      if (until <= at || maxEntries <= 0) return;
      entries.delete(token);
      while (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(token, { user, until });
    },
    clear(): void {
      entries.clear();
    },
  };
}

class KeySetUnavailable extends Error {
  override readonly name = 'KeySetUnavailable';
}

/** A remote key set, and what it holds now (a new value each time it was fetched and changed). */
interface RemoteKeys {
  getKey: JWTVerifyGetKey;
  ring(): string;
}

function remoteKeys(
  jwksUrl: string | undefined,
  opts: { jwksCooldownMs: number; jwksCacheMaxAgeMs: number; jwksTimeoutMs: number },
): RemoteKeys {
  if (!jwksUrl) throw new Error('createVerifier needs jwksUrl or jwks');
  const remote = createRemoteJWKSet(new URL(jwksUrl), {
    cooldownDuration: opts.jwksCooldownMs,
    cacheMaxAge: opts.jwksCacheMaxAgeMs,
    timeoutDuration: opts.jwksTimeoutMs,
  });
  // Tell "the token names a key we don't have" (401) apart from "we could not get the keys" (503).
  async function keyFromRemoteSet(...[header, token]: Parameters<JWTVerifyGetKey>) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await remote(header, token);
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        const aboutTheToken =
          typeof code === 'string' && !['ERR_JOSE_GENERIC', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID'].includes(code);
        if (aboutTheToken) throw err;
        // A pooled keep-alive connection to auth that was closed under us is not auth being down.
        if (attempt === 1 && droppedConnection(err)) continue;
        throw new KeySetUnavailable(err instanceof Error ? err.message : String(err), { cause: err });
      }
    }
  }
  return {
    getKey: keyFromRemoteSet,
    // jose hands out a copy of the set it holds: compared by content, so a fetch that changed
    // nothing forgets nothing. Only read around a signature check, never for a remembered token.
    ring: () => JSON.stringify(remote.jwks() ?? null),
  };
}

/** fetch failed because the socket was reset or closed (not a timeout, not a refused connect). */
function droppedConnection(err: unknown): boolean {
  for (let cause: unknown = err, depth = 0; cause && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

function rejection(err: unknown): AppError {
  if (err instanceof KeySetUnavailable) {
    return new AppError(503, ErrorCode.AUTH_UNAVAILABLE, 'Cannot verify credentials right now; try again shortly.', {
      headers: { 'Retry-After': '5' },
    });
  }
  const expired = (err as { code?: unknown }).code === 'ERR_JWT_EXPIRED';
  const detail = expired ? 'Token has expired.' : 'Given token not valid.';
  return new AppError(401, expired ? ErrorCode.TOKEN_EXPIRED : ErrorCode.TOKEN_INVALID, detail, {
    headers: { 'WWW-Authenticate': `Bearer realm="convene", error="invalid_token", error_description="${detail}"` },
  });
}

function userFromClaims(claims: JWTPayload): AuthUser {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    id: text(claims.sub),
    username: text(claims.username),
    email: text(claims.email),
    name: text(claims.name),
    role: text(claims.role) || 'user',
  };
}
