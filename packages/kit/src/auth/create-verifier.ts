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
}

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
}: VerifierOptions): Verifier {
  const keys = jwks ?? remoteKeys(jwksUrl, { jwksCooldownMs, jwksCacheMaxAgeMs, jwksTimeoutMs });
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: ACCESS_TOKEN_ALGORITHMS,
          issuer,
          audience,
          typ: ACCESS_TOKEN_TYPE,
          requiredClaims: ['exp', 'sub'],
          clockTolerance: clockToleranceSec,
        }));
      } catch (err) {
        throw rejection(err);
      }
      return userFromClaims(payload);
    },
  };
}

class KeySetUnavailable extends Error {
  override readonly name = 'KeySetUnavailable';
}

function remoteKeys(
  jwksUrl: string | undefined,
  opts: { jwksCooldownMs: number; jwksCacheMaxAgeMs: number; jwksTimeoutMs: number },
): JWTVerifyGetKey {
  if (!jwksUrl) throw new Error('createVerifier needs jwksUrl or jwks');
  const remote = createRemoteJWKSet(new URL(jwksUrl), {
    cooldownDuration: opts.jwksCooldownMs,
    cacheMaxAge: opts.jwksCacheMaxAgeMs,
    timeoutDuration: opts.jwksTimeoutMs,
  });
  // Tell "the token names a key we don't have" (401) apart from "we could not get the keys" (503).
  return async function keyFromRemoteSet(header, token) {
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
