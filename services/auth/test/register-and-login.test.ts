import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPerson, type RunningAuth, STRONG_PASSWORD, startAuth } from './support/harness.ts';

let auth: RunningAuth;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(async () => {
  await auth?.stop();
});

describe('POST /api/auth/register', () => {
  it('creates an active account and answers 201 with it, without any secret', async () => {
    const person = newPerson({ first_name: 'John', last_name: 'Doe' });
    const res = await auth.api.post('/api/auth/register', person);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      username: person.username,
      email: person.email,
      first_name: 'John',
      last_name: 'Doe',
      role: 'user',
      status: 'active',
      is_active: true,
    });
    expect(typeof res.body.id).toBe('string');
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
  });

  it('is also served at /api/register (legacy participation API) and with a trailing slash', async () => {
    expect((await auth.api.post('/api/register', newPerson())).status).toBe(201);
    expect((await auth.api.post('/api/register/', newPerson())).status).toBe(201);
    expect((await auth.api.post('/api/auth/register/', newPerson())).status).toBe(201);
  });

  it('accepts a body without password2 and names', async () => {
    const { username, email } = newPerson();
    const res = await auth.api.post('/api/auth/register', { username, email, password: STRONG_PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ first_name: '', last_name: '' });
  });

  it('refuses a taken username with the legacy events API’s message, case-insensitively', async () => {
    const first = newPerson();
    await auth.api.post('/api/auth/register', first);
    const res = await auth.api.post('/api/auth/register', newPerson({ username: first.username.toUpperCase() }));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors).toEqual({ username: ['A user with that username already exists.'] });
  });

  it('refuses an email that differs only in case', async () => {
    const first = newPerson();
    await auth.api.post('/api/auth/register', first);
    const res = await auth.api.post('/api/register', newPerson({ email: first.email.toUpperCase() }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ email: ['A user with that email already exists.'] });
  });

  it('reports a taken username and mismatched passwords together, as the legacy events API shows', async () => {
    const first = newPerson();
    await auth.api.post('/api/auth/register', first);
    const res = await auth.api.post('/api/auth/register', {
      ...newPerson({ username: first.username }),
      password2: 'Something-Else-42',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      status: 400,
      errors: {
        username: ['A user with that username already exists.'],
        password: ["Password fields didn't match."],
      },
    });
  });

  it.each([
    ['short', 'Ab1!x', 'This password is too short. It must contain at least 10 characters.'],
    ['common', 'Password123!', 'This password is too common.'],
    ['numeric', '12345678901234', 'This password is entirely numeric.'],
  ])('refuses a %s password with field errors', async (_kind, password, message) => {
    const res = await auth.api.post('/api/auth/register', newPerson({ password, password2: password }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toMatchObject({ password: expect.arrayContaining([message]) });
  });

  it('refuses a password built from the username', async () => {
    const person = newPerson({ username: 'margaret_h' });
    const password = 'margaret_h-2024';
    const res = await auth.api.post('/api/auth/register', { ...person, password, password2: password });
    expect(res.status).toBe(400);
    expect(res.body.errors).toMatchObject({ password: ['The password is too similar to the username.'] });
  });

  it('names missing, malformed and unknown fields', async () => {
    const res = await auth.api.post('/api/auth/register', {
      username: 'bad name!',
      email: 'not-an-email',
      is_staff: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toMatchObject({
      username: [expect.stringContaining('Enter a valid username')],
      email: ['Enter a valid email address.'],
      password: ['This field is required.'],
      is_staff: ['Unknown field.'],
    });
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await auth.api.post('/api/auth/register', '{"username": ');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('POST /api/auth/login', () => {
  it('returns {access, refresh, user} and sets an HttpOnly SameSite=Lax access_token cookie', async () => {
    const person = newPerson();
    await auth.api.post('/api/auth/register', person);
    const res = await auth.api.post('/api/auth/login', { username: person.username, password: person.password });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      access: expect.any(String),
      refresh: expect.any(String),
      user: { username: person.username, email: person.email, first_name: 'Test', last_name: 'Person' },
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^access_token=${res.body.access}`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/i); // PUBLIC_URL is https
    expect(cookie).toMatch(/Path=\//);
  });

  it('is also served at /api/login (legacy participation API) and accepts the email (any case) instead of the username', async () => {
    const person = newPerson();
    await auth.api.post('/api/auth/register', person);
    const byEmail = await auth.api.post('/api/login/', {
      username: person.email.toUpperCase(),
      password: person.password,
    });
    expect(byEmail.status).toBe(200);
    const emailField = await auth.api.post('/api/login', { email: person.email, password: person.password });
    expect(emailField.status).toBe(200);
  });

  it('answers a wrong password and an unknown account with the same 401', async () => {
    const person = newPerson();
    await auth.api.post('/api/auth/register', person);
    const wrong = await auth.api.post('/api/auth/login', { username: person.username, password: 'Not-The-Password-1' });
    const unknown = await auth.api.post('/api/auth/login', {
      username: 'nobody_here_at_all',
      password: 'Whatever-123-x',
    });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        status: 401,
        detail: 'No active account found with the given credentials',
        code: 'INVALID_CREDENTIALS',
      });
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    expect(Object.keys(wrong.body).sort()).toEqual(Object.keys(unknown.body).sort());
  });

  it('requires a username (or email) and a password', async () => {
    const res = await auth.api.post('/api/auth/login', {});
    expect(res.status).toBe(400);
    expect(res.body.errors).toMatchObject({ password: ['This field is required.'] });
    const noName = await auth.api.post('/api/auth/login', { password: 'x' });
    expect(noName.body.errors).toMatchObject({ username: ['This field is required.'] });
  });

  it('ignores a stale access_token cookie on public routes', async () => {
    const person = newPerson();
    const res = await auth.api.post('/api/auth/register', person, { headers: { Cookie: 'access_token=garbage' } });
    expect(res.status).toBe(201);
    const login = await auth.api.post(
      '/api/auth/login',
      { username: person.username, password: person.password },
      { headers: { Cookie: 'access_token=garbage' } },
    );
    expect(login.status).toBe(200);
  });
});
