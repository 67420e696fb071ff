import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../src/domain/secret-token.ts';
import {
  newPerson,
  type RunningAuth,
  type Session,
  STRONG_PASSWORD,
  signedInAdmin,
  signedInUser,
  startAuth,
  startProbe,
} from './support/harness.ts';

let auth: RunningAuth;
let probe: Awaited<ReturnType<typeof startProbe>>;
let admin: Session;
let user: Session;

beforeAll(async () => {
  // No backstop poll within this file: every event below can reach the broker only through kit's
  // automatic nudge after the write request that queued it (auth's flows no longer nudge).
  auth = await startAuth({ OUTBOX_POLL_MS: '10m' });
  probe = await startProbe(auth.namespace, [
    'user.invited',
    'user.registered',
    'user.activated',
    'user.deactivated',
    'user.updated',
  ]);
  admin = await signedInAdmin(auth);
  user = await signedInUser(auth.api);
});
afterAll(async () => {
  await probe?.stop();
  await auth?.stop();
});

/** Invites someone and returns the account plus the link the notifier would email. */
async function invite(body: Record<string, unknown> = {}) {
  const email = (body.email as string | undefined) ?? newPerson().email;
  const res = await auth.api.post('/api/users', { email, ...body }, { token: admin.access });
  expect(res.status).toBe(201);
  const invited = await probe.waitFor('user.invited', (e) => e.data.email === email && !e.data.resend);
  return { account: res.body, token: tokenOf(invited.data.set_password_url), event: invited };
}

function tokenOf(url: string): string {
  return url.split('/').pop() as string;
}

describe('events on the broker', () => {
  it('announces a self-registration as user.registered', async () => {
    const person = newPerson();
    const res = await auth.api.post('/api/register', person);
    expect(res.status).toBe(201);
    const event = await probe.waitFor('user.registered', (e) => e.data.email === person.email);
    expect(event).toMatchObject({
      source: 'auth',
      subject: res.body.id,
      data: { user_id: res.body.id, username: person.username, role: 'user', status: 'active' },
    });
  });
});

describe('profile changes on the broker', () => {
  it('announces a profile change as user.updated naming the changed fields', async () => {
    const session = await signedInUser(auth.api);
    const res = await auth.api.patch(
      '/api/auth/profile',
      { last_name: 'Renamed', first_name: 'Test' },
      { token: session.access },
    );
    expect(res.status).toBe(200);
    const event = await probe.waitFor('user.updated', (e) => e.subject === session.user.id);
    expect(event.data).toMatchObject({ last_name: 'Renamed', changed: ['last_name'], status: 'active' });
  });
});

describe('profile preferences on the broker', () => {
  it('announces a new zone or locale as user.updated naming it, with both in the snapshot', async () => {
    const session = await signedInUser(auth.api);
    const res = await auth.api.patch(
      '/api/auth/profile',
      { timezone: 'Europe/Kyiv', locale: 'en-gb' },
      { token: session.access },
    );
    expect(res.status).toBe(200);
    const set = await probe.waitFor('user.updated', (e) => e.subject === session.user.id);
    expect(set.data).toMatchObject({ timezone: 'Europe/Kyiv', locale: 'en-GB', changed: ['timezone', 'locale'] });

    await auth.api.patch('/api/auth/profile', { timezone: null }, { token: session.access });
    const cleared = await probe.waitFor(
      'user.updated',
      (e) => e.subject === session.user.id && e.data.changed.includes('timezone') && e.data.timezone === null,
    );
    expect(cleared.data).toMatchObject({ locale: 'en-GB', changed: ['timezone'] });
  });

  it('carries them in user.registered', async () => {
    const person = newPerson();
    const res = await auth.api.post('/api/register', { ...person, timezone: 'Asia/Tokyo', locale: 'ja' });
    expect(res.status).toBe(201);
    const event = await probe.waitFor('user.registered', (e) => e.data.email === person.email);
    expect(event.data).toMatchObject({ timezone: 'Asia/Tokyo', locale: 'ja' });
  });
});

describe('POST /api/users (admin invites)', () => {
  it('stores an invited account and publishes user.invited with a set-password link on PUBLIC_URL', async () => {
    const email = newPerson().email;
    // The clock stands still while the account is invited: its link expires exactly 7 days later.
    auth.clock.freeze();
    const invitedAt = auth.clock.now();
    const { account, event, token } = await invite({ email, first_name: 'Grace', last_name: 'Hopper' }).finally(() =>
      auth.clock.reset(),
    );
    expect(account).toMatchObject({
      email,
      username: email,
      first_name: 'Grace',
      status: 'invited',
      is_active: false,
      invitation: { is_expired: false, send_count: 1 },
    });
    expect(event.subject).toBe(account.id);
    expect(event.data).toMatchObject({
      user_id: account.id,
      status: 'invited',
      resend: false,
      invited_by: { user_id: admin.user.id, email: admin.user.email },
    });
    expect(event.data.set_password_url).toBe(`https://convene.test/set-password/${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Expires in 7 days.
    const expiresAt = new Date(invitedAt.getTime() + 7 * 86_400_000).toISOString();
    expect(event.data.expires_at).toBe(expiresAt);
    expect(account.invitation).toMatchObject({ expires_at: expiresAt });
    // The token is stored only hashed; its one clear copy (the message) leaves with the outbox.
    const db = auth.service.mongo.db;
    if (!db) throw new Error('the service has no database connection');
    const stored = async () => {
      const doc = await db.collection<{ _id: string }>('users').findOne({ _id: String(account.id) });
      if (!doc) throw new Error(`account ${account.id} is not in the users collection`);
      return JSON.stringify(doc);
    };
    await expect.poll(stored, { timeout: 20_000, interval: 50 }).not.toContain(token);
    expect(await stored()).toContain(hashToken(token));
  });

  it('refuses duplicates (email in any case) and bad input', async () => {
    const dup = await auth.api.post('/api/users', { email: user.user.email.toUpperCase() }, { token: admin.access });
    expect(dup.status).toBe(400);
    expect(dup.body.errors).toMatchObject({ email: ['A user with that email already exists.'] });
    const bad = await auth.api.post('/api/users', { email: 'nope', role: 'root' }, { token: admin.access });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors as object).sort()).toEqual(['email', 'role']);
  });

  it('is admin-only: 403 for a user, 401 anonymous', async () => {
    expect((await auth.api.post('/api/users', { email: newPerson().email }, { token: user.access })).status).toBe(403);
    expect((await auth.api.post('/api/users', { email: newPerson().email })).status).toBe(401);
  });
});

describe('set-password from the invitation', () => {
  it('GET shows the invitation, POST sets the password and activates; then the invitee can log in', async () => {
    const { account, token } = await invite({ first_name: 'Ada' });
    const shown = await auth.api.get(`/api/auth/set-password/${token}/`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      email: account.email,
      username: account.username,
      first_name: 'Ada',
      is_expired: false,
    });

    const set = await auth.api.post(`/api/auth/set-password/${token}`, {
      password: STRONG_PASSWORD,
      password2: STRONG_PASSWORD,
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ user: { id: account.id, status: 'active', is_active: true } });
    await probe.waitFor('user.activated', (e) => e.subject === account.id);

    const login = await auth.api.post('/api/auth/login', { username: account.email, password: STRONG_PASSWORD });
    expect(login.status).toBe(200);
  });

  it('cannot log in before setting a password', async () => {
    const { account } = await invite();
    const login = await auth.api.post('/api/auth/login', { username: account.email, password: STRONG_PASSWORD });
    expect(login.status).toBe(401);
    expect(login.body.detail).toBe('No active account found with the given credentials');
  });

  it('refuses a weak or mismatched password and keeps the link usable', async () => {
    const { token } = await invite();
    const weak = await auth.api.post(`/api/auth/set-password/${token}`, { password: 'password1' });
    expect(weak.status).toBe(400);
    expect(weak.body.errors).toMatchObject({ password: expect.arrayContaining(['This password is too common.']) });
    const mismatch = await auth.api.post(`/api/auth/set-password/${token}`, {
      password: STRONG_PASSWORD,
      password2: `${STRONG_PASSWORD}x`,
    });
    expect(mismatch.body.errors).toEqual({ password: ["Password fields didn't match."] });
    expect((await auth.api.get(`/api/auth/set-password/${token}`)).status).toBe(200);
  });

  it('is single-use: a used link answers 410', async () => {
    const { token } = await invite();
    expect((await auth.api.post(`/api/auth/set-password/${token}`, { password: STRONG_PASSWORD })).status).toBe(200);
    for (const res of [
      await auth.api.get(`/api/auth/set-password/${token}`),
      await auth.api.post(`/api/auth/set-password/${token}`, { password: STRONG_PASSWORD }),
    ]) {
      expect(res.status).toBe(410);
      expect(res.body).toMatchObject({ code: 'INVITATION_USED', detail: 'This invitation has already been used.' });
    }
  });

  it('lets only one of two concurrent submissions of the same link win', async () => {
    const { token } = await invite();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => auth.api.post(`/api/auth/set-password/${token}`, { password: STRONG_PASSWORD })),
    );
    // One wins; every other submission, whether it overlapped the winner or came after, is told the
    // link was used (the link and its outcome change in one document update).
    const outcomes = results.map((r) => `${r.status} ${r.body.code ?? ''}`.trim()).sort();
    expect(outcomes).toEqual(['200', '410 INVITATION_USED', '410 INVITATION_USED', '410 INVITATION_USED']);
  });

  it('answers 410 for an expired link', async () => {
    const { token } = await invite();
    auth.clock.advance((7 * 24 * 3600 + 1) * 1000);
    try {
      const shown = await auth.api.get(`/api/auth/set-password/${token}`);
      expect(shown.status).toBe(410);
      expect(shown.body).toMatchObject({ code: 'INVITATION_EXPIRED' });
      const set = await auth.api.post(`/api/auth/set-password/${token}`, { password: STRONG_PASSWORD });
      expect(set.status).toBe(410);
    } finally {
      auth.clock.advance(-(7 * 24 * 3600 + 1) * 1000);
    }
  });

  it('answers 404 for an unknown link', async () => {
    const unknown = 'A'.repeat(43);
    expect((await auth.api.get(`/api/auth/set-password/${unknown}`)).status).toBe(404);
    const res = await auth.api.post('/api/auth/set-password/not-a-token', { password: STRONG_PASSWORD });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'INVITATION_TOKEN_INVALID' });
  });
});

describe('resend invitation', () => {
  it('issues a fresh link (resend: true) and invalidates the old one; canonical and the legacy user-invitation API’s alias', async () => {
    const { account, token: first } = await invite();
    const res = await auth.api.post(`/api/users/${account.id}/resend-invitation`, undefined, { token: admin.access });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: account.id, invitation: { send_count: 2 } });
    const second = tokenOf(
      (await probe.waitFor('user.invited', (e) => e.subject === account.id && e.data.resend)).data.set_password_url,
    );
    expect(second).not.toBe(first);
    const old = await auth.api.get(`/api/auth/set-password/${first}`);
    expect(old.status).toBe(410);
    expect(old.body).toMatchObject({ code: 'INVITATION_REPLACED' });

    const alias = await auth.api.post(`/api/user/${account.id}/resend-invitation/`, undefined, { token: admin.access });
    expect(alias.status).toBe(200);
    expect(alias.body).toMatchObject({ invitation: { send_count: 3 } });
    expect((await auth.api.get(`/api/auth/set-password/${second}`)).status).toBe(410);
  });

  it('refuses active accounts, unknown ids and non-admins', async () => {
    const active = await auth.api.post(`/api/users/${user.user.id}/resend-invitation`, undefined, {
      token: admin.access,
    });
    expect(active.status).toBe(400);
    expect(active.body).toMatchObject({ code: 'USER_NOT_INVITED' });
    const unknown = await auth.api.post('/api/users/nope/resend-invitation', undefined, { token: admin.access });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'USER_NOT_FOUND' });
    const { account } = await invite();
    expect(
      (await auth.api.post(`/api/users/${account.id}/resend-invitation`, undefined, { token: user.access })).status,
    ).toBe(403);
    expect((await auth.api.post(`/api/user/${account.id}/resend-invitation`)).status).toBe(401);
  });
});

describe('listing users', () => {
  let listAuth: RunningAuth;
  let listAdmin: Session;
  beforeAll(async () => {
    listAuth = await startAuth();
    listAdmin = await signedInAdmin(listAuth);
    for (let i = 0; i < 3; i++) await signedInUser(listAuth.api);
    for (let i = 0; i < 2; i++) {
      await listAuth.api.post('/api/users', { email: newPerson().email }, { token: listAdmin.access });
    }
  });
  afterAll(async () => {
    await listAuth?.stop();
  });

  it('GET /api/users lists everyone, newest first, paginated DRF-style', async () => {
    const all = await listAuth.api.get<{ count: number; results: Array<{ status: string }>; next: string | null }>(
      '/api/users?page_size=4',
      { token: listAdmin.access },
    );
    expect(all.status).toBe(200);
    expect(all.body.count).toBe(6);
    expect(all.body.results).toHaveLength(4);
    expect(all.body.next).toContain('page=2');
    expect(all.body.results[0]?.status).toBe('invited');
    const page2 = await listAuth.api.get<{ results: unknown[]; previous: string | null }>(
      '/api/users?page_size=4&page=2',
      {
        token: listAdmin.access,
      },
    );
    expect(page2.body.results).toHaveLength(2);
    // Back to the first page, of the same size (DRF leaves `page` out for page 1).
    const previous = new URL(page2.body.previous ?? 'about:blank');
    expect(`${previous.origin}${previous.pathname}`).toBe(`${listAuth.url}/api/users`);
    expect(previous.searchParams.get('page_size')).toBe('4');
    expect(previous.searchParams.get('page') ?? '1').toBe('1');
  });

  it('filters by status; inactive means invited or disabled; /api/users/inactive shows invitation details', async () => {
    const count = async (query: string) =>
      (await listAuth.api.get<{ count: number }>(`/api/users${query}`, { token: listAdmin.access })).body.count;
    expect(await count('?status=active')).toBe(4);
    expect(await count('?status=invited')).toBe(2);
    expect(await count('?status=inactive')).toBe(2);
    const inactive = await listAuth.api.get<{ count: number; results: Array<{ invitation: unknown }> }>(
      '/api/users/inactive/',
      { token: listAdmin.access },
    );
    expect(inactive.body.count).toBe(2);
    expect(inactive.body.results[0]?.invitation).toMatchObject({ expires_at: expect.any(String), is_expired: false });
  });

  it('refuses a bad filter, and non-admins', async () => {
    expect((await listAuth.api.get('/api/users?status=nope', { token: listAdmin.access })).status).toBe(400);
    const someone = await signedInUser(listAuth.api);
    expect((await listAuth.api.get('/api/users', { token: someone.access })).status).toBe(403);
    expect((await listAuth.api.get('/api/users/inactive', { token: someone.access })).status).toBe(403);
    expect((await listAuth.api.get('/api/users')).status).toBe(401);
  });
});

describe('POST /api/users/bulk', () => {
  it('deactivates: the account cannot log in, its refresh tokens stop working, user.deactivated is published', async () => {
    const victim = await signedInUser(auth.api);
    const res = await auth.api.post(
      '/api/users/bulk',
      { action: 'deactivate', ids: [victim.user.id, 'missing-id', admin.user.id] },
      { token: admin.access },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      action: 'deactivate',
      updated: [victim.user.id],
      skipped: [{ id: admin.user.id, reason: 'You cannot deactivate your own account.' }],
      not_found: ['missing-id'],
    });
    await probe.waitFor('user.deactivated', (e) => e.subject === victim.user.id && e.data.status === 'disabled');

    const login = await auth.api.post('/api/auth/login', { username: victim.user.username, password: STRONG_PASSWORD });
    expect(login.status).toBe(401);
    expect(login.body.detail).toBe('No active account found with the given credentials');
    expect((await auth.api.post('/api/auth/token/refresh', { refresh: victim.refresh })).status).toBe(401);
    expect((await auth.api.get('/api/auth/profile', { token: victim.access })).status).toBe(401);
  });

  it('activates again; the account can log in', async () => {
    const person = await signedInUser(auth.api);
    await auth.api.post('/api/users/bulk', { action: 'deactivate', ids: [person.user.id] }, { token: admin.access });
    const res = await auth.api.post(
      '/api/users/bulk',
      { action: 'activate', ids: [person.user.id] },
      { token: admin.access },
    );
    expect(res.body).toMatchObject({ updated: [person.user.id], skipped: [] });
    await probe.waitFor('user.activated', (e) => e.subject === person.user.id);
    const login = await auth.api.post('/api/auth/login', { username: person.user.username, password: STRONG_PASSWORD });
    expect(login.status).toBe(200);
  });

  it('deactivating an invited account withdraws its link', async () => {
    const { account, token } = await invite();
    await auth.api.post('/api/users/bulk', { action: 'deactivate', ids: [account.id] }, { token: admin.access });
    const res = await auth.api.get(`/api/auth/set-password/${token}`);
    expect(res.status).toBe(410);
    expect(res.body).toMatchObject({ code: 'INVITATION_REVOKED' });
    // Re-activating an account that never had a password sends it back to "invited".
    const again = await auth.api.post(
      '/api/users/bulk',
      { action: 'activate', ids: [account.id] },
      { token: admin.access },
    );
    expect(again.body).toMatchObject({ updated: [account.id] });
    const shown = await auth.api.get(`/api/users/${account.id}`, { token: admin.access });
    expect(shown.body).toMatchObject({ status: 'invited', invitation: null });
    expect(
      (await auth.api.post(`/api/users/${account.id}/resend-invitation`, undefined, { token: admin.access })).status,
    ).toBe(200);
  });

  it('validates the body and is admin-only', async () => {
    const bad = await auth.api.post('/api/users/bulk', { action: 'delete', ids: [] }, { token: admin.access });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors as object).sort()).toEqual(['action', 'ids']);
    expect(
      (await auth.api.post('/api/users/bulk', { action: 'activate', ids: [user.user.id] }, { token: user.access }))
        .status,
    ).toBe(403);
  });

  it('a demoted or disabled admin loses admin access at once, whatever their token says', async () => {
    const second = await signedInAdmin(auth);
    await auth.api.post('/api/users/bulk', { action: 'deactivate', ids: [second.user.id] }, { token: admin.access });
    expect((await auth.api.get('/api/users', { token: second.access })).status).toBe(403);
  });
});
