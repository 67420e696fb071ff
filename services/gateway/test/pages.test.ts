import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './support/gateway.ts';
import { type Running, startHono } from './support/upstreams.ts';

const calls: Array<{ path: string; body: unknown; requestId: string | undefined }> = [];
/** The Authorization each event read arrived with (the page forwards the visitor's access_token cookie). */
const eventReads: Array<string | undefined> = [];
const problem = (status: number, detail: string, extra: object = {}) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'Error', status, detail, ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

/** An event at Kyiv's spring DST change: 01:30 UTC is 04:30 EEST (the clocks went 03:00 → 04:00 at 01:00 UTC). */
const kyivEvent = {
  id: 'kyiv',
  title: 'Compilers & Coffee',
  description: 'Talks,\nthen coffee.',
  start_time: '2026-03-29T01:30:00.000Z',
  end_time: '2026-03-29T03:30:00.000Z',
  timezone: 'Europe/Kyiv',
  location: 'Kyiv, Hall A',
  host: 'user-1',
  host_name: 'Ada Lovelace',
  // What the anonymous view never carries; a page that printed the view's fields blindly would show it.
  host_email: 'ada@example.test',
  cohosts: [{ id: null, name: 'Grace' }],
  max_participants: 10,
  visibility: 'public',
  is_active: true,
  is_past: false,
  available_spots: 3,
  waitlist_count: 0,
};

/** Just enough of the events, invitations and auth APIs for the three pages. */
function fakeServices() {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.get('/api/events/:id', (c) => {
    const id = c.req.param('id');
    const authorization = c.req.header('authorization');
    eventReads.push(authorization);
    if (authorization === 'Bearer stale') return problem(401, 'Token expired.');
    if (id === 'kyiv') return c.json(kyivEvent);
    if (id === 'full') return c.json({ ...kyivEvent, id, available_spots: 0, waitlist_count: 4 });
    if (id === 'no-zone') {
      const { timezone: _, ...rest } = kyivEvent;
      return c.json({ ...rest, id, start_time: '2026-12-10T17:23:00.000Z', end_time: '2026-12-10T19:00:00.000Z' });
    }
    if (id === 'hostile') return c.json({ ...kyivEvent, id, title: '<script>alert(1)</script>', location: '"><b>x' });
    if (id === 'private' && authorization === 'Bearer invitee')
      return c.json({ ...kyivEvent, id, title: 'Secret supper', visibility: 'invite_only' });
    if (id === 'refused') return problem(403, 'Forbidden.');
    if (id === 'broken') return problem(500, 'Boom.');
    if (id === 'busy') return problem(429, 'Too many requests.');
    return problem(404, 'Event not found.');
  });
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
    if (token.startsWith('kyiv-'))
      return c.json({
        token,
        event_name: 'Compilers & Coffee',
        event_start_time: kyivEvent.start_time,
        event_end_time: kyivEvent.end_time,
        event_timezone: 'Europe/Kyiv',
        event_location: 'Kyiv, Hall A',
        host_name: 'Ada Lovelace',
        invited_by: 'Grace',
        email: 'guest@example.test',
        expires_at: '2026-03-20T10:00:00.000Z',
        responded_at: token === 'kyiv-pending' ? null : '2026-03-10T10:00:00.000Z',
        state: token.slice('kyiv-'.length),
        status: token === 'kyiv-pending' ? 'pending' : 'accepted',
        can_accept: token === 'kyiv-pending',
        is_expired: token === 'kyiv-expired',
      });
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
      ? c.json({ email: 'new.user@example.test', username: 'newbie', expires_at: '2026-12-10T17:23:00.000Z' })
      : c.req.param('token') === 'late'
        ? problem(410, 'The link expired.')
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
  gw = await startGateway({ env: { EVENTS_URL: services.url, INVITATIONS_URL: services.url, AUTH_URL: services.url } });
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

describe('/e/{id}', () => {
  it("shows the event in its own zone, with its end, place, host's name and seats left, and no email", async () => {
    const response = await fetch(`${gw.url}/e/kyiv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>Compilers &amp; Coffee — Convene</title>');
    expect(html).toContain('<h1>Compilers &amp; Coffee</h1>');
    expect(html).toContain('<time datetime="2026-03-29T01:30:00.000Z">Sun, 29 Mar 2026, 04:30 – 06:30 EEST</time>');
    expect(html).toContain('<dt>Where</dt><dd>Kyiv, Hall A</dd>');
    expect(html).toContain('<dt>Host</dt><dd>Ada Lovelace</dd>');
    expect(html).toContain('<dt>Seats</dt><dd>3 of 10 seats left</dd>');
    expect(html).toContain('<a class="button" href="/api/events/kyiv/calendar.ics">Add to calendar</a>');
    expect(html).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
    expect(html).not.toMatch(/<script/i);
    expect(eventReads.at(-1)).toBeUndefined();
  });

  it('says the waitlist is open once every seat is taken', async () => {
    expect(await (await fetch(`${gw.url}/e/full`)).text()).toContain('<dt>Seats</dt><dd>Waitlist open</dd>');
  });

  it('shows an event whose answer names no zone in UTC', async () => {
    expect(await (await fetch(`${gw.url}/e/no-zone`)).text()).toContain('Thu, 10 Dec 2026, 17:23 – 19:00 UTC');
  });

  it('escapes what the event says', async () => {
    const html = await (await fetch(`${gw.url}/e/hostile`)).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;b&gt;x');
  });

  it('shows the private state, 404 like an unknown id, to a visitor the event is not shown to', async () => {
    for (const id of ['private', 'no-such-event']) {
      const response = await fetch(`${gw.url}/e/${id}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await response.text();
      expect(html).toContain('<h1>Event not found</h1>');
      expect(html).toContain('It may be a private event');
      expect(html).not.toContain('Secret supper');
    }
    const refused = await fetch(`${gw.url}/e/refused`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<h1>Private event</h1>');
  });

  it('shows a private event to the invitee whose access_token cookie it forwards; a stale one reads anonymously', async () => {
    const invitee = await fetch(`${gw.url}/e/private`, { headers: { cookie: 'theme=dark; access_token=invitee' } });
    expect(invitee.status).toBe(200);
    const html = await invitee.text();
    expect(html).toContain('<h1>Secret supper</h1>');
    expect(html).toContain('Private event: shown only to its host and the people invited.');
    expect(eventReads.at(-1)).toBe('Bearer invitee');

    const before = eventReads.length;
    const stale = await fetch(`${gw.url}/e/kyiv`, { headers: { cookie: 'access_token=stale' } });
    expect(stale.status).toBe(200);
    expect(eventReads.slice(before)).toEqual(['Bearer stale', undefined]);
  });

  it('stays 429 when events throttles: it is not a missing event', async () => {
    const response = await fetch(`${gw.url}/e/busy`);
    expect(response.status).toBe(429);
    expect(await response.text()).toContain('Too many requests.');
  });

  it('is 502 in the same design when events fails', async () => {
    const response = await fetch(`${gw.url}/e/broken`);
    expect(response.status).toBe(502);
    expect(await response.text()).toContain('This page cannot be shown right now');
  });
});

describe("/invite/{token} in the event's zone", () => {
  it("shows the start and end in the event's zone, the host's name and the deadline", async () => {
    const html = await (await fetch(`${gw.url}/invite/kyiv-pending`)).text();
    expect(html).toContain('Sun, 29 Mar 2026, 04:30 – 06:30 EEST');
    expect(html).toContain('<dt>Host</dt><dd>Ada Lovelace</dd>');
    expect(html).toContain('<dt>Invited by</dt><dd>Grace</dd>');
    expect(html).toContain(
      '<dt>Answer by</dt><dd><time datetime="2026-03-20T10:00:00.000Z">Fri, 20 Mar 2026, 12:00 EET</time></dd>',
    );
    expect(html).toContain('value="accept"');
  });

  it.each([
    ['expired', 'This invitation has expired.'],
    ['cancelled', 'This invitation has been cancelled by the host.'],
    ['event_closed', 'This event has been cancelled, so the invitation can no longer be answered.'],
    ['declined', 'You declined this invitation on'],
    ['accepted_pending', 'Your seat is being reserved.'],
    ['accepted_confirmed', 'you have a seat.'],
    ['accepted_waitlisted', 'you are on the waitlist.'],
    ['accepted_offered', 'a seat has been offered to you'],
    ['accepted_rejected', 'there was no seat for you'],
    ['accepted_cancelled', 'your seat has since been cancelled'],
  ])('says %s in words, without the form', async (state, words) => {
    const html = await (await fetch(`${gw.url}/invite/kyiv-${state}`)).text();
    expect(html).toContain(words);
    expect(html).not.toContain('<form');
  });

  it("says when it was answered, in the event's zone", async () => {
    const html = await (await fetch(`${gw.url}/invite/kyiv-accepted_confirmed`)).text();
    expect(html).toContain(
      'You accepted this invitation on <time datetime="2026-03-10T10:00:00.000Z">Tue, 10 Mar 2026, 12:00 EET</time>: you have a seat.',
    );
  });
});

describe('/invite/{token}', () => {
  it('shows the invitation with accept and decline forms, no script allowed', async () => {
    const response = await fetch(`${gw.url}/invite/good`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('Rust meetup');
    expect(html).toContain('<dt>Invited by</dt><dd>Ada</dd>');
    expect(html).toContain('<label for="full_name">Your name</label>');
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
    expect(html).toContain('<label for="password2">Repeat it</label>');
    expect(html).toContain(
      'This link works until <time datetime="2026-12-10T17:23:00.000Z">Thu, 10 Dec 2026, 17:23 UTC</time>.',
    );
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

  it('says an expired link has expired, 410', async () => {
    const response = await fetch(`${gw.url}/set-password/late`);
    expect(response.status).toBe(410);
    expect(await response.text()).toContain('This link has expired.');
  });

  it('says the link is not valid for an unknown token', async () => {
    const response = await fetch(`${gw.url}/set-password/used`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('This link is not valid');
  });
});
