import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './test-clock.ts';
import { startTestIssuer, type TestIssuer, testUser } from './token-issuer.ts';

interface Jwks {
  keys: Array<Record<string, string>>;
}

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;

/** Checks `token` against the JWKS the issuer serves, as a verifier would: the key by kid, then the signature. */
async function verifiedBy(issuer: TestIssuer, token: string): Promise<boolean> {
  const jwks = (await (await fetch(issuer.jwksUrl)).json()) as Jwks;
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const jwk = jwks.keys.find((key) => key.kid === decode(header).kid);
  if (!jwk) return false;
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  return verify(null, Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));
}

describe('startTestIssuer', () => {
  const clock = new TestClock(new Date('2030-01-01T00:00:00.000Z'));
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer({ now: clock.now });
  });
  afterAll(() => issuer.close());

  it('serves one Ed25519 key at /.well-known/jwks.json under the kid its tokens name', async () => {
    const requestsBefore = issuer.jwksRequests;
    const jwks = (await (await fetch(issuer.jwksUrl)).json()) as Jwks;
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' })]);
    expect(jwks.keys[0]!.kid).toBe(issuer.kid);
    expect(jwks.keys[0]!.d).toBeUndefined();
    expect(issuer.jwksRequests).toBe(requestsBefore + 1);
    expect(new URL(issuer.jwksUrl).hostname).toBe('127.0.0.1');
  });

  it("signs a user's token with the platform's claims and header", async () => {
    const ann = testUser('ann', { role: 'admin' });
    const token = issuer.tokenFor(ann);
    const [header, payload] = token.split('.') as [string, string];
    expect(decode(header)).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: issuer.kid });
    const iat = Date.parse('2030-01-01T00:00:00.000Z') / 1000;
    expect(decode(payload)).toEqual({
      sub: ann.id,
      username: ann.username,
      email: ann.email,
      name: ann.name,
      role: 'admin',
      iss: 'convene-auth',
      aud: 'convene',
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iat,
      exp: iat + 15 * 60,
    });
    expect(await verifiedBy(issuer, token)).toBe(true);
  });

  it('makes the bad variants: expired, wrong audience or issuer, wrong key, unknown kid', async () => {
    const now = Date.parse('2030-01-01T00:00:00.000Z') / 1000;
    const claims = (token: string) => decode(token.split('.')[1]!);
    expect(claims(issuer.token({ expired: true })).exp).toBe(now - 60);
    expect(claims(issuer.token({ expiresInMs: 90_000 })).exp).toBe(now + 90);
    expect(claims(issuer.token({ audience: 'other-app' })).aud).toBe('other-app');
    expect(claims(issuer.token({ issuer: 'someone-else' })).iss).toBe('someone-else');
    expect(claims(issuer.token({ claims: { extra: 1 } })).extra).toBe(1);

    const wrongKey = issuer.token({ wrongKey: true });
    expect(decode(wrongKey.split('.')[0]!).kid).toBe(issuer.kid);
    expect(await verifiedBy(issuer, wrongKey)).toBe(false);
    expect(await verifiedBy(issuer, issuer.token({ kid: 'nobody-publishes-this' }))).toBe(false);
  });

  it('follows its clock and, once rotated, publishes only the new key', async () => {
    clock.advance(60_000);
    const iat = Date.parse('2030-01-01T00:01:00.000Z') / 1000;
    const before = issuer.token();
    expect(decode(before.split('.')[1]!).iat).toBe(iat);
    const oldKid = issuer.kid;
    issuer.rotate();
    expect(issuer.kid).not.toBe(oldKid);
    expect(await verifiedBy(issuer, before)).toBe(false);
    expect(await verifiedBy(issuer, issuer.token())).toBe(true);
  });

  it('gives every testUser a distinct id, username and email', () => {
    const users = Array.from({ length: 50 }, () => testUser('guest'));
    expect(new Set(users.map((u) => u.id)).size).toBe(50);
    expect(new Set(users.map((u) => u.email)).size).toBe(50);
    expect(users[0]!.username).toBe(users[0]!.id);
  });
});
