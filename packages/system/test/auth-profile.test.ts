import { describe, expect } from 'vitest';
import {
  expectProblem,
  login,
  newPerson,
  OTHER_STRONG_PASSWORD,
  STRONG_PASSWORD,
  type SystemStack,
  signUp,
  systemTest,
} from '../src/index.ts';
import { AUTH_AT_THE_EDGE } from './support/auth-at-the-edge.ts';

// The signed-in user's own account: profile read and update, change password — through the gateway.

const it = systemTest({ services: ['auth'], env: { auth: AUTH_AT_THE_EDGE } });
let stack: SystemStack;
it.beforeAll(({ stack: started }) => {
  stack = started;
});

describe('GET /api/auth/profile through the gateway', () => {
  it('answers the signed-in account, with a bearer token or the cookie alone', async () => {
    const { person, session } = await signUp(stack.api, { first_name: 'Grace', last_name: 'Hopper' });
    for (const credentials of [{ token: session.access }, { cookie: session.access }]) {
      const res = await stack.api.get('/api/auth/profile', credentials);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: session.user.id,
        username: person.username,
        email: person.email,
        first_name: 'Grace',
        last_name: 'Hopper',
        role: 'user',
        status: 'active',
        is_active: true,
      });
      expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
    }
  });

  it('answers each caller with their own account', async () => {
    const a = await signUp(stack.api);
    const b = await signUp(stack.api);
    expect((await stack.api.get('/api/auth/profile', { token: a.session.access })).body.id).toBe(a.session.user.id);
    expect((await stack.api.get('/api/auth/profile', { token: b.session.access })).body.id).toBe(b.session.user.id);
  });
});

describe('updating the profile through the gateway', () => {
  it('PUT /api/auth/profile replaces the profile and GET shows it', async () => {
    const { session } = await signUp(stack.api);
    const next = newPerson();
    const res = await stack.api.put(
      '/api/auth/profile',
      { username: next.username, email: next.email, first_name: 'New', last_name: 'Name' },
      { token: session.access },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: session.user.id, username: next.username, email: next.email });
    const read = await stack.api.get('/api/auth/profile', { token: session.access });
    expect(read.body).toMatchObject({
      username: next.username,
      email: next.email,
      first_name: 'New',
      last_name: 'Name',
    });
    // The new username signs in.
    await login(stack.api, next.username, STRONG_PASSWORD);
  });

  it("PUT /api/auth/profile/update (the legacy events API's path) does the same", async () => {
    const { person, session } = await signUp(stack.api);
    const res = await stack.api.put(
      '/api/auth/profile/update',
      { username: person.username, email: person.email, first_name: 'Ada', last_name: 'Lovelace' },
      { token: session.access },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: session.user.id, first_name: 'Ada', last_name: 'Lovelace' });
    const read = await stack.api.get('/api/auth/profile', { token: session.access });
    expect(read.body).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace' });
  });

  it('PATCH /api/auth/profile changes only the given fields and user.updated names them', async () => {
    const { person, session } = await signUp(stack.api);
    const res = await stack.api.patch('/api/auth/profile', { last_name: 'Patched' }, { token: session.access });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: person.username, email: person.email, last_name: 'Patched' });
    expect((await stack.api.get('/api/auth/profile', { token: session.access })).body.last_name).toBe('Patched');

    const event = await stack.probe.waitFor('user.updated', (e) => e.subject === session.user.id);
    expect(event.data).toMatchObject({ last_name: 'Patched', changed: ['last_name'] });
  });

  it('PUT without username and email is refused with field errors (PUT replaces)', async () => {
    const { session } = await signUp(stack.api);
    const res = await stack.api.put('/api/auth/profile', { first_name: 'Only' }, { token: session.access });
    expectProblem(res, 400, { code: 'VALIDATION_FAILED' });
    expect(Object.keys(res.body.errors).sort()).toEqual(['email', 'username']);
  });

  it.each([
    ['PUT', '/api/auth/profile'],
    ['PUT', '/api/auth/profile/update'],
    ['PATCH', '/api/auth/profile'],
  ])('%s %s refuses a username or email another account has', async (method, path) => {
    const taken = await signUp(stack.api);
    const { person, session } = await signUp(stack.api);
    const username = await stack.api.request(
      method,
      path,
      { username: taken.person.username.toUpperCase(), email: person.email },
      { token: session.access },
    );
    expectProblem(username, 400, { errors: { username: ['A user with that username already exists.'] } });
    const email = await stack.api.request(
      method,
      path,
      { username: person.username, email: taken.person.email.toUpperCase() },
      { token: session.access },
    );
    expectProblem(email, 400, { errors: { email: ['A user with that email already exists.'] } });
    // Nothing changed.
    const read = await stack.api.get('/api/auth/profile', { token: session.access });
    expect(read.body).toMatchObject({ username: person.username, email: person.email });
  });

  it('PATCH /api/auth/profile sets, shows and clears the time zone and locale; a bad zone is a 400 naming it', async () => {
    const { session } = await signUp(stack.api);
    const read = async () => (await stack.api.get('/api/auth/profile', { token: session.access })).body;
    expect(await read()).toMatchObject({ timezone: null, locale: null });

    const res = await stack.api.patch(
      '/api/auth/profile',
      { timezone: 'Europe/Kyiv', locale: 'uk-ua' },
      { token: session.access },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ timezone: 'Europe/Kyiv', locale: 'uk-UA' });
    expect(await read()).toMatchObject({ timezone: 'Europe/Kyiv', locale: 'uk-UA' });
    const event = await stack.probe.waitFor('user.updated', (e) => e.subject === session.user.id);
    expect(event.data).toMatchObject({ timezone: 'Europe/Kyiv', locale: 'uk-UA', changed: ['timezone', 'locale'] });

    const unknown = await stack.api.patch(
      '/api/auth/profile',
      { timezone: 'Europe/Atlantis' },
      { token: session.access },
    );
    expectProblem(unknown, 400, { code: 'VALIDATION_FAILED' });
    expect(Object.keys(unknown.body.errors)).toEqual(['timezone']);
    expect((await read()).timezone).toBe('Europe/Kyiv');

    expect((await stack.api.patch('/api/auth/profile', { timezone: null }, { token: session.access })).status).toBe(
      200,
    );
    expect(await read()).toMatchObject({ timezone: null, locale: 'uk-UA' });
  });

  it('does not let the profile change the role or status', async () => {
    const { session } = await signUp(stack.api);
    const res = await stack.api.patch('/api/auth/profile', { role: 'admin' }, { token: session.access });
    expectProblem(res, 400);
    expect(Object.keys(res.body.errors)).toEqual(['role']);
    expect((await stack.api.get('/api/auth/profile', { token: session.access })).body.role).toBe('user');
  });
});

describe('POST /api/auth/change-password through the gateway', () => {
  it('checks the old password, then only the new one signs in; other sessions are signed out', async () => {
    const { person, session } = await signUp(stack.api);
    const elsewhere = await login(stack.api, person.username, person.password);

    const res = await stack.api.post(
      '/api/auth/change-password',
      { old_password: STRONG_PASSWORD, new_password: OTHER_STRONG_PASSWORD },
      { token: session.access },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ detail: 'Password updated successfully' });

    expectProblem(
      await stack.api.post('/api/auth/login', { username: person.username, password: STRONG_PASSWORD }),
      401,
    );
    await login(stack.api, person.username, OTHER_STRONG_PASSWORD);
    // The other session's refresh token stopped working; the one that made the change still works.
    expectProblem(await stack.api.post('/api/auth/token/refresh', { refresh: elsewhere.refresh }), 401);
    expect((await stack.api.post('/api/auth/token/refresh', { refresh: session.refresh })).status).toBe(200);
  });

  it('refuses a wrong old password and leaves the password as it was', async () => {
    const { person, session } = await signUp(stack.api);
    const res = await stack.api.post(
      '/api/auth/change-password',
      { old_password: 'Not-The-Old-One-1', new_password: OTHER_STRONG_PASSWORD },
      { token: session.access },
    );
    expectProblem(res, 400, { code: 'VALIDATION_FAILED', errors: { old_password: ['Old password is not correct'] } });
    await login(stack.api, person.username, STRONG_PASSWORD);
    expectProblem(
      await stack.api.post('/api/auth/login', { username: person.username, password: OTHER_STRONG_PASSWORD }),
      401,
    );
  });

  it('refuses a weak new password, and one the same as the old', async () => {
    const { person, session } = await signUp(stack.api);
    const weak = await stack.api.post(
      '/api/auth/change-password',
      { old_password: STRONG_PASSWORD, new_password: 'password' },
      { token: session.access },
    );
    expectProblem(weak, 400, { code: 'VALIDATION_FAILED' });
    expect(Object.keys(weak.body.errors)).toEqual(['new_password']);
    expect(weak.body.errors.new_password).toContain('This password is too common.');

    const same = await stack.api.post(
      '/api/auth/change-password',
      { old_password: STRONG_PASSWORD, new_password: STRONG_PASSWORD },
      { token: session.access },
    );
    expectProblem(same, 400, { errors: { new_password: ['The new password must be different from the old one.'] } });
    await login(stack.api, person.username, STRONG_PASSWORD);
  });

  it('refuses a new_password2 that does not match', async () => {
    const { session } = await signUp(stack.api);
    const res = await stack.api.post(
      '/api/auth/change-password',
      { old_password: STRONG_PASSWORD, new_password: OTHER_STRONG_PASSWORD, new_password2: 'Something-Else-123' },
      { token: session.access },
    );
    expectProblem(res, 400);
    expect(res.body.errors.new_password2).toEqual(["The two password fields didn't match."]);
  });

  it('works with the access_token cookie alone', async () => {
    const { person, session } = await signUp(stack.api);
    const res = await stack.api.post(
      '/api/auth/change-password',
      { old_password: STRONG_PASSWORD, new_password: OTHER_STRONG_PASSWORD },
      { cookie: session.access },
    );
    expect(res.status).toBe(200);
    await login(stack.api, person.username, OTHER_STRONG_PASSWORD);
  });
});
