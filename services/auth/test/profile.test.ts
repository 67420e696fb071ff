import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPerson, type RunningAuth, STRONG_PASSWORD, signedInUser, startAuth } from './support/harness.ts';

let auth: RunningAuth;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(async () => {
  await auth?.stop();
});

describe('GET /api/auth/profile', () => {
  it('returns the signed-in account', async () => {
    const session = await signedInUser(auth.api);
    const res = await auth.api.get('/api/auth/profile/', { token: session.access });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: session.user.id,
      username: session.user.username,
      email: session.user.email,
      first_name: 'Test',
      last_name: 'Person',
      role: 'user',
      last_login: expect.any(String),
    });
  });

  it('answers 401 problem+json without a token', async () => {
    const res = await auth.api.get('/api/auth/profile');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

describe('PUT/PATCH /api/auth/profile', () => {
  it('PUT replaces the profile (the legacy events API’s body) and answers with it', async () => {
    const session = await signedInUser(auth.api);
    const next = newPerson();
    const body = { username: next.username, email: next.email, first_name: 'Updated', last_name: 'Name' };
    const res = await auth.api.put('/api/auth/profile', body, { token: session.access });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(body);
    expect((await auth.api.get('/api/auth/profile', { token: session.access })).body).toMatchObject(body);
  });

  it('PUT /api/auth/profile/update is the legacy events API’s alias', async () => {
    const session = await signedInUser(auth.api);
    const next = newPerson();
    const res = await auth.api.put(
      '/api/auth/profile/update/',
      { username: next.username, email: next.email, first_name: 'Via', last_name: 'Alias' },
      { token: session.access },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: next.username, first_name: 'Via' });
  });

  it('PUT requires username and email', async () => {
    const session = await signedInUser(auth.api);
    const res = await auth.api.put('/api/auth/profile', { first_name: 'Only' }, { token: session.access });
    expect(res.status).toBe(400);
    expect(res.body.errors).toMatchObject({
      username: ['This field is required.'],
      email: ['This field is required.'],
    });
  });

  it('PATCH changes only the given fields', async () => {
    const session = await signedInUser(auth.api);
    const res = await auth.api.patch('/api/auth/profile', { last_name: 'Patched' }, { token: session.access });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: session.user.username, first_name: 'Test', last_name: 'Patched' });
  });

  it('refuses another account’s username or email (any case), but lets one recase their own', async () => {
    const other = await signedInUser(auth.api);
    const session = await signedInUser(auth.api);
    const taken = await auth.api.patch(
      '/api/auth/profile',
      { username: other.user.username.toUpperCase(), email: other.user.email.toUpperCase() },
      { token: session.access },
    );
    expect(taken.status).toBe(400);
    expect(taken.body.errors).toEqual({
      username: ['A user with that username already exists.'],
      email: ['A user with that email already exists.'],
    });
    const recased = await auth.api.patch(
      '/api/auth/profile',
      { email: session.user.email.toUpperCase() },
      { token: session.access },
    );
    expect(recased.status).toBe(200);
    expect(recased.body.email).toBe(session.user.email.toUpperCase());
  });

  it('refuses fields that are not part of the profile (no self-promotion)', async () => {
    const session = await signedInUser(auth.api);
    const res = await auth.api.patch('/api/auth/profile', { role: 'admin' }, { token: session.access });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ role: ['Unknown field.'] });
  });

  it('needs a signed-in caller', async () => {
    expect((await auth.api.patch('/api/auth/profile', { first_name: 'x' })).status).toBe(401);
    expect((await auth.api.put('/api/auth/profile/update', { username: 'a', email: 'a@b.co' })).status).toBe(401);
  });
});

describe('the profile’s time zone and locale', () => {
  it('are null until chosen, then set, read back (through the legacy alias too) and cleared by null', async () => {
    const session = await signedInUser(auth.api);
    const read = async () => (await auth.api.get('/api/auth/profile', { token: session.access })).body;
    expect(await read()).toMatchObject({ timezone: null, locale: null });

    const set = await auth.api.patch(
      '/api/auth/profile',
      { timezone: 'Europe/Kyiv', locale: 'uk-ua' },
      { token: session.access },
    );
    expect(set.status).toBe(200);
    // The tag is kept in its canonical form.
    expect(set.body).toMatchObject({ timezone: 'Europe/Kyiv', locale: 'uk-UA' });
    expect(await read()).toMatchObject({ timezone: 'Europe/Kyiv', locale: 'uk-UA' });

    // PUT (and its legacy alias) leaves them as they are unless given.
    const put = await auth.api.put(
      '/api/auth/profile/update',
      { username: session.user.username, email: session.user.email, first_name: 'Put' },
      { token: session.access },
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ first_name: 'Put', timezone: 'Europe/Kyiv', locale: 'uk-UA' });

    const cleared = await auth.api.patch('/api/auth/profile', { timezone: null }, { token: session.access });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ timezone: null, locale: 'uk-UA' });
    await auth.api.patch('/api/auth/profile', { locale: null }, { token: session.access });
    expect(await read()).toMatchObject({ timezone: null, locale: null });
  });

  it('may be given at registration', async () => {
    const person = newPerson();
    const res = await auth.api.post('/api/auth/register', { ...person, timezone: 'America/New_York', locale: 'en-US' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ timezone: 'America/New_York', locale: 'en-US' });
  });

  it('refuses a zone the runtime does not know and a malformed tag, naming each field', async () => {
    const session = await signedInUser(auth.api);
    const both = await auth.api.patch(
      '/api/auth/profile',
      { timezone: 'Mars/Olympus_Mons', locale: 'en_GB', first_name: 'Unchanged?' },
      { token: session.access },
    );
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(Object.keys(both.body.errors as object).sort()).toEqual(['locale', 'timezone']);
    // Nothing of a refused patch is kept.
    expect((await auth.api.get('/api/auth/profile', { token: session.access })).body).toMatchObject({
      first_name: 'Test',
      timezone: null,
      locale: null,
    });

    const registering = await auth.api.post('/api/auth/register', { ...newPerson(), timezone: 'Europe/Nowhere' });
    expect(registering.status).toBe(400);
    expect(Object.keys(registering.body.errors as object)).toEqual(['timezone']);
  });
});

describe('POST /api/auth/change-password', () => {
  const NEW_PASSWORD = 'newSecurePassword123!';

  it('changes the password, keeps this session and signs out the others', async () => {
    const person = newPerson();
    await auth.api.post('/api/auth/register', person);
    const login = (p: string) => auth.api.post('/api/auth/login', { username: person.username, password: p });
    const phone = (await login(STRONG_PASSWORD)).body as { access: string; refresh: string };
    const laptop = (await login(STRONG_PASSWORD)).body as { access: string; refresh: string };

    const res = await auth.api.post(
      '/api/auth/change-password',
      { old_password: STRONG_PASSWORD, new_password: NEW_PASSWORD },
      { token: laptop.access },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ detail: 'Password updated successfully' });

    expect((await login(STRONG_PASSWORD)).status).toBe(401);
    expect((await login(NEW_PASSWORD)).status).toBe(200);
    expect((await auth.api.post('/api/auth/token/refresh', { refresh: phone.refresh })).status).toBe(401);
    expect((await auth.api.post('/api/auth/token/refresh', { refresh: laptop.refresh })).status).toBe(200);
  });

  it('refuses a wrong old password with the legacy events API’s message', async () => {
    const session = await signedInUser(auth.api);
    const res = await auth.api.post(
      '/api/auth/change-password/',
      { old_password: 'Wrong-Password-9', new_password: NEW_PASSWORD },
      { token: session.access },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ old_password: ['Old password is not correct'] });
  });

  it('refuses a weak new password and a mismatched confirmation', async () => {
    const session = await signedInUser(auth.api);
    const weak = await auth.api.post(
      '/api/auth/change-password',
      { old_password: STRONG_PASSWORD, new_password: 'qwerty' },
      { token: session.access },
    );
    expect(weak.status).toBe(400);
    expect(weak.body.errors).toMatchObject({ new_password: expect.arrayContaining(['This password is too common.']) });

    const mismatch = await auth.api.post(
      '/api/auth/change-password',
      { old_password: STRONG_PASSWORD, new_password: NEW_PASSWORD, new_password2: 'Different-Password-7' },
      { token: session.access },
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors).toMatchObject({ new_password2: ["The two password fields didn't match."] });
  });

  it('needs a signed-in caller and both fields', async () => {
    expect((await auth.api.post('/api/auth/change-password', { old_password: 'a', new_password: 'b' })).status).toBe(
      401,
    );
    const session = await signedInUser(auth.api);
    const res = await auth.api.post('/api/auth/change-password', {}, { token: session.access });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors as object).sort()).toEqual(['new_password', 'old_password']);
  });
});
