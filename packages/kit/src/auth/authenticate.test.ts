import { Hono } from 'hono';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app/create-app.ts';
import { type RunningServer, serve } from '../server/serve.ts';
import { capturedLogger } from '../test-helpers.ts';
import { authenticate, requireAdmin, requireUser } from './authenticate.ts';
import { createVerifier } from './create-verifier.ts';

const ISSUER = 'convene-auth';
const AUDIENCE = 'convene';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let edKey: KeyPair;
let ecKey: KeyPair;
let rotatedKey: KeyPair;
let strangerKey: KeyPair;
let published: JWK[] = [];
let jwksServer: RunningServer;
let jwksFetches = 0;

beforeAll(async () => {
  [edKey, ecKey, rotatedKey, strangerKey] = await Promise.all([
    generateKeyPair('EdDSA', { extractable: true }),
    generateKeyPair('ES256', { extractable: true }),
    generateKeyPair('EdDSA', { extractable: true }),
    generateKeyPair('EdDSA', { extractable: true }),
  ]);
  published = [
    { ...(await exportJWK(edKey.publicKey)), kid: 'ed-1', alg: 'EdDSA', use: 'sig' },
    { ...(await exportJWK(ecKey.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  const jwks = new Hono().get('/.well-known/jwks.json', (c) => {
    jwksFetches += 1;
    return c.json({ keys: published });
  });
  jwksServer = await serve(jwks, { host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await jwksServer?.close();
});

interface TokenOptions {
  key?: KeyPair['privateKey'];
  alg?: string;
  kid?: string;
  typ?: string;
  issuer?: string;
  audience?: string;
  expiresIn?: string | number;
  claims?: Record<string, unknown>;
  subject?: string | null;
}

function token({
  key = edKey.privateKey,
  alg = 'EdDSA',
  kid = 'ed-1',
  typ = 'at+jwt',
  issuer = ISSUER,
  audience = AUDIENCE,
  expiresIn = '5m',
  claims = {},
  subject = 'u1',
}: TokenOptions = {}) {
  const jwt = new SignJWT({ username: 'ada', email: 'ada@example.com', name: 'Ada Lovelace', role: 'user', ...claims })
    .setProtectedHeader({ alg, kid, typ })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  if (subject) jwt.setSubject(subject);
  return jwt.sign(key);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function buildApp(verifierOptions: Partial<Parameters<typeof createVerifier>[0]> = {}) {
  const verifier = createVerifier({
    jwksUrl: `${jwksServer.url}/.well-known/jwks.json`,
    issuer: ISSUER,
    audience: AUDIENCE,
    clockToleranceSec: 5,
    ...verifierOptions,
  });
  const { logger, lines } = capturedLogger();
  const app = createApp({ service: 'events', logger });
  app.use('/api/*', authenticate({ verifier }));
  app.use('/public/*', authenticate({ verifier, optional: true }));
  app.get('/api/me', (c) => c.json(requireUser(c)));
  app.get('/api/admin', (c) => c.json(requireAdmin(c)));
  app.get('/public/hello', (c) => c.json({ user: c.get('user') ?? null }));
  return { app, lines };
}

const bearer = (jwt: string) => ({ headers: { Authorization: `Bearer ${jwt}` } });

async function expectRejected(res: Response, code = 'TOKEN_INVALID') {
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="convene"/);
  expect(await res.json()).toMatchObject({ status: 401, code });
}

describe('authenticate', () => {
  it('accepts a valid EdDSA token and exposes the user', async () => {
    const { app } = buildApp();
    const res = await app.request('/api/me', bearer(await token()));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: 'u1',
      username: 'ada',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      role: 'user',
    });
  });

  it('accepts a valid ES256 token', async () => {
    const { app } = buildApp();
    const jwt = await token({ key: ecKey.privateKey, alg: 'ES256', kid: 'ec-1' });
    expect((await app.request('/api/me', bearer(jwt))).status).toBe(200);
  });

  it('accepts the token from the access_token cookie', async () => {
    const { app } = buildApp();
    const res = await app.request('/api/me', { headers: { Cookie: `theme=dark; access_token=${await token()}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe('u1');
  });

  it('rejects an expired token as TOKEN_EXPIRED', async () => {
    const { app } = buildApp();
    const jwt = await token({ expiresIn: Math.floor(Date.now() / 1000) - 60 });
    await expectRejected(await app.request('/api/me', bearer(jwt)), 'TOKEN_EXPIRED');
  });

  it('rejects a tampered signature', async () => {
    const { app } = buildApp();
    const [header, payload, signature] = (await token()).split('.');
    const flipped = `${signature?.startsWith('A') ? 'B' : 'A'}${signature?.slice(1)}`;
    await expectRejected(await app.request('/api/me', bearer(`${header}.${payload}.${flipped}`)));
  });

  it('rejects a tampered payload (role raised to admin)', async () => {
    const { app } = buildApp();
    const [header, , signature] = (await token()).split('.');
    const forged = b64({
      sub: 'u1',
      role: 'admin',
      iss: ISSUER,
      aud: AUDIENCE,
      exp: Math.floor(Date.now() / 1000) + 300,
    });
    await expectRejected(await app.request('/api/admin', bearer(`${header}.${forged}.${signature}`)));
  });

  it('rejects a token for another audience', async () => {
    const { app } = buildApp();
    await expectRejected(await app.request('/api/me', bearer(await token({ audience: 'someone-else' }))));
  });

  it('rejects a token from another issuer', async () => {
    const { app } = buildApp();
    await expectRejected(await app.request('/api/me', bearer(await token({ issuer: 'evil-auth' }))));
  });

  it('rejects alg=none', async () => {
    const { app } = buildApp();
    const exp = Math.floor(Date.now() / 1000) + 300;
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({ sub: 'u1', iss: ISSUER, aud: AUDIENCE, exp, role: 'admin' })}.`;
    await expectRejected(await app.request('/api/me', bearer(unsigned)));
  });

  it('rejects HS256 signed with the public key bytes (key confusion)', async () => {
    const { app } = buildApp();
    const pem = await exportSPKI(edKey.publicKey);
    const jwk = published[0] as JWK;
    for (const secret of [new TextEncoder().encode(pem), Buffer.from(jwk.x as string, 'base64url')]) {
      const jwt = await token({ key: secret as never, alg: 'HS256', kid: 'ed-1' });
      await expectRejected(await app.request('/api/me', bearer(jwt)));
    }
  });

  it('rejects a token signed by a key the set does not have', async () => {
    const { app } = buildApp();
    await expectRejected(
      await app.request('/api/me', bearer(await token({ key: strangerKey.privateKey, kid: 'ed-9' }))),
    );
    await expectRejected(
      await app.request('/api/me', bearer(await token({ key: strangerKey.privateKey, kid: 'ed-1' }))),
    );
  });

  it('rejects a token of another type (an ID token or refresh token)', async () => {
    const { app } = buildApp();
    await expectRejected(await app.request('/api/me', bearer(await token({ typ: 'JWT' }))));
    await expectRejected(await app.request('/api/me', bearer(await token({ typ: 'refresh+jwt' }))));
  });

  it('rejects a token without a subject', async () => {
    const { app } = buildApp();
    await expectRejected(await app.request('/api/me', bearer(await token({ subject: null }))));
  });

  it('rejects garbage', async () => {
    const { app } = buildApp();
    for (const junk of ['garbage', 'a.b.c', '', '....', `${b64({ alg: 'EdDSA' })}.%%%.xyz`]) {
      await expectRejected(await app.request('/api/me', bearer(junk)));
    }
    await expectRejected(await app.request('/api/me', { headers: { Cookie: 'access_token=nonsense' } }));
  });

  it('answers 401 with WWW-Authenticate when no token is sent to a protected route', async () => {
    const { app } = buildApp();
    await expectRejected(await app.request('/api/me'), 'UNAUTHENTICATED');
  });

  it('lets anonymous callers through optional routes, but not invalid tokens', async () => {
    const { app } = buildApp();
    const anonymous = await app.request('/public/hello');
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ user: null });
    const signedIn = await app.request('/public/hello', bearer(await token()));
    expect(((await signedIn.json()) as { user: { id: string } }).user.id).toBe('u1');
    await expectRejected(await app.request('/public/hello', bearer('garbage')));
  });

  it('requireAdmin answers 403 to users and lets admins in', async () => {
    const { app } = buildApp();
    const user = await app.request('/api/admin', bearer(await token()));
    expect(user.status).toBe(403);
    expect(await user.json()).toMatchObject({ code: 'FORBIDDEN' });
    const admin = await app.request('/api/admin', bearer(await token({ claims: { role: 'admin' } })));
    expect(admin.status).toBe(200);
  });

  it('fetches the key set once and caches it', async () => {
    const { app } = buildApp();
    const before = jwksFetches;
    for (let i = 0; i < 5; i += 1) expect((await app.request('/api/me', bearer(await token()))).status).toBe(200);
    expect(jwksFetches - before).toBe(1);
  });

  it('picks up a rotated key once the cooldown has passed', async () => {
    const { app } = buildApp({ jwksCooldownMs: 0 });
    expect((await app.request('/api/me', bearer(await token()))).status).toBe(200);
    published.push({ ...(await exportJWK(rotatedKey.publicKey)), kid: 'ed-2', alg: 'EdDSA', use: 'sig' });
    try {
      const res = await app.request('/api/me', bearer(await token({ key: rotatedKey.privateKey, kid: 'ed-2' })));
      expect(res.status).toBe(200);
    } finally {
      published.pop();
    }
  });

  it('answers 503, not 401 or 500, when the key set cannot be fetched', async () => {
    const closed = await serve(new Hono(), { port: 0 });
    await closed.close();
    const { app, lines } = buildApp({ jwksUrl: `${closed.url}/.well-known/jwks.json` });
    const res = await app.request('/api/me', bearer(await token()));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'AUTH_UNAVAILABLE' });
    expect(JSON.stringify(lines)).not.toContain('Bearer');
  });
});
