import { randomUUID } from 'node:crypto';
import { serve } from '@convene/kit';
import { Hono } from 'hono';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export interface TestUser {
  id: string;
  username: string;
  email: string;
  name: string;
  role?: 'user' | 'admin';
}

export interface TestIssuer {
  /** URL of the JWKS document, for AUTH_JWKS_URL. */
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** An access token for `user`, signed like auth signs them (EdDSA, typ at+jwt, kid). */
  mint(user: TestUser, opts?: { expiresInSec?: number }): Promise<string>;
  close(): Promise<void>;
}

/**
 * Stands in for the auth service: an Ed25519 key, its JWKS served by a tiny Hono server on
 * 127.0.0.1, and tokens with the platform's claims. The events service fetches and verifies them
 * exactly as it would auth's.
 */
export async function startTestIssuer({ issuer = 'convene-auth', audience = 'convene' } = {}): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = `test-${randomUUID().slice(0, 8)}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const app = new Hono();
  app.get('/.well-known/jwks.json', (c) => c.json({ keys: [jwk] }));
  const server = await serve(app, { host: '127.0.0.1', port: 0 });
  return {
    jwksUrl: `${server.url}/.well-known/jwks.json`,
    issuer,
    audience,
    async mint(user, { expiresInSec = 3600 } = {}) {
      return new SignJWT({ username: user.username, email: user.email, name: user.name, role: user.role ?? 'user' })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid })
        .setSubject(user.id)
        .setIssuer(issuer)
        .setAudience(audience)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${expiresInSec}s`)
        .sign(privateKey);
    },
    close: () => server.close(),
  };
}

let counter = 0;
/** A distinct user per call: `user('ann')` → ann_<n>. */
export function testUser(name = 'user'): TestUser {
  counter++;
  const id = `${name}-${process.pid}-${Date.now().toString(36)}-${counter}`;
  return { id, username: id, email: `${id}@example.com`, name: `${name[0]!.toUpperCase()}${name.slice(1)} ${counter}` };
}
