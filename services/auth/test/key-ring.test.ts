import { connectMongo, ensureIndexes } from '@convene/kit';
import { mongoUrlFor, TestClock, uniqueName } from '@convene/testing';
import { jwtVerify } from 'jose';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAccessToken } from '../src/credentials/access-tokens.ts';
import { KeyRing } from '../src/credentials/key-ring.ts';
import { signingKeyStore } from '../src/store/signing-keys.ts';

let mongo: Connection;
beforeAll(async () => {
  mongo = await connectMongo(mongoUrlFor(uniqueName('authkeys')));
  await ensureIndexes([signingKeyStore(mongo).model]);
});
afterAll(async () => {
  await mongo?.dropDatabase();
  await mongo?.close();
});

const window = { accessTokenTtlMs: 900_000, graceMs: 60_000 };
const clock = new TestClock();
const secret = 'key-ring-test-secret-of-32-characters';
const ring = () => new KeyRing({ store: signingKeyStore(mongo), window, secret, now: clock.now });

describe('KeyRing (shared through the auth database)', () => {
  it('gives replicas that boot together one first key', async () => {
    await mongo.collection('signing_keys').deleteMany({});
    const replicas = Array.from({ length: 4 }, ring);
    await Promise.all(replicas.map((r) => r.start()));
    expect(await mongo.collection('signing_keys').countDocuments()).toBe(1);
    const kids = await Promise.all(replicas.map(async (r) => (await r.signingKey()).kid));
    expect(new Set(kids).size).toBe(1);
  });

  it('lets concurrent rotations each add one generation, never two keys of the same generation', async () => {
    const replicas = Array.from({ length: 3 }, ring);
    await Promise.all(replicas.map((r) => r.start()));
    const before = await mongo.collection('signing_keys').countDocuments();
    await Promise.all(replicas.map((r) => r.rotate({ activateInMs: 0 })));
    const docs = await mongo.collection('signing_keys').find().toArray();
    expect(docs).toHaveLength(before + 3);
    expect(new Set(docs.map((d) => d.generation)).size).toBe(docs.length);
  });

  it('stores private keys encrypted and refuses to start with the wrong secret', async () => {
    const doc = await mongo.collection('signing_keys').findOne();
    expect(typeof doc?.private_jwk).toBe('string');
    expect(String(doc?.private_jwk)).toMatch(/^enc:v1:/);
    const wrong = new KeyRing({ store: signingKeyStore(mongo), window, secret: `${secret}!`, now: clock.now });
    await expect(wrong.start()).rejects.toThrow(/cannot be decrypted/);
  });

  it('signs tokens another replica verifies with its published keys', async () => {
    const [a, b] = [ring(), ring()];
    await Promise.all([a.start(), b.start()]);
    const user = {
      id: 'u1',
      username: 'ada',
      email: 'ada@example.com',
      first_name: 'Ada',
      last_name: '',
      role: 'user' as const,
      status: 'active' as const,
      password_hash: null,
      invitation: null,
      timezone: null,
      locale: null,
      created_at: clock.now(),
      updated_at: clock.now(),
      last_login_at: null,
    };
    const { token } = await issueAccessToken(
      a,
      user,
      'sid-1',
      { issuer: 'iss', audience: 'aud', ttlMs: 60_000 },
      clock.now(),
    );
    const { payload } = await jwtVerify(token, b.getKey, { issuer: 'iss', audience: 'aud', algorithms: ['EdDSA'] });
    expect(payload).toMatchObject({ sub: 'u1', sid: 'sid-1', name: 'Ada' });
  });
});
