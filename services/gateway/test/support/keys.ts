import { randomUUID } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { type Running, startHono } from './upstreams.ts';

export const ISSUER = 'convene-auth';
export const AUDIENCE = 'convene';

export interface TokenClaims {
  sub?: string;
  username?: string;
  role?: string;
  issuer?: string;
  audience?: string;
  expiresIn?: string;
}

/** An auth stand-in that publishes an EdDSA key at /.well-known/jwks.json and mints tokens with it. */
export async function startKeyServer(): Promise<
  Running & { jwksUrl: string; token(claims?: TokenClaims): Promise<string> }
> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.get('/.well-known/jwks.json', (c) => c.json({ keys: [jwk] }));
  const running = await startHono(app);
  return {
    ...running,
    jwksUrl: `${running.url}/.well-known/jwks.json`,
    token({
      sub = 'user-1',
      username = 'alice',
      role = 'user',
      issuer = ISSUER,
      audience = AUDIENCE,
      expiresIn = '15m',
    } = {}) {
      return new SignJWT({ username, email: `${username}@example.test`, name: username, role })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(sub)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(privateKey);
    },
  };
}
