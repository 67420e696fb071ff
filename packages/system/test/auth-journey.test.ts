import { expect } from 'vitest';
import { type SystemStack, systemTest } from '../src/index.ts';
import { AUTH_AT_THE_EDGE } from './support/auth-at-the-edge.ts';

// Issue 3's "Done when", as one story told through the gateway only: a new user registers, logs
// in, refreshes, reads and changes their profile, changes their password; an admin invites a user
// who sets a password from the link in the (would-be) email and logs in.

const it = systemTest({ services: ['auth'], env: { auth: AUTH_AT_THE_EDGE } });
let stack: SystemStack;
it.beforeAll(({ stack: started }) => {
  stack = started;
});

async function send(method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

it('a new user and an invited user get all the way through the gateway', async () => {
  const stamp = Date.now().toString(36);

  // ── Maya signs up ───────────────────────────────────────────────────────────────────────────
  const registered = await send('POST', '/api/auth/register', {
    username: `maya_${stamp}`,
    email: `maya_${stamp}@example.com`,
    password: 'Sunlit-Meadow-Fox-7',
    password2: 'Sunlit-Meadow-Fox-7',
    first_name: 'Maya',
    last_name: 'Lin',
  });
  expect(registered.status).toBe(201);
  expect(registered.body).toMatchObject({ username: `maya_${stamp}`, status: 'active', role: 'user' });

  // ── logs in ─────────────────────────────────────────────────────────────────────────────────
  const loggedIn = await send('POST', '/api/auth/login', {
    username: `maya_${stamp}`,
    password: 'Sunlit-Meadow-Fox-7',
  });
  expect(loggedIn.status).toBe(200);
  expect(loggedIn.body.user.id).toBe(registered.body.id);

  // ── refreshes: a new pair, and the old refresh token is spent ───────────────────────────────
  const refreshed = await send('POST', '/api/auth/token/refresh', { refresh: loggedIn.body.refresh });
  expect(refreshed.status).toBe(200);
  expect(refreshed.body.refresh).not.toBe(loggedIn.body.refresh);
  const { access } = refreshed.body;

  // ── reads her profile ───────────────────────────────────────────────────────────────────────
  const profile = await send('GET', '/api/auth/profile', undefined, access);
  expect(profile.status).toBe(200);
  expect(profile.body).toMatchObject({ id: registered.body.id, first_name: 'Maya', last_name: 'Lin' });

  // ── changes it ──────────────────────────────────────────────────────────────────────────────
  const renamed = await send('PATCH', '/api/auth/profile', { last_name: 'Lin-Park' }, access);
  expect(renamed.status).toBe(200);
  expect((await send('GET', '/api/auth/profile', undefined, access)).body.last_name).toBe('Lin-Park');

  // ── changes her password; from now on only the new one signs in ─────────────────────────────
  const changed = await send(
    'POST',
    '/api/auth/change-password',
    { old_password: 'Sunlit-Meadow-Fox-7', new_password: 'Quiet-Harbor-Owl-42' },
    access,
  );
  expect(changed.status).toBe(200);
  expect(
    (await send('POST', '/api/auth/login', { username: `maya_${stamp}`, password: 'Sunlit-Meadow-Fox-7' })).status,
  ).toBe(401);
  expect(
    (await send('POST', '/api/auth/login', { username: `maya_${stamp}`, password: 'Quiet-Harbor-Owl-42' })).status,
  ).toBe(200);

  // ── the platform admin (configured at boot) invites Theo ────────────────────────────────────
  const admin = await send('POST', '/api/auth/login', {
    username: stack.admin.username,
    password: stack.admin.password,
  });
  expect(admin.body.user.role).toBe('admin');
  const theoEmail = `theo_${stamp}@example.com`;
  const invited = await send('POST', '/api/users', { email: theoEmail, first_name: 'Theo' }, admin.body.access);
  expect(invited.status).toBe(201);
  expect(invited.body.status).toBe('invited');
  expect((await send('POST', '/api/auth/login', { username: theoEmail, password: 'Amber-Canyon-Wren-9' })).status).toBe(
    401,
  );

  // ── the notifier would email the link in user.invited; it opens the gateway's page ───────────
  const message = await stack.probe.waitFor('user.invited', (e) => e.data.email === theoEmail);
  const link = message.data.set_password_url as string;
  expect(link.startsWith(`${stack.url}/set-password/`)).toBe(true);
  const page = await fetch(link);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  expect(await page.text()).toContain(theoEmail);

  // ── Theo chooses a password on that page (a plain HTML form post) ───────────────────────────
  const submitted = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password: 'Amber-Canyon-Wren-9', password2: 'Amber-Canyon-Wren-9' }),
  });
  expect(submitted.status).toBe(200);
  expect(await submitted.text()).toContain('Your password is set');

  // ── and logs in ─────────────────────────────────────────────────────────────────────────────
  const theo = await send('POST', '/api/auth/login', { username: theoEmail, password: 'Amber-Canyon-Wren-9' });
  expect(theo.status).toBe(200);
  expect(theo.body.user).toMatchObject({ id: invited.body.id, email: theoEmail, status: 'active', first_name: 'Theo' });
  expect((await send('GET', '/api/auth/profile', undefined, theo.body.access)).body.id).toBe(invited.body.id);

  // The link was single-use.
  expect((await send('GET', `/api/auth/set-password/${new URL(link).pathname.split('/').pop()}`)).status).toBe(410);
});

it('the same invitation also works through the JSON API the link’s token serves', async () => {
  const admin = await send('POST', '/api/login', { username: stack.admin.email, password: stack.admin.password });
  const email = `ines_${Date.now().toString(36)}@example.com`;
  const invited = await send('POST', '/api/users', { email }, admin.body.access);
  expect(invited.status).toBe(201);
  const message = await stack.probe.waitFor('user.invited', (e) => e.data.email === email);
  const token = new URL(message.data.set_password_url as string).pathname.split('/').pop();

  expect((await send('GET', `/api/auth/set-password/${token}`)).body.email).toBe(email);
  expect((await send('POST', `/api/auth/set-password/${token}`, { password: 'Velvet-Orbit-Pine-3' })).status).toBe(200);
  const signedIn = await send('POST', '/api/login', { username: email, password: 'Velvet-Orbit-Pine-3' });
  expect(signedIn.status).toBe(200);
  expect(signedIn.body.user.id).toBe(invited.body.id);
});
