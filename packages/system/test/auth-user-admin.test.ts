import type { TestClock } from '@convene/testing';
import { describe, expect } from 'vitest';
import {
  adminSession,
  expectProblem,
  type Json,
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

// Platform user management (admins invite users who set their own password) through the gateway: invitations with set-password links
// taken from user.invited on the real broker, resend, lists, bulk (de)activation, and admin-only access.

const it = systemTest({ services: ['auth'], env: { auth: AUTH_AT_THE_EDGE } });
let stack: SystemStack;
let clock: TestClock;
let admin: Session;
it.beforeAll(async ({ stack: started, clock: itsClock }) => {
  stack = started;
  clock = itsClock;
  admin = await adminSession(stack);
});

const INVALID_CREDENTIALS = 'No active account found with the given credentials';

/** Invites a new person as the admin; returns the account and the token from the (would-be) email. */
async function invite(body: Json = {}) {
  const email = (body.email as string | undefined) ?? newPerson().email;
  const res = await stack.api.post('/api/users', { email, ...body }, { token: admin.access });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const seen = new Set<string>();
  const link = await nextInvitationLink(stack.probe, email, seen);
  return { account: res.body, email, link, token: tokenOf(link), seen };
}

async function userIds(path: string): Promise<{ ids: string[]; statuses: string[]; count: number }> {
  const res = await stack.api.get(path, { token: admin.access });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const results = res.body.results as Json[];
  return { ids: results.map((u) => u.id), statuses: results.map((u) => u.status), count: res.body.count };
}

describe('the first admin', () => {
  it('comes from the BOOTSTRAP_ADMIN_* configuration and signs in through the gateway', async () => {
    const res = await stack.api.post('/api/login', { username: stack.admin.email, password: stack.admin.password });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: stack.admin.username, role: 'admin', status: 'active' });
  });
});

describe('POST /api/users (admin invites a user)', () => {
  it('stores an invited account that cannot sign in, and user.invited carries a link to the gateway page', async () => {
    const email = newPerson().email;
    const res = await stack.api.post(
      '/api/users',
      { email, first_name: 'Grace', last_name: 'Hopper' },
      { token: admin.access },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email,
      username: email,
      first_name: 'Grace',
      role: 'user',
      status: 'invited',
      is_active: false,
      invitation: { is_expired: false, send_count: 1 },
    });

    const event = await stack.probe.waitFor('user.invited', (e) => e.data.email === email);
    expect(event).toMatchObject({
      source: 'auth',
      subject: res.body.id,
      data: { user_id: res.body.id, status: 'invited', resend: false, invited_by: { user_id: admin.user.id } },
    });
    expect(event.data.set_password_url).toMatch(new RegExp(`^${stack.url}/set-password/[A-Za-z0-9_-]{43}$`));
    // The token is only in the message: the API answer does not leak it.
    expect(JSON.stringify(res.body)).not.toContain(tokenOf(event.data.set_password_url));

    const before = await stack.api.post('/api/auth/login', { username: email, password: STRONG_PASSWORD });
    expectProblem(before, 401, { code: 'INVALID_CREDENTIALS' });
  });

  it('refuses an email or username another account has, with field errors', async () => {
    const existing = newPerson();
    await stack.api.post('/api/register', existing);
    const email = await stack.api.post('/api/users', { email: existing.email.toUpperCase() }, { token: admin.access });
    expectProblem(email, 400, {
      code: 'VALIDATION_FAILED',
      errors: { email: ['A user with that email already exists.'] },
    });
    const username = await stack.api.post(
      '/api/users',
      { email: newPerson().email, username: existing.username },
      { token: admin.access },
    );
    expectProblem(username, 400, { errors: { username: ['A user with that username already exists.'] } });
    const invalid = await stack.api.post('/api/users', { email: 'not-an-email' }, { token: admin.access });
    expectProblem(invalid, 400);
    expect(Object.keys(invalid.body.errors)).toEqual(['email']);
  });
});

describe('/api/auth/set-password/{token} through the gateway (public)', () => {
  it('GET shows who the link is for; POST sets the password, activates the account, and it signs in', async () => {
    const { account, email, token } = await invite({ first_name: 'Alan', last_name: 'Turing' });

    const shown = await stack.api.get(`/api/auth/set-password/${token}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      email,
      username: email,
      first_name: 'Alan',
      last_name: 'Turing',
      is_expired: false,
    });
    expect(shown.headers.get('cache-control')).toBe('no-store');

    const set = await stack.api.post(`/api/auth/set-password/${token}`, {
      password: OTHER_STRONG_PASSWORD,
      password2: OTHER_STRONG_PASSWORD,
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ user: { id: account.id, status: 'active', is_active: true } });
    await stack.probe.waitFor('user.activated', (e) => e.subject === account.id);

    const session = await login(stack.api, email, OTHER_STRONG_PASSWORD);
    expect(session.user.id).toBe(account.id);
  });

  it('refuses a weak password and a mismatched password2, and the link still works after', async () => {
    const { email, token } = await invite();
    const weak = await stack.api.post(`/api/auth/set-password/${token}`, { password: 'qwerty123' });
    expectProblem(weak, 400, { code: 'VALIDATION_FAILED' });
    expect(Object.keys(weak.body.errors)).toEqual(['password']);
    expect(weak.body.errors.password).toContain('This password is too common.');

    const mismatch = await stack.api.post(`/api/auth/set-password/${token}`, {
      password: STRONG_PASSWORD,
      password2: OTHER_STRONG_PASSWORD,
    });
    expectProblem(mismatch, 400, { errors: { password: ["Password fields didn't match."] } });

    expect((await stack.api.post(`/api/auth/set-password/${token}`, { password: STRONG_PASSWORD })).status).toBe(200);
    await login(stack.api, email, STRONG_PASSWORD);
  });

  it('a used link answers 410 and cannot set the password again', async () => {
    const { email, token } = await invite();
    expect((await stack.api.post(`/api/auth/set-password/${token}`, { password: STRONG_PASSWORD })).status).toBe(200);

    expectProblem(await stack.api.get(`/api/auth/set-password/${token}`), 410, { code: 'INVITATION_USED' });
    const again = await stack.api.post(`/api/auth/set-password/${token}`, { password: OTHER_STRONG_PASSWORD });
    expectProblem(again, 410, { code: 'INVITATION_USED' });
    await login(stack.api, email, STRONG_PASSWORD);
    expectProblem(await stack.api.post('/api/auth/login', { username: email, password: OTHER_STRONG_PASSWORD }), 401);
  });

  it('an unknown or malformed link answers 404', async () => {
    for (const token of ['A'.repeat(43), 'not-a-token']) {
      expectProblem(await stack.api.get(`/api/auth/set-password/${token}`), 404, { code: 'INVITATION_TOKEN_INVALID' });
      expectProblem(await stack.api.post(`/api/auth/set-password/${token}`, { password: STRONG_PASSWORD }), 404, {
        code: 'INVITATION_TOKEN_INVALID',
      });
    }
  });

  it('an expired link answers 410 and sets nothing', async () => {
    const { email, token } = await invite();
    clock.advance(8 * 24 * 60 * 60 * 1000);
    try {
      expectProblem(await stack.api.get(`/api/auth/set-password/${token}`), 410, { code: 'INVITATION_EXPIRED' });
      const set = await stack.api.post(`/api/auth/set-password/${token}`, { password: STRONG_PASSWORD });
      expectProblem(set, 410, { code: 'INVITATION_EXPIRED' });
    } finally {
      clock.reset();
    }
    expectProblem(await stack.api.post('/api/auth/login', { username: email, password: STRONG_PASSWORD }), 401);
  });
});

describe('resending an invitation through the gateway', () => {
  it.each(['/api/users/{id}/resend-invitation', '/api/user/{id}/resend-invitation'])(
    'POST %s sends a new link and the old one stops working',
    async (template) => {
      const { account, email, token: oldToken, seen } = await invite();
      const res = await stack.api.post(template.replace('{id}', account.id), undefined, { token: admin.access });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: account.id, status: 'invited', invitation: { send_count: 2 } });

      const newLink = await nextInvitationLink(stack.probe, email, seen);
      const newToken = tokenOf(newLink);
      expect(newToken).not.toBe(oldToken);
      const resent = await stack.probe.waitFor('user.invited', (e) => e.data.set_password_url === newLink);
      expect(resent.data.resend).toBe(true);

      expectProblem(await stack.api.get(`/api/auth/set-password/${oldToken}`), 410, { code: 'INVITATION_REPLACED' });
      expectProblem(await stack.api.post(`/api/auth/set-password/${oldToken}`, { password: STRONG_PASSWORD }), 410, {
        code: 'INVITATION_REPLACED',
      });
      expect((await stack.api.get(`/api/auth/set-password/${newToken}`)).status).toBe(200);
      expect((await stack.api.post(`/api/auth/set-password/${newToken}`, { password: STRONG_PASSWORD })).status).toBe(
        200,
      );
      await login(stack.api, email, STRONG_PASSWORD);
    },
  );

  it('refuses to resend to an account that already set its password, or to an unknown id', async () => {
    const { session } = await signUp(stack.api);
    const active = await stack.api.post(`/api/users/${session.user.id}/resend-invitation`, undefined, {
      token: admin.access,
    });
    expectProblem(active, 400, { code: 'USER_NOT_INVITED' });
    const unknown = await stack.api.post('/api/user/no-such-user/resend-invitation', undefined, {
      token: admin.access,
    });
    expectProblem(unknown, 404, { code: 'USER_NOT_FOUND' });
  });
});

describe('listing users through the gateway', () => {
  let invitedId: string;
  let activeId: string;
  let disabledId: string;
  it.beforeAll(async () => {
    invitedId = (await invite()).account.id;
    activeId = (await signUp(stack.api)).session.user.id;
    disabledId = (await signUp(stack.api)).session.user.id;
    const bulk = await stack.api.post(
      '/api/users/bulk',
      { action: 'deactivate', ids: [disabledId] },
      { token: admin.access },
    );
    expect(bulk.body.updated).toEqual([disabledId]);
  });

  it('GET /api/users lists every account', async () => {
    const { ids } = await userIds('/api/users?page_size=100');
    expect(ids).toEqual(expect.arrayContaining([invitedId, activeId, disabledId, admin.user.id]));
  });

  it('GET /api/users?status=invited lists only invited accounts, with their invitation status', async () => {
    const res = await stack.api.get('/api/users?status=invited&page_size=100', { token: admin.access });
    expect(res.status).toBe(200);
    const results = res.body.results as Json[];
    expect(results.map((u) => u.id)).toContain(invitedId);
    expect(new Set(results.map((u) => u.status))).toEqual(new Set(['invited']));
    expect(results.find((u) => u.id === invitedId)?.invitation).toMatchObject({ send_count: 1, is_expired: false });
  });

  it('GET /api/users?status=active lists only active accounts', async () => {
    const { ids, statuses } = await userIds('/api/users?status=active&page_size=100');
    expect(ids).toEqual(expect.arrayContaining([activeId, admin.user.id]));
    expect(ids).not.toContain(invitedId);
    expect(ids).not.toContain(disabledId);
    expect(new Set(statuses)).toEqual(new Set(['active']));
  });

  it.each(['/api/users?status=inactive&page_size=100', '/api/users/inactive?page_size=100'])(
    'GET %s lists the invited and the deactivated, not the active',
    async (path) => {
      const { ids, statuses } = await userIds(path);
      expect(ids).toEqual(expect.arrayContaining([invitedId, disabledId]));
      expect(ids).not.toContain(activeId);
      expect(statuses.every((s) => s === 'invited' || s === 'disabled')).toBe(true);
    },
  );

  it('refuses an unknown status filter with a field error', async () => {
    const res = await stack.api.get('/api/users?status=sleeping', { token: admin.access });
    expectProblem(res, 400);
    expect(Object.keys(res.body.errors)).toEqual(['status']);
  });

  it('builds page links on the gateway address the client used, not on auth’s', async () => {
    const res = await stack.api.get('/api/users?page_size=1', { token: admin.access });
    expect(res.status).toBe(200);
    expect(res.body.count).toBeGreaterThan(1);
    expect(res.body.results).toHaveLength(1);
    expect(res.body.next).toMatch(new RegExp(`^${stack.url}/api/users\\?`));
    const next = await stack.api.get(new URL(res.body.next).pathname + new URL(res.body.next).search, {
      token: admin.access,
    });
    expect(next.status).toBe(200);
    expect(next.body.previous).toMatch(new RegExp(`^${stack.url}/api/users`));
    expect(next.body.results[0].id).not.toBe(res.body.results[0].id);
  });
});

describe('POST /api/users/bulk through the gateway', () => {
  it('deactivate: the user can no longer sign in, refresh, or use a still-unexpired access token', async () => {
    const { person, session } = await signUp(stack.api);
    const res = await stack.api.post(
      '/api/users/bulk',
      { action: 'deactivate', ids: [session.user.id] },
      { token: admin.access },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ action: 'deactivate', updated: [session.user.id], skipped: [], not_found: [] });
    await stack.probe.waitFor('user.deactivated', (e) => e.subject === session.user.id);

    const signIn = await stack.api.post('/api/auth/login', { username: person.username, password: person.password });
    expectProblem(signIn, 401, { code: 'INVALID_CREDENTIALS' });
    expect(signIn.body.detail).toBe(INVALID_CREDENTIALS);
    expectProblem(await stack.api.post('/api/auth/token/refresh', { refresh: session.refresh }), 401);
    // The gateway still accepts the signature; auth checks the account again and refuses.
    expectProblem(await stack.api.get('/api/auth/profile', { token: session.access }), 401, { code: 'USER_INACTIVE' });
  });

  it('activate: a deactivated user signs in again, but the sessions deactivation ended stay ended', async () => {
    const { person, session } = await signUp(stack.api);
    const ids = [session.user.id];
    await stack.api.post('/api/users/bulk', { action: 'deactivate', ids }, { token: admin.access });
    expectProblem(await stack.api.post('/api/login', { username: person.username, password: person.password }), 401);

    const res = await stack.api.post('/api/users/bulk', { action: 'activate', ids }, { token: admin.access });
    expect(res.body).toEqual({ action: 'activate', updated: ids, skipped: [], not_found: [] });
    await stack.probe.waitFor('user.activated', (e) => e.subject === session.user.id);
    await login(stack.api, person.username, person.password);
    expectProblem(await stack.api.post('/api/auth/token/refresh', { refresh: session.refresh }), 401);
  });

  it('deactivating an invited account withdraws its link; after activation a resend sends a working one', async () => {
    const { account, email, token, seen } = await invite();
    const ids = [account.id];
    await stack.api.post('/api/users/bulk', { action: 'deactivate', ids }, { token: admin.access });
    expectProblem(await stack.api.get(`/api/auth/set-password/${token}`), 410, { code: 'INVITATION_REVOKED' });
    const set = await stack.api.post(`/api/auth/set-password/${token}`, { password: STRONG_PASSWORD });
    expectProblem(set, 410, { code: 'INVITATION_REVOKED' });

    // It never had a password, so activating makes it invited again (not an active account nobody can use).
    const activated = await stack.api.post('/api/users/bulk', { action: 'activate', ids }, { token: admin.access });
    expect(activated.body.updated).toEqual(ids);
    const listed = await stack.api.get('/api/users?status=invited&page_size=100', { token: admin.access });
    expect(listed.body.results.map((u: Json) => u.id)).toContain(account.id);
    expect(
      (await stack.api.post(`/api/users/${account.id}/resend-invitation`, undefined, { token: admin.access })).status,
    ).toBe(200);
    const fresh = tokenOf(await nextInvitationLink(stack.probe, email, seen));
    expect((await stack.api.post(`/api/auth/set-password/${fresh}`, { password: STRONG_PASSWORD })).status).toBe(200);
    await login(stack.api, email, STRONG_PASSWORD);
  });

  it('reports skipped and unknown ids, and refuses a bad action', async () => {
    const res = await stack.api.post(
      '/api/users/bulk',
      { action: 'deactivate', ids: [admin.user.id, 'no-such-user'] },
      { token: admin.access },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ updated: [], not_found: ['no-such-user'], skipped: [{ id: admin.user.id }] });
    // The admin did not lock themself out.
    await login(stack.api, stack.admin.username, stack.admin.password);

    const bad = await stack.api.post('/api/users/bulk', { action: 'delete', ids: ['x'] }, { token: admin.access });
    expectProblem(bad, 400);
    expect(Object.keys(bad.body.errors)).toEqual(['action']);
  });
});

describe('admin routes refuse a non-admin with 403', () => {
  let user: Session;
  it.beforeAll(async () => {
    user = (await signUp(stack.api)).session;
  });

  const calls: Array<[string, string, unknown]> = [
    ['POST', '/api/users', { email: 'someone@example.com' }],
    ['GET', '/api/users', undefined],
    ['GET', '/api/users?status=invited', undefined],
    ['GET', '/api/users/inactive', undefined],
    ['POST', '/api/users/bulk', { action: 'deactivate', ids: ['{self}'] }],
    ['POST', '/api/users/{self}/resend-invitation', undefined],
    ['POST', '/api/user/{self}/resend-invitation', undefined],
  ];

  it.each(calls)('%s %s', async (method, path, body) => {
    const accounts = async () => (await userIds('/api/users?page_size=1')).count;
    const before = await accounts();
    const fill = (value: string) => value.replaceAll('{self}', user.user.id);
    const json = body === undefined ? undefined : JSON.parse(fill(JSON.stringify(body)));
    const res = await stack.api.request(method, fill(path), json, { token: user.access });
    expectProblem(res, 403, { code: 'FORBIDDEN' });
    // Nothing happened: the caller is still active and no account was added (no one was invited).
    expect((await stack.api.get('/api/auth/profile', { token: user.access })).body.status).toBe('active');
    expect(await accounts()).toBe(before);
  });

  it('also with the access_token cookie alone', async () => {
    expectProblem(await stack.api.get('/api/users', { cookie: user.access }), 403, { code: 'FORBIDDEN' });
  });

  it('an admin who was deactivated loses admin access at once, with a token that has not expired', async () => {
    const { account, email, token } = await invite({ role: 'admin' });
    await stack.api.post(`/api/auth/set-password/${token}`, { password: STRONG_PASSWORD });
    const second = await login(stack.api, email, STRONG_PASSWORD);
    expect(second.user.role).toBe('admin');
    expect((await stack.api.get('/api/users/inactive', { token: second.access })).status).toBe(200);

    await stack.api.post('/api/users/bulk', { action: 'deactivate', ids: [account.id] }, { token: admin.access });
    expectProblem(await stack.api.get('/api/users/inactive', { token: second.access }), 403, { code: 'FORBIDDEN' });
  });
});
