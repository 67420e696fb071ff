import { Hono } from 'hono';
import { exportJWK, generateKeyPair, type JWK, type JWTVerifyGetKey, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import { type RunningServer, serve } from '../server/serve.ts';
import { createVerifier } from './create-verifier.ts';

const ISSUER = 'convene-auth';
const AUDIENCE = 'convene';
/** A fixed instant on a whole second, so `exp` (seconds) lines up with the injected clock. */
const T0 = Math.floor(Date.now() / 1000) * 1000;

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let first: KeyPair;
let second: KeyPair;
let published: JWK[] = [];
let jwksServer: RunningServer;

beforeAll(async () => {
  [first, second] = await Promise.all([
    generateKeyPair('EdDSA', { extractable: true }),
    generateKeyPair('EdDSA', { extractable: true }),
  ]);
  jwksServer = await serve(
    new Hono().get('/.well-known/jwks.json', (c) => c.json({ keys: published })),
    { host: '127.0.0.1', port: 0 },
  );
});

afterAll(async () => {
  await jwksServer?.close();
});

const jwkOf = async (pair: KeyPair, kid: string): Promise<JWK> => ({
  ...(await exportJWK(pair.publicKey)),
  kid,
  alg: 'EdDSA',
  use: 'sig',
});

function token({ key = first, kid = 'k1', sub = 'u1', expSec = T0 / 1000 + 600 } = {}) {
  return new SignJWT({ role: 'user' })
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(sub)
    .setIssuedAt(T0 / 1000)
    .setExpirationTime(expSec)
    .sign(key.privateKey);
}

/** A local key set that counts signature checks (jose asks it for the key of every check). */
async function countingKeys() {
  const jwk = await jwkOf(first, 'k1');
  const { createLocalJWKSet } = await import('jose');
  const local = createLocalJWKSet({ keys: [jwk] });
  const counter = { checks: 0 };
  const getKey: JWTVerifyGetKey = (header, token) => {
    counter.checks++;
    return local(header, token);
  };
  return { getKey, counter };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('createVerifier: verified tokens', () => {
  it('checks a token’s signature once while it is remembered, and again after ttlMs', async () => {
    const { getKey, counter } = await countingKeys();
    let now = T0;
    const verifier = createVerifier({
      jwks: getKey,
      issuer: ISSUER,
      audience: AUDIENCE,
      verifiedTokens: { ttlMs: 30_000 },
      now: () => now,
    });
    const jwt = await token();
    expect((await verifier.verify(jwt)).id).toBe('u1');
    now = T0 + 29_999;
    expect((await verifier.verify(jwt)).id).toBe('u1');
    expect(counter.checks).toBe(1);
    now = T0 + 30_000;
    expect((await verifier.verify(jwt)).id).toBe('u1');
    expect(counter.checks).toBe(2);
  });

  it('never takes a token on trust past its exp', async () => {
    const { getKey, counter } = await countingKeys();
    let now = T0;
    const verifier = createVerifier({
      jwks: getKey,
      issuer: ISSUER,
      audience: AUDIENCE,
      clockToleranceSec: 5,
      verifiedTokens: { ttlMs: 60_000 },
      now: () => now,
    });
    const exp = T0 + 10_000;
    const jwt = await token({ expSec: exp / 1000 });
    await verifier.verify(jwt);
    now = exp - 1;
    await verifier.verify(jwt);
    expect(counter.checks).toBe(1);
    // Past exp the signature and claims are checked again (within the clock tolerance it passes,
    // and is not remembered), and after the tolerance the token is refused as expired.
    now = exp;
    await verifier.verify(jwt);
    expect(counter.checks).toBe(2);
    now = exp + 1_000;
    await verifier.verify(jwt);
    expect(counter.checks).toBe(3);
    now = exp + 6_000;
    const err = await rejection(verifier.verify(jwt));
    expect([err.status, err.code]).toEqual([401, 'TOKEN_EXPIRED']);
  });

  it('remembers at most maxEntries tokens, forgetting the oldest first', async () => {
    const { getKey, counter } = await countingKeys();
    const verifier = createVerifier({
      jwks: getKey,
      issuer: ISSUER,
      audience: AUDIENCE,
      verifiedTokens: { ttlMs: 30_000, maxEntries: 2 },
      now: () => T0,
    });
    const [a, b, c] = await Promise.all([token({ sub: 'a' }), token({ sub: 'b' }), token({ sub: 'c' })]);
    for (const jwt of [a, b, c]) await verifier.verify(jwt);
    expect(counter.checks).toBe(3);
    expect((await verifier.verify(c)).id).toBe('c');
    expect((await verifier.verify(b)).id).toBe('b');
    expect(counter.checks).toBe(3);
    expect((await verifier.verify(a)).id).toBe('a');
    expect(counter.checks).toBe(4);
  });

  it('remembers nothing that failed, and hands out a copy of the user', async () => {
    const { getKey, counter } = await countingKeys();
    const verifier = createVerifier({
      jwks: getKey,
      issuer: ISSUER,
      audience: AUDIENCE,
      verifiedTokens: {},
      now: () => T0,
    });
    const stranger = await token({ key: second });
    for (let i = 0; i < 2; i++) expect((await rejection(verifier.verify(stranger))).code).toBe('TOKEN_INVALID');
    expect(counter.checks).toBe(2);
    const jwt = await token();
    const user = await verifier.verify(jwt);
    user.role = 'admin';
    expect((await verifier.verify(jwt)).role).toBe('user');
  });

  it('is off by default with a key set of its own (the auth service withdraws keys at once)', async () => {
    const { getKey, counter } = await countingKeys();
    const verifier = createVerifier({ jwks: getKey, issuer: ISSUER, audience: AUDIENCE, now: () => T0 });
    const jwt = await token();
    await verifier.verify(jwt);
    await verifier.verify(jwt);
    expect(counter.checks).toBe(2);
  });

  it('forgets every remembered token once the fetched key set has changed (a withdrawn key)', async () => {
    published = [await jwkOf(first, 'k1'), await jwkOf(second, 'k2')];
    const verifier = createVerifier({
      jwksUrl: `${jwksServer.url}/.well-known/jwks.json`,
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksCooldownMs: 0,
    });
    const onSecond = await token({ key: second, kid: 'k2', expSec: Math.floor(Date.now() / 1000) + 600 });
    await verifier.verify(onSecond);
    await verifier.verify(onSecond);
    published = [await jwkOf(first, 'k1')];
    // Remembered: no key set is fetched for it (within ttlMs, like the gateway).
    expect((await verifier.verify(onSecond)).id).toBe('u1');
    // A token naming a key the verifier does not know makes it fetch the set again: k2 is gone.
    const unknownKid = await token({ key: second, kid: 'k9', expSec: Math.floor(Date.now() / 1000) + 600 });
    expect((await rejection(verifier.verify(unknownKid))).code).toBe('TOKEN_INVALID');
    const err = await rejection(verifier.verify(onSecond));
    expect([err.status, err.code]).toEqual([401, 'TOKEN_INVALID']);
  });
});
