import { createVerifier } from '@convene/kit';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningAuth, type Session, signedInAdmin, signedInUser, startAuth } from './support/harness.ts';

let auth: RunningAuth;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(async () => {
  await auth?.stop();
});

/** What any other service does: verify with the JWKS URL alone, no shared secret. */
function jwksOnlyVerifier() {
  return createVerifier({
    jwksUrl: `${auth.url}/.well-known/jwks.json`,
    issuer: 'convene-auth',
    audience: 'convene',
    jwksCooldownMs: 0,
    jwksCacheMaxAgeMs: 0,
  });
}

describe('access token', () => {
  it('is an EdDSA at+jwt with kid, iss, aud, sub, jti and the platform claims, valid 15 minutes', async () => {
    const session = await signedInUser(auth.api, { first_name: 'Ada', last_name: 'Lovelace' });
    const header = decodeProtectedHeader(session.access);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt', kid: expect.any(String) });
    const claims = decodeJwt(session.access);
    expect(claims).toMatchObject({
      iss: 'convene-auth',
      aud: 'convene',
      sub: session.user.id,
      jti: expect.any(String),
      username: session.user.username,
      email: session.user.email,
      name: 'Ada Lovelace',
      role: 'user',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(15 * 60);
  });

  it('is accepted by a verifier that only knows the JWKS URL', async () => {
    const session = await signedInUser(auth.api);
    const user = await jwksOnlyVerifier().verify(session.access);
    expect(user).toMatchObject({ id: session.user.id, username: session.user.username, role: 'user' });
  });

  it('publishes only public Ed25519 keys', async () => {
    const res = await auth.api.get<{ keys: Record<string, unknown>[] }>('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    // Nothing has rotated yet: the one key the service made at its first start.
    expect(res.body.keys).toHaveLength(1);
    for (const key of res.body.keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String) });
      expect(key).not.toHaveProperty('d');
    }
  });

  it('authenticates the profile from the Authorization header or the access_token cookie', async () => {
    const session = await signedInUser(auth.api);
    expect((await auth.api.get('/api/auth/profile', { token: session.access })).status).toBe(200);
    const viaCookie = await auth.api.get('/api/auth/profile', {
      headers: { Cookie: `access_token=${session.access}` },
    });
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.body).toMatchObject({ id: session.user.id });
  });
});

describe('token attacks', () => {
  let session: Session;
  let claims: Record<string, unknown>;
  let kid: string;
  beforeAll(async () => {
    session = await signedInUser(auth.api);
    claims = decodeJwt(session.access) as Record<string, unknown>;
    kid = decodeProtectedHeader(session.access).kid as string;
  });

  /** Signs with auth's real current key, so only the claim under test is wrong. */
  async function signedByAuth(overrides: Record<string, unknown>, header: Record<string, unknown> = {}) {
    const { kid: currentKid, key } = await auth.service.keys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims, iat: now, exp: now + 600, ...overrides })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: currentKid, ...header })
      .sign(key);
  }

  const attacks: Array<[string, () => Promise<string>]> = [
    ['alg=none', async () => new UnsecuredJWT({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 }).encode()],
    [
      'alg=none with a kid and typ',
      async () => {
        const unsigned = new UnsecuredJWT({ ...claims }).encode();
        const [, payload] = unsigned.split('.');
        const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid })).toString('base64url');
        return `${header}.${payload}.`;
      },
    ],
    [
      'HS256 signed with the public key (JWK JSON as the secret)',
      async () => {
        const jwks = (await auth.api.get<{ keys: Array<Record<string, unknown>> }>('/.well-known/jwks.json')).body;
        const publicJwk = jwks.keys.find((k) => k.kid === kid);
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
          .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
      },
    ],
    [
      'HS256 signed with the public key (raw key bytes as the secret)',
      async () => {
        const jwks = (await auth.api.get<{ keys: Array<Record<string, string>> }>('/.well-known/jwks.json')).body;
        const x = jwks.keys.find((k) => k.kid === kid)?.x ?? '';
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
          .sign(Buffer.from(x, 'base64url'));
      },
    ],
    ['wrong issuer', () => signedByAuth({ iss: 'evil-auth' })],
    ['wrong audience', () => signedByAuth({ aud: 'someone-else' })],
    [
      'expired',
      () => signedByAuth({ iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 60 }),
    ],
    ['not a typ at+jwt', () => signedByAuth({}, { typ: 'JWT' })],
    [
      'unknown kid (an attacker’s own key)',
      async () => {
        const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'not-a-known-kid' })
          .sign(privateKey);
      },
    ],
    [
      'a known kid but an attacker’s signature',
      async () => {
        const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
        return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid }).sign(privateKey);
      },
    ],
    [
      'an attacker’s key embedded in the header (jwk)',
      async () => {
        const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', jwk: await exportJWK(publicKey) })
          .sign(privateKey);
      },
    ],
    [
      'a tampered payload (role: admin)',
      async () => {
        const [header, , signature] = session.access.split('.');
        const payload = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
    ],
    ['garbage', async () => 'not.a.jwt'],
    ['random text', async () => 'hello'],
  ];

  it.each(attacks)('rejects %s with 401 (JWKS-only verifier and over HTTP)', async (_name, forge) => {
    const token = await forge();
    await expect(jwksOnlyVerifier().verify(token)).rejects.toMatchObject({ status: 401 });
    const res = await auth.api.get('/api/auth/profile', { token });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('still accepts the genuine token (the attacks above are not failing for another reason)', async () => {
    await expect(jwksOnlyVerifier().verify(session.access)).resolves.toMatchObject({ id: session.user.id });
  });
});

describe('POST /api/auth/token/refresh', () => {
  it('returns a new pair; the old refresh token stops working', async () => {
    const session = await signedInUser(auth.api);
    const res = await auth.api.post('/api/auth/token/refresh', { refresh: session.refresh });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access: expect.any(String), refresh: expect.any(String) });
    expect(res.body.refresh).not.toBe(session.refresh);
    expect(res.headers.get('set-cookie')).toMatch(/^access_token=/);
    expect((await auth.api.get('/api/auth/profile', { token: res.body.access as string })).status).toBe(200);

    const again = await auth.api.post('/api/auth/token/refresh/', { refresh: session.refresh });
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ detail: 'Token is invalid or expired', code: 'REFRESH_TOKEN_REUSED' });
  });

  it('revokes the whole family when a rotated token is presented again', async () => {
    const session = await signedInUser(auth.api);
    const second = await auth.api.post<{ refresh: string }>('/api/auth/token/refresh', { refresh: session.refresh });
    const third = await auth.api.post<{ refresh: string }>('/api/auth/token/refresh', { refresh: second.body.refresh });
    expect(third.status).toBe(200);
    // The thief replays the first token: the family dies, including the newest token.
    expect((await auth.api.post('/api/auth/token/refresh', { refresh: session.refresh })).status).toBe(401);
    const victim = await auth.api.post('/api/auth/token/refresh', { refresh: third.body.refresh });
    expect(victim.status).toBe(401);
    expect(victim.body).toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    // Other sessions of the same person are untouched.
    expect((await auth.api.get('/api/auth/profile', { token: session.access })).status).toBe(200);
  });

  it('lets exactly one of two concurrent exchanges of the same token win', async () => {
    const session = await signedInUser(auth.api);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => auth.api.post('/api/auth/token/refresh', { refresh: session.refresh })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(4);
  });

  it('refuses unknown, malformed and expired refresh tokens', async () => {
    expect((await auth.api.post('/api/auth/token/refresh', { refresh: 'x'.repeat(43) })).status).toBe(401);
    expect((await auth.api.post('/api/auth/token/refresh', { refresh: 'short' })).status).toBe(401);
    expect((await auth.api.post('/api/auth/token/refresh', {})).status).toBe(400);
    const session = await signedInUser(auth.api);
    auth.clock.advance((7 * 24 * 3600 + 1) * 1000);
    try {
      expect((await auth.api.post('/api/auth/token/refresh', { refresh: session.refresh })).status).toBe(401);
    } finally {
      auth.clock.advance(-(7 * 24 * 3600 + 1) * 1000);
    }
  });
});

describe('refresh reuse grace window', () => {
  let graceful: RunningAuth;
  beforeAll(async () => {
    graceful = await startAuth({ REFRESH_REUSE_GRACE_MS: '30s' });
  });
  afterAll(async () => {
    await graceful?.stop();
  });

  it('treats a second use within the window as a retry (new token, family alive) and later as theft', async () => {
    // The clock stands still: the retry comes 0 s after the first use, however slow the machine.
    graceful.clock.freeze();
    const session = await signedInUser(graceful.api);
    const first = await graceful.api.post<{ refresh: string }>('/api/auth/token/refresh', { refresh: session.refresh });
    const retry = await graceful.api.post<{ refresh: string }>('/api/auth/token/refresh', { refresh: session.refresh });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect((await graceful.api.post('/api/auth/token/refresh', { refresh: retry.body.refresh })).status).toBe(200);

    graceful.clock.advance(31_000);
    expect((await graceful.api.post('/api/auth/token/refresh', { refresh: session.refresh })).status).toBe(401);
    expect((await graceful.api.post('/api/auth/token/refresh', { refresh: first.body.refresh })).status).toBe(401);
  });
});

describe('POST /api/auth/logout', () => {
  it('revokes the session of the given refresh token and clears the cookie', async () => {
    const session = await signedInUser(auth.api);
    const res = await auth.api.post('/api/auth/logout', { refresh: session.refresh });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ detail: 'Successfully logged out.' });
    expect(res.headers.get('set-cookie')).toMatch(/access_token=;.*Max-Age=0/i);
    expect((await auth.api.post('/api/auth/token/refresh', { refresh: session.refresh })).status).toBe(401);
  });

  it('revokes the session the access token came from when no refresh token is given', async () => {
    const session = await signedInUser(auth.api);
    const res = await auth.api.post('/api/auth/logout', undefined, { token: session.access });
    expect(res.status).toBe(200);
    expect((await auth.api.post('/api/auth/token/refresh', { refresh: session.refresh })).status).toBe(401);
  });

  it('is harmless without credentials, with an invalid token or twice', async () => {
    expect((await auth.api.post('/api/auth/logout')).status).toBe(200);
    expect((await auth.api.post('/api/auth/logout', undefined, { token: 'garbage' })).status).toBe(200);
    const session = await signedInUser(auth.api);
    expect((await auth.api.post('/api/auth/logout/', { refresh: session.refresh })).status).toBe(200);
    expect((await auth.api.post('/api/auth/logout', { refresh: session.refresh })).status).toBe(200);
  });
});

describe('signing key rotation', () => {
  it('keeps tokens signed with the previous key valid until they expire, then drops the key', async () => {
    // The clock stands still from here, so the rotation and the moment the old key goes are exact.
    auth.clock.freeze();
    try {
      const admin = await signedInAdmin(auth);
      const before = await signedInUser(auth.api);
      const oldKid = decodeProtectedHeader(before.access).kid;

      const rotated = await auth.api.post(
        '/internal/signing-keys/rotate',
        { activate_in_sec: 0 },
        { token: admin.access },
      );
      expect(rotated.status).toBe(201);
      const newKid = rotated.body.kid;
      expect(newKid).not.toBe(oldKid);

      const after = await signedInUser(auth.api);
      expect(decodeProtectedHeader(after.access).kid).toBe(newKid);

      const jwks = await auth.api.get<{ keys: Array<{ kid: string }> }>('/.well-known/jwks.json');
      expect(jwks.body.keys.map((k) => k.kid)).toEqual([newKid, oldKid]);
      const verifier = jwksOnlyVerifier();
      await expect(verifier.verify(before.access)).resolves.toMatchObject({ id: before.user.id });
      await expect(verifier.verify(after.access)).resolves.toMatchObject({ id: after.user.id });
      expect((await auth.api.get('/api/auth/profile', { token: before.access })).status).toBe(200);

      // The old key is published for the old tokens' lifetime (15 min) plus the grace (key refresh
      // 30 s + clock tolerance 5 s + 60 s) after the new one took over, and not a millisecond longer.
      const publishedFor = (15 * 60 + 30 + 5 + 60) * 1000;
      auth.clock.advance(publishedFor - 1);
      const last = await auth.api.get<{ keys: Array<{ kid: string }> }>('/.well-known/jwks.json');
      expect(last.body.keys.map((k) => k.kid)).toEqual([newKid, oldKid]);
      auth.clock.advance(1);
      const later = await auth.api.get<{ keys: Array<{ kid: string }> }>('/.well-known/jwks.json');
      expect(later.body.keys.map((k) => k.kid)).toEqual([newKid]);
      await expect(jwksOnlyVerifier().verify(before.access)).rejects.toMatchObject({ status: 401 });
      await expect(jwksOnlyVerifier().verify(after.access)).resolves.toMatchObject({ id: after.user.id });
      expect(await auth.service.keys.prune()).toEqual([oldKid]);
    } finally {
      auth.clock.reset();
    }
  });

  it('publishes a pre-announced key before it signs anything', async () => {
    // The clock stands still: the new key takes over exactly 120 s after the rotation.
    auth.clock.freeze();
    try {
      const admin = await signedInAdmin(auth);
      const current = decodeProtectedHeader((await signedInUser(auth.api)).access).kid;
      const rotated = await auth.api.post(
        '/internal/signing-keys/rotate',
        { activate_in_sec: 120 },
        { token: admin.access },
      );
      expect(rotated.status).toBe(201);
      const jwks = await auth.api.get<{ keys: Array<{ kid: string }> }>('/.well-known/jwks.json');
      expect(jwks.body.keys.map((k) => k.kid)).toContain(rotated.body.kid);
      expect(decodeProtectedHeader((await signedInUser(auth.api)).access).kid).toBe(current);
      auth.clock.advance(120_000 - 1);
      expect(decodeProtectedHeader((await signedInUser(auth.api)).access).kid).toBe(current);
      auth.clock.advance(1);
      expect(decodeProtectedHeader((await signedInUser(auth.api)).access).kid).toBe(rotated.body.kid);
    } finally {
      auth.clock.reset();
    }
  });

  it('is admin-only', async () => {
    const user = await signedInUser(auth.api);
    expect((await auth.api.post('/internal/signing-keys/rotate', {}, { token: user.access })).status).toBe(403);
    expect((await auth.api.post('/internal/signing-keys/rotate', {})).status).toBe(401);
  });
});
