import { randomUUID } from 'node:crypto';
import { rawRequest, startTestIssuer } from '@convene/testing';
import { describe, expect } from 'vitest';
import {
  accessCookie,
  adminSession,
  expectProblem,
  login,
  newPerson,
  nextInvitationLink,
  OTHER_STRONG_PASSWORD,
  type Session,
  STRONG_PASSWORD,
  type SystemStack,
  signUp,
  systemTest,
  tokenOf,
} from '../src/index.ts';
import { AUTH_AT_THE_EDGE } from './support/auth-at-the-edge.ts';

// What the gateway itself decides in front of auth: tokens at the edge, /internal never exposed,
// and every auth path also answering with a trailing slash.

const it = systemTest({ services: ['auth'], countRequests: ['auth'], env: { auth: AUTH_AT_THE_EDGE } });
// A second stack, started only when its test runs: auth with a small per-address login budget.
const limitedIt = systemTest({
  services: ['auth'],
  env: { auth: { ...AUTH_AT_THE_EDGE, LOGIN_MAX_FAILURES_PER_IP: '3', LOGIN_MAX_FAILURES_PER_ACCOUNT: '100' } },
});
let stack: SystemStack;
let admin: Session;
it.beforeAll(async ({ stack: started }) => {
  stack = started;
  admin = await adminSession(stack);
});

/** What the gateway forwarded to auth since `mark` (its own /readyz and OpenAPI fetches left out). */
function forwardedSince(mark: number): string[] {
  return stack.seen.auth!.slice(mark).filter((line) => !/^GET \/(readyz|openapi\.json)$/.test(line));
}

describe('protected auth routes without a token: 401 at the gateway', () => {
  it.each([
    ['GET', '/api/auth/profile'],
    ['PUT', '/api/auth/profile'],
    ['PATCH', '/api/auth/profile'],
    ['PUT', '/api/auth/profile/update'],
    ['POST', '/api/auth/change-password'],
    ['GET', '/api/users'],
    ['POST', '/api/users'],
    ['GET', '/api/users/inactive'],
    ['POST', '/api/users/bulk'],
    ['POST', '/api/users/some-id/resend-invitation'],
    ['POST', '/api/user/some-id/resend-invitation'],
  ])('%s %s', async (method, path) => {
    const mark = stack.seen.auth!.length;
    const res = await stack.api.request(method, path, method === 'GET' ? undefined : {});
    expectProblem(res, 401, { code: 'UNAUTHENTICATED' });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(forwardedSince(mark)).toEqual([]);
  });

  it('is decided by the gateway: an auth path auth does not serve is 401 without a token, 404 with one', async () => {
    // Auth alone would answer 404 for this path whatever the credentials; the 401 can only be the edge's.
    const path = '/api/auth/no-such-endpoint';
    const mark = stack.seen.auth!.length;
    expectProblem(await stack.api.get(path), 401, { code: 'UNAUTHENTICATED' });
    expect(forwardedSince(mark)).toEqual([]);
    expectProblem(await stack.api.get(path, { token: admin.access }), 404);
    expect(forwardedSince(mark)).toEqual([`GET ${path}`]);
    const direct = await fetch(`${stack.services.auth!.url}${path}`);
    expect(direct.status).toBe(404);
  });

  it('refuses tokens auth did not sign, before auth sees them', async () => {
    const { session } = await signUp(stack.api);
    const [header, payload, signature] = session.access.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());

    // The user makes themself an admin by editing the claims: the signature no longer matches.
    const escalated = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${signature}`;
    // Unsigned.
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    // Signed by a key of the attacker's that claims auth's kid.
    const attacker = await startTestIssuer();
    const kid = JSON.parse(Buffer.from(header, 'base64url').toString()).kid;
    const forged = attacker.token({ kid, claims: { ...claims, role: 'admin', jti: randomUUID() } });
    await attacker.close();

    const mark = stack.seen.auth!.length;
    for (const token of [escalated, none, forged, 'garbage']) {
      const res = await stack.api.get('/api/users', { token });
      expectProblem(res, 401, { code: 'TOKEN_INVALID' });
      expectProblem(await stack.api.get('/api/auth/profile', { cookie: token }), 401, { code: 'TOKEN_INVALID' });
    }
    expect(forwardedSince(mark)).toEqual([]);
    // The genuine token still works.
    expect((await stack.api.get('/api/auth/profile', { token: session.access })).status).toBe(200);
  });

  it('lets public auth routes through without a token', async () => {
    const mark = stack.seen.auth!.length;
    // A fresh registration, login, refresh and the key set need nothing but the request itself.
    const person = newPerson();
    expect((await stack.api.post('/api/auth/register', person)).status).toBe(201);
    const signedIn = await stack.api.post('/api/auth/login', { username: person.username, password: person.password });
    expect(signedIn.status).toBe(200);
    expect((await stack.api.post('/api/auth/token/refresh', { refresh: signedIn.body.refresh })).status).toBe(200);
    expect((await stack.api.get('/.well-known/jwks.json')).status).toBe(200);
    expectProblem(await stack.api.get(`/api/auth/set-password/${'A'.repeat(43)}`), 404, {
      code: 'INVITATION_TOKEN_INVALID',
    });
    expect(forwardedSince(mark)).toEqual([
      'POST /api/auth/register',
      'POST /api/auth/login',
      'POST /api/auth/token/refresh',
      'GET /.well-known/jwks.json',
      `GET /api/auth/set-password/${'A'.repeat(43)}`,
    ]);
  });
});

describe('/internal/* is never reachable through the gateway', () => {
  let userId: string;
  it.beforeAll(async () => {
    userId = (await signUp(stack.api)).session.user.id;
  });

  it('auth does serve /internal/users/{id} to whoever reaches it directly (the control)', async () => {
    const direct = await fetch(`${stack.services.auth!.url}/internal/users/${userId}`);
    expect(direct.status).toBe(200);
    expect(await direct.json()).toMatchObject({ user_id: userId });
  });

  it.each([
    `/internal/users/{id}`,
    `/internal/users/{id}/`,
    `/INTERNAL/users/{id}`,
    `/%69nternal/users/{id}`,
    `/%2e%2e/internal/users/{id}`,
    `/api/../internal/users/{id}`,
    `/api/%2e%2e/internal/users/{id}`,
    `//internal/users/{id}`,
    `/api/auth/..%2f..%2finternal/users/{id}`,
  ])('GET %s → 404, with or without an admin token', async (template) => {
    const path = template.replace('{id}', userId);
    const mark = stack.seen.auth!.length;
    for (const headers of [{}, { authorization: `Bearer ${admin.access}` }] as Record<string, string>[]) {
      const res = await rawRequest(stack.url, path, { headers });
      expect(res.status, `${path}: ${res.body}`).toBe(404);
      expect(res.body).not.toContain(userId);
    }
    expect(forwardedSince(mark)).toEqual([]);
  });

  it('POST /internal/signing-keys/rotate → 404 even for an admin, and the key set is unchanged', async () => {
    const before = (await stack.api.get('/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);
    const mark = stack.seen.auth!.length;
    for (const path of ['/internal/signing-keys/rotate', '/internal/signing-keys/rotate/']) {
      const res = await stack.api.post(path, {}, { token: admin.access });
      expectProblem(res, 404);
    }
    expect(forwardedSince(mark)).toEqual([]);
    const after = (await stack.api.get('/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);
    expect(after).toEqual(before);
  });
});

describe('every auth path also works with a trailing slash', () => {
  it('register, login, profile, refresh, change password and logout', async () => {
    const person = newPerson();
    expect((await stack.api.post('/api/auth/register/', person)).status).toBe(201);
    expect((await stack.api.post('/api/register/', newPerson())).status).toBe(201);

    const aliasLogin = await stack.api.post('/api/login/', { username: person.username, password: person.password });
    expect(aliasLogin.status).toBe(200);
    const res = await stack.api.post('/api/auth/login/', { username: person.username, password: person.password });
    expect(res.status).toBe(200);
    expect(accessCookie(res)?.value).toBe(res.body.access);
    const { access, refresh } = res.body;

    expect((await stack.api.get('/api/auth/profile/', { token: access })).body.username).toBe(person.username);
    const patched = await stack.api.patch('/api/auth/profile/', { first_name: 'Slash' }, { token: access });
    expect(patched.body.first_name).toBe('Slash');
    const put = await stack.api.put(
      '/api/auth/profile/',
      { username: person.username, email: person.email, last_name: 'Put' },
      { token: access },
    );
    expect(put.body.last_name).toBe('Put');
    const update = await stack.api.put(
      '/api/auth/profile/update/',
      { username: person.username, email: person.email, last_name: 'Update' },
      { token: access },
    );
    expect(update.body.last_name).toBe('Update');

    const refreshed = await stack.api.post('/api/auth/token/refresh/', { refresh });
    expect(refreshed.status).toBe(200);
    const changed = await stack.api.post(
      '/api/auth/change-password/',
      { old_password: STRONG_PASSWORD, new_password: OTHER_STRONG_PASSWORD },
      { token: refreshed.body.access },
    );
    expect(changed.status).toBe(200);
    await login(stack.api, person.username, OTHER_STRONG_PASSWORD);

    expect((await stack.api.post('/api/auth/logout/', { refresh: refreshed.body.refresh })).status).toBe(200);
    expectProblem(await stack.api.post('/api/auth/token/refresh', { refresh: refreshed.body.refresh }), 401);

    const jwks = await stack.api.get('/.well-known/jwks.json/');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys).toHaveLength(1);
  });

  it('the admin routes and the set-password link', async () => {
    const email = newPerson().email;
    const seen = new Set<string>();
    const created = await stack.api.post('/api/users/', { email }, { token: admin.access });
    expect(created.status).toBe(201);
    await nextInvitationLink(stack.probe, email, seen);

    const resent = await stack.api.post(`/api/users/${created.body.id}/resend-invitation/`, undefined, {
      token: admin.access,
    });
    expect(resent.body.invitation.send_count).toBe(2);
    await nextInvitationLink(stack.probe, email, seen);
    const aliasResent = await stack.api.post(`/api/user/${created.body.id}/resend-invitation/`, undefined, {
      token: admin.access,
    });
    expect(aliasResent.body.invitation.send_count).toBe(3);
    const token = tokenOf(await nextInvitationLink(stack.probe, email, seen));

    const invited = await stack.api.get('/api/users/?status=invited&page_size=100', { token: admin.access });
    expect(invited.body.results.map((u: { id: string }) => u.id)).toContain(created.body.id);
    const inactive = await stack.api.get('/api/users/inactive/?page_size=100', { token: admin.access });
    expect(inactive.body.results.map((u: { id: string }) => u.id)).toContain(created.body.id);

    expect((await stack.api.get(`/api/auth/set-password/${token}/`)).body.email).toBe(email);
    const set = await stack.api.post(`/api/auth/set-password/${token}/`, { password: STRONG_PASSWORD });
    expect(set.status).toBe(200);
    const session = await login(stack.api, email, STRONG_PASSWORD);

    const bulk = await stack.api.post(
      '/api/users/bulk/',
      { action: 'deactivate', ids: [session.user.id] },
      { token: admin.access },
    );
    expect(bulk.body.updated).toEqual([session.user.id]);
    expectProblem(await stack.api.post('/api/auth/login', { username: email, password: STRONG_PASSWORD }), 401);
  });
});

describe('per-address login throttling sees the address the gateway saw', () => {
  limitedIt(
    'a client cannot get a fresh budget by sending its own X-Forwarded-For',
    async ({ stack: limited, clock }) => {
      // Auth's clock stands still: the whole 15-minute window is still ahead when the block is told.
      clock.freeze();
      const people = [newPerson(), newPerson(), newPerson(), newPerson()];
      for (const person of people) expect((await limited.api.post('/api/register', person)).status).toBe(201);
      for (const [i, person] of people.slice(0, 3).entries()) {
        const res = await limited.api.post(
          '/api/auth/login',
          { username: person.username, password: 'Wrong-Password-9' },
          { headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } },
        );
        expectProblem(res, 401, { code: 'INVALID_CREDENTIALS' });
      }
      const blocked = await limited.api.post(
        '/api/auth/login',
        { username: people[3]!.username, password: people[3]!.password },
        { headers: { 'x-forwarded-for': '203.0.113.77' } },
      );
      expectProblem(blocked, 429, { code: 'LOGIN_THROTTLED' });
      expect(blocked.headers.get('retry-after')).toBe(String(15 * 60));
    },
  );
});
