import type { TestClock } from '@convene/testing';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, vi } from 'vitest';
import {
  accessCookie,
  expectProblem,
  login,
  newPerson,
  type Session,
  STRONG_PASSWORD,
  type SystemStack,
  signUp,
  systemTest,
} from '../src/index.ts';
import { AUTH_AT_THE_EDGE } from './support/auth-at-the-edge.ts';

// Register, sign in, refresh, sign out and the key set: auth's session endpoints, through the gateway.

const it = systemTest({ services: ['auth'], countRequests: ['auth'], env: { auth: AUTH_AT_THE_EDGE } });
let stack: SystemStack;
let clock: TestClock;
it.beforeAll(({ stack: started, clock: itsClock }) => {
  stack = started;
  clock = itsClock;
});

const INVALID_CREDENTIALS = 'No active account found with the given credentials';

describe('register through the gateway', () => {
  it.each(['/api/auth/register', '/api/register'])(
    'POST %s creates an active account and user.registered reaches a consumer on the broker',
    async (path) => {
      const person = newPerson({ first_name: 'Ada', last_name: 'Lovelace' });
      const res = await stack.api.post(path, person);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        username: person.username,
        email: person.email,
        first_name: 'Ada',
        last_name: 'Lovelace',
        role: 'user',
        status: 'active',
        is_active: true,
      });
      expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);

      const event = await stack.probe.waitFor('user.registered', (e) => e.data.email === person.email);
      expect(event).toMatchObject({
        source: 'auth',
        subject: res.body.id,
        data: { user_id: res.body.id, username: person.username, role: 'user', status: 'active' },
      });
      // The account is real: it can sign in.
      await login(stack.api, person.username, person.password);
    },
  );

  it('refuses a taken username (any case) with a field error', async () => {
    const first = newPerson();
    expect((await stack.api.post('/api/auth/register', first)).status).toBe(201);
    const res = await stack.api.post('/api/register', newPerson({ username: first.username.toUpperCase() }));
    expectProblem(res, 400, {
      code: 'VALIDATION_FAILED',
      errors: { username: ['A user with that username already exists.'] },
    });
  });

  it('refuses a taken email, compared case-insensitively', async () => {
    const first = newPerson();
    expect((await stack.api.post('/api/register', first)).status).toBe(201);
    const res = await stack.api.post('/api/auth/register', newPerson({ email: first.email.toUpperCase() }));
    expectProblem(res, 400, {
      code: 'VALIDATION_FAILED',
      errors: { email: ['A user with that email already exists.'] },
    });
  });

  it.each([
    ['too short', 'Sh0rt!x', 'This password is too short. It must contain at least 10 characters.'],
    ['too common', 'password123', 'This password is too common.'],
    ['entirely numeric', '40918273645', 'This password is entirely numeric.'],
  ])('refuses a weak password (%s) with the reason under "password"', async (_name, password, reason) => {
    const res = await stack.api.post('/api/auth/register', newPerson({ password, password2: password }));
    expectProblem(res, 400, { code: 'VALIDATION_FAILED' });
    expect(res.body.errors.password).toContain(reason);
    expect(Object.keys(res.body.errors)).toEqual(['password']);
  });

  it('refuses a password2 that does not match password', async () => {
    const res = await stack.api.post('/api/register', newPerson({ password2: `${STRONG_PASSWORD}-x` }));
    expectProblem(res, 400, { code: 'VALIDATION_FAILED', errors: { password: ["Password fields didn't match."] } });
  });

  it('reports missing fields and unknown fields as field errors', async () => {
    const res = await stack.api.post('/api/auth/register', { username: 'someone', password: STRONG_PASSWORD });
    expectProblem(res, 400);
    expect(Object.keys(res.body.errors)).toEqual(['email']);

    const extra = await stack.api.post('/api/auth/register', { ...newPerson(), is_admin: true });
    expectProblem(extra, 400);
    expect(Object.keys(extra.body.errors)).toEqual(['is_admin']);
  });

  it('never lets a registration choose its role', async () => {
    const res = await stack.api.post('/api/auth/register', { ...newPerson(), role: 'admin' });
    expectProblem(res, 400);
    expect(Object.keys(res.body.errors)).toEqual(['role']);
  });
});

describe('login through the gateway', () => {
  it.each(['/api/auth/login', '/api/login'])(
    'POST %s answers {access, refresh, user} and sets an HttpOnly, SameSite=Lax access_token cookie',
    async (path) => {
      const person = newPerson();
      const registered = await stack.api.post('/api/register', person);
      const res = await stack.api.post<Session>(path, { username: person.username, password: person.password });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['access', 'refresh', 'user']);
      expect(res.body.user).toMatchObject({ id: registered.body.id, username: person.username, role: 'user' });
      expect(res.body.user.last_login).not.toBeNull();
      expect(res.headers.get('cache-control')).toBe('no-store');

      const cookie = accessCookie(res);
      expect(cookie?.value).toBe(res.body.access);
      expect(cookie?.attributes).toMatch(/;\s*HttpOnly/i);
      expect(cookie?.attributes).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie?.attributes).toMatch(/;\s*Path=\//i);

      // The cookie alone is enough for a protected route (no Authorization header).
      const profile = await stack.api.get('/api/auth/profile', { cookie: cookie!.value });
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({ id: registered.body.id, username: person.username });
    },
  );

  it('accepts the email address in place of the username', async () => {
    const person = newPerson();
    await stack.api.post('/api/auth/register', person);
    const byEmailField = await stack.api.post('/api/auth/login', { email: person.email, password: person.password });
    expect(byEmailField.status).toBe(200);
    const byUsernameField = await stack.api.post('/api/login', { username: person.email, password: person.password });
    expect(byUsernameField.status).toBe(200);
    expect(byUsernameField.body.user.username).toBe(person.username);
  });

  it('refuses a wrong password with 401, and says the same for an account that does not exist', async () => {
    const person = newPerson();
    await stack.api.post('/api/auth/register', person);
    const wrong = await stack.api.post('/api/auth/login', {
      username: person.username,
      password: 'Not-The-Password-9',
    });
    expectProblem(wrong, 401, { code: 'INVALID_CREDENTIALS' });
    expect(wrong.body.detail).toBe(INVALID_CREDENTIALS);
    expect(accessCookie(wrong)).toBeUndefined();

    const unknown = await stack.api.post('/api/login', { username: `${person.username}_nobody`, password: 'x' });
    expectProblem(unknown, 401, { code: 'INVALID_CREDENTIALS' });
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('refuses a body without a username or password with field errors', async () => {
    const res = await stack.api.post('/api/auth/login', { password: STRONG_PASSWORD });
    expectProblem(res, 400, { errors: { username: ['This field is required.'] } });
    const noPassword = await stack.api.post('/api/login', { username: 'someone' });
    expectProblem(noPassword, 400);
    expect(Object.keys(noPassword.body.errors)).toEqual(['password']);
  });

  it('throttles repeated failures on one account with 429 and Retry-After, even for the right password', async () => {
    // Auth's clock stands still: the whole 15-minute window is still ahead when the block is told.
    clock.freeze();
    try {
      const person = newPerson();
      expect((await stack.api.post('/api/auth/register', person)).status).toBe(201);
      for (let i = 0; i < 5; i++) {
        const res = await stack.api.post('/api/auth/login', {
          username: person.username,
          password: `Wrong-guess-${i}x`,
        });
        expect(res.status).toBe(401);
      }
      const blocked = await stack.api.post('/api/auth/login', { username: person.username, password: person.password });
      expectProblem(blocked, 429, { code: 'LOGIN_THROTTLED' });
      expect(blocked.headers.get('retry-after')).toBe(String(15 * 60));
      // Another account on the same address is not affected.
      const other = newPerson();
      expect((await stack.api.post('/api/auth/register', other)).status).toBe(201);
      await login(stack.api, other.username, other.password);
    } finally {
      clock.reset();
    }
  });
});

describe('refresh through the gateway', () => {
  it('exchanges a refresh token for a new pair that works; the old refresh token stops working', async () => {
    const { session } = await signUp(stack.api);
    const res = await stack.api.post('/api/auth/token/refresh', { refresh: session.refresh });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['access', 'refresh']);
    expect(res.body.refresh).not.toBe(session.refresh);
    expect(res.body.access).not.toBe(session.access);
    expect(accessCookie(res)?.value).toBe(res.body.access);

    const profile = await stack.api.get('/api/auth/profile', { token: res.body.access });
    expect(profile.status).toBe(200);
    expect(profile.body.id).toBe(session.user.id);

    const again = await stack.api.post('/api/auth/token/refresh', { refresh: session.refresh });
    expectProblem(again, 401);
  });

  it('revokes the whole family when a rotated refresh token is presented again', async () => {
    const { person, session } = await signUp(stack.api);
    const other = await login(stack.api, person.username, person.password);

    const first = await stack.api.post('/api/auth/token/refresh', { refresh: session.refresh });
    expect(first.status).toBe(200);
    const second = await stack.api.post('/api/auth/token/refresh', { refresh: first.body.refresh });
    expect(second.status).toBe(200);

    // The stolen copy of the first token comes back: the family is revoked...
    const reuse = await stack.api.post('/api/auth/token/refresh', { refresh: session.refresh });
    expectProblem(reuse, 401, { code: 'REFRESH_TOKEN_REUSED' });
    // ...so the newest token of that family no longer works either,
    const newest = await stack.api.post('/api/auth/token/refresh', { refresh: second.body.refresh });
    expectProblem(newest, 401);
    // while the person's other session (another family) is untouched.
    const unrelated = await stack.api.post('/api/auth/token/refresh', { refresh: other.refresh });
    expect(unrelated.status).toBe(200);
  });

  it('refuses an unknown, malformed or missing refresh token', async () => {
    const unknown = await stack.api.post('/api/auth/token/refresh', { refresh: 'A'.repeat(43) });
    expectProblem(unknown, 401, { code: 'REFRESH_TOKEN_INVALID' });
    const garbage = await stack.api.post('/api/auth/token/refresh', { refresh: 'not-a-token' });
    expectProblem(garbage, 401);
    const missing = await stack.api.post('/api/auth/token/refresh', {});
    expectProblem(missing, 400);
    expect(Object.keys(missing.body.errors)).toEqual(['refresh']);
  });

  it('does not accept an access token as a refresh token', async () => {
    const { session } = await signUp(stack.api);
    // An access token is longer than any refresh token may be (512): refused as malformed.
    expect(session.access.length).toBeGreaterThan(512);
    const res = await stack.api.post('/api/auth/token/refresh', { refresh: session.access });
    expectProblem(res, 400, { code: 'VALIDATION_FAILED' });
    expect(Object.keys(res.body.errors)).toEqual(['refresh']);
    expect(res.body).not.toHaveProperty('access');
  });
});

describe('logout through the gateway', () => {
  it('ends the session of the refresh token and clears the cookie', async () => {
    const { person, session } = await signUp(stack.api);
    const other = await login(stack.api, person.username, person.password);

    const res = await stack.api.post('/api/auth/logout', { refresh: session.refresh });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ detail: 'Successfully logged out.' });
    const cleared = accessCookie(res);
    expect(cleared?.value).toBe('');
    expect(cleared?.attributes).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);

    expectProblem(await stack.api.post('/api/auth/token/refresh', { refresh: session.refresh }), 401);
    // Only that session ended.
    expect((await stack.api.post('/api/auth/token/refresh', { refresh: other.refresh })).status).toBe(200);
  });

  it('without a body, ends the session the access token came from', async () => {
    const { session } = await signUp(stack.api);
    const res = await stack.api.post('/api/auth/logout', undefined, { token: session.access });
    expect(res.status).toBe(200);
    expectProblem(await stack.api.post('/api/auth/token/refresh', { refresh: session.refresh }), 401);
  });

  it('with only the access_token cookie, ends that session', async () => {
    const { session } = await signUp(stack.api);
    const res = await stack.api.post('/api/auth/logout', undefined, { cookie: session.access });
    expect(res.status).toBe(200);
    expectProblem(await stack.api.post('/api/auth/token/refresh', { refresh: session.refresh }), 401);
  });

  it('is fine to call twice, and without any credentials', async () => {
    const { session } = await signUp(stack.api);
    expect((await stack.api.post('/api/auth/logout', { refresh: session.refresh })).status).toBe(200);
    expect((await stack.api.post('/api/auth/logout', { refresh: session.refresh })).status).toBe(200);
    expect((await stack.api.post('/api/auth/logout')).status).toBe(200);
  });
});

describe('GET /.well-known/jwks.json through the gateway', () => {
  it('publishes the public key that verifies the access tokens auth issues, and no private part', async () => {
    const res = await stack.api.get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const keys = res.body.keys as Array<Record<string, unknown>>;
    // No rotation has happened in this stack: one key.
    expect(keys).toHaveLength(1);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
      expect(key).not.toHaveProperty('d');
    }

    const { session } = await signUp(stack.api);
    const header = decodeProtectedHeader(session.access);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    expect(keys.map((k) => k.kid)).toContain(header.kid);

    // Only what the gateway served is needed to verify: no shared secret.
    const { payload } = await jwtVerify(session.access, createLocalJWKSet({ keys: keys as never }), {
      algorithms: ['EdDSA'],
      issuer: 'convene-auth',
      audience: 'convene',
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({ sub: session.user.id, username: session.user.username, role: 'user' });
    expect(typeof payload.jti).toBe('string');
  });
});

describe('HEAD /.well-known/jwks.json through the gateway', () => {
  it('answers the headers of the key set once, without a body, and auth is asked with HEAD', async () => {
    // A second write of an answer already sent is reported by @hono/node-server on console.error.
    const errors = vi.spyOn(console, 'error');
    try {
      const mark = stack.seen.auth!.length;
      const res = await fetch(`${stack.url}/.well-known/jwks.json`, { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(await res.text()).toBe('');
      expect(stack.seen.auth!.slice(mark)).toEqual(['HEAD /.well-known/jwks.json']);
      // The marker: the gateway counts the request when its handler is done, and writes (or would
      // write again) the answer in the same turn, before it can read another request. Once a
      // metrics scrape sees the count, the gateway is done with the HEAD.
      await expect
        .poll(() => fetch(`${stack.url}/metrics`).then((metrics) => metrics.text()), { timeout: 10_000 })
        .toMatch(/^gateway_http_requests_total\{group="auth",method="HEAD",status="200"\} 1$/m);
      expect(errors.mock.calls.map((call) => String(call[0]))).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });
});
