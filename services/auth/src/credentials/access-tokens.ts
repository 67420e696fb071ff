import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { displayName, type User } from '../domain/user.ts';
import { type KeyRing, SIGNING_ALG } from './key-ring.ts';

export const ACCESS_TOKEN_TYPE = 'at+jwt';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  ttlMs: number;
}

export interface IssuedAccessToken {
  token: string;
  jti: string;
  expires_at: Date;
}

/**
 * The access JWT every service verifies with the JWKS alone: who (`sub`, `username`, `email`,
 * `name`, `role`), for whom (`aud`), by whom (`iss`), and `sid`, the refresh-token family it came
 * from, so "sign out my other sessions" knows which one is this.
 */
export async function issueAccessToken(
  ring: KeyRing,
  user: User,
  sessionId: string | null,
  { issuer, audience, ttlMs }: AccessTokenSettings,
  now: Date,
): Promise<IssuedAccessToken> {
  const { kid, key } = await ring.signingKey();
  const jti = randomUUID();
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + Math.floor(ttlMs / 1000);
  const claims: Record<string, unknown> = {
    username: user.username,
    email: user.email,
    name: displayName(user),
    role: user.role,
  };
  if (sessionId) claims.sid = sessionId;
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: ACCESS_TOKEN_TYPE })
    .setSubject(user.id)
    .setIssuer(issuer)
    .setAudience(audience)
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);
  return { token, jti, expires_at: new Date(exp * 1000) };
}
