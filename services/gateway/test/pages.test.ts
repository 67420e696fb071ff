import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './support/gateway.ts';
import { type Running, startHono } from './support/upstreams.ts';

const calls: Array<{ path: string; body: unknown; requestId: string | undefined }> = [];
const problem = (status: number, detail: string, extra: object = {}) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'Error', status, detail, ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

/** Just enough of the invitations and auth APIs for the two pages. */
function fakeServices() {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.get('/api/attendee-invitations/verify/:token', (c) => {
    const token = c.req.param('token');
    if (token === 'good' || token === 'with <script>')
      return c.json({
        token,
        event_name: token === 'good' ? 'Rust meetup' : '<script>alert(1)</script>',
        event_description: 'Talks and pizza',
        invited_by: 'Ada',
        message: 'Come along!',
        expires_at: '2030-01-01T00:00:00Z',
        can_accept: true,
        is_expired: false,
      });
    if (token === 'old') return c.json({ token, event_name: 'Past', can_accept: false, is_expired: true });
    return problem(404, 'Invitation not found.');
  });
  for (const action of ['accept', 'reject']) {
    app.post(`/api/attendee-invitations/${action}`, async (c) => {
      const body = await c.req.json();
      calls.push({ path: c.req.path, body, requestId: c.req.header('x-request-id') });
      return body.token === 'good'
        ? c.json({ status: action === 'accept' ? 'accepted' : 'declined' })
        : problem(400, 'Already answered.');
    });
  }
  app.get('/api/auth/set-password/:token', (c) =>
    c.req.param('token') === 'fresh'
      ? c.json({ email: 'new.user@example.test', username: 'newbie' })
      : problem(404, 'Not found.'),
  );
  app.post('/api/auth/set-password/:token', async (c) => {
    const body = await c.req.json();
    calls.push({ path: c.req.path, body, requestId: c.req.header('x-request-id') });
    if (body.password === 'password')
      return problem(400, 'Invalid input: password.', { errors: { password: ['This password is too common.'] } });
    return c.json({ detail: 'Password set.' });
  });
  return app;
}

let gw: TestGateway;
let services: Running;

beforeAll(async () => {
  services = await startHono(fakeServices());
  gw = await startGateway({ env: { INVITATIONS_URL: services.url, AUTH_URL: services.url } });
});
afterAll(async () => {
  await gw.close();
  await services.close();
});

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe('/invite/{token}', () => {
  it('shows the invitation with accept and decline forms, no script allowed', async () => {
    const response = await fetch(`${gw.url}/invite/good`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('Rust meetup');
    expect(html).toContain('Invited by <strong>Ada</strong>');
    expect(html).toContain('<form method="post" action="/invite/good">');
    expect(html).toContain('value="accept"');
    expect(html).toContain('value="decline"');
  });

  it('escapes what the invitation says', async () => {
    const html = await (await fetch(`${gw.url}/invite/${encodeURIComponent('with <script>')}`)).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('accepts through the public API, passing the name and phone given', async () => {
    const response = await fetch(
      `${gw.url}/invite/good`,
      form({ action: 'accept', full_name: 'Grace Hopper', phone: '' }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('You accepted the invitation');
    const call = calls.at(-1)!;
    expect(call.path).toBe('/api/attendee-invitations/accept');
    expect(call.body).toEqual({ token: 'good', full_name: 'Grace Hopper' });
    expect(call.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('declines through the public API', async () => {
    const response = await fetch(`${gw.url}/invite/good`, form({ action: 'decline' }));
    expect(await response.text()).toContain('You declined the invitation');
    expect(calls.at(-1)).toMatchObject({ path: '/api/attendee-invitations/reject', body: { token: 'good' } });
  });

  it('says why when the invitation cannot be used', async () => {
    const unknown = await fetch(`${gw.url}/invite/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('This link is not valid');
    const expired = await (await fetch(`${gw.url}/invite/old`)).text();
    expect(expired).toContain('This invitation has expired');
    expect(expired).not.toContain('<form');
    const refused = await fetch(`${gw.url}/invite/nope`, form({ action: 'accept' }));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Already answered.');
  });
});

describe('/set-password/{token}', () => {
  it('shows whose password is being set', async () => {
    const response = await fetch(`${gw.url}/set-password/fresh`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('new.user@example.test');
    expect(html).toContain('name="password2"');
  });

  it('checks that both passwords match before calling the API', async () => {
    const before = calls.length;
    const response = await fetch(
      `${gw.url}/set-password/fresh`,
      form({ password: 'Str0ng-and-long', password2: 'different' }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('The two passwords differ.');
    expect(calls.length).toBe(before);
  });

  it('shows the field errors the API returns', async () => {
    const response = await fetch(`${gw.url}/set-password/fresh`, form({ password: 'password', password2: 'password' }));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('This password is too common.');
  });

  it('sets the password through the public API', async () => {
    const response = await fetch(
      `${gw.url}/set-password/fresh`,
      form({ password: 'Str0ng-and-long', password2: 'Str0ng-and-long' }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Your password is set');
    expect(calls.at(-1)).toMatchObject({ path: '/api/auth/set-password/fresh', body: { password: 'Str0ng-and-long' } });
  });

  it('says the link is not valid for an unknown token', async () => {
    const response = await fetch(`${gw.url}/set-password/used`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('This link is not valid');
  });
});
