import { TestClock } from '@convene/testing';
import { describe, expect } from 'vitest';
import { echoed, gatewayTest, type TestGateway } from './support/gateway.ts';

// The rate-limit windows run on a clock that stands still, 15 s into a minute: no window boundary
// can fall between two requests of a test and start the counts over.
const windowStart = Math.floor(Date.now() / 60_000) * 60_000;
const clock = new TestClock(new Date(windowStart + 15_000));

// Three gateways, each started when the first test that uses it runs: plain, rate-limited, CORS.
const it = gatewayTest();
const limitedIt = gatewayTest({
  env: { RATE_LIMIT_PER_IP: '5', RATE_LIMIT_PER_USER: '3', RATE_LIMIT_WINDOW_MS: '60000' },
  now: clock.now,
});
const corsIt = gatewayTest({ env: { CORS_ORIGINS: 'https://app.convene.test, https://admin.convene.test' } });

describe('access tokens at the edge', () => {
  it('refuses a protected route without a token (401 problem, nothing forwarded)', async ({ gw }) => {
    const response = await fetch(`${gw.url}/api/auth/profile`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(await response.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it.for([
    ['garbage', () => 'not.a.jwt'],
    ['wrong issuer', (gw: TestGateway) => gw.token({ issuer: 'someone-else' })],
    ['wrong audience', (gw: TestGateway) => gw.token({ audience: 'other-app' })],
    ['expired', (gw: TestGateway) => gw.token({ expired: true })],
    ['wrongly signed', (gw: TestGateway) => gw.token({ wrongKey: true })],
    ['unknown-kid', (gw: TestGateway) => gw.token({ kid: 'nobody-publishes-this' })],
  ] as const)('refuses a %s token with 401', async ([, make], { gw }) => {
    const response = await fetch(`${gw.url}/api/events/mine`, { headers: { authorization: `Bearer ${make(gw)}` } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ status: 401 });
  });

  it('forwards a valid token with the request, untouched', async ({ gw }) => {
    const token = gw.token({ sub: 'u-42' });
    const echo = await echoed(
      await fetch(`${gw.url}/api/events/mine`, { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(echo.service).toBe('events');
    expect(echo.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('accepts the access_token cookie as browsers send it', async ({ gw }) => {
    const token = gw.token();
    const echo = await echoed(
      await fetch(`${gw.url}/api/notifications`, { headers: { cookie: `access_token=${token}` } }),
    );
    expect(echo.headers.cookie).toBe(`access_token=${token}`);
  });

  it.for([
    ['POST', '/api/auth/login'],
    ['POST', '/api/login'],
    ['POST', '/api/auth/register'],
    ['POST', '/api/register'],
    ['POST', '/api/auth/token/refresh'],
    ['GET', '/api/auth/set-password/abc'],
    ['POST', '/api/auth/set-password/abc'],
    ['GET', '/api/attendee-invitations/verify/abc'],
    ['POST', '/api/attendee-invitations/accept'],
    ['POST', '/api/attendee-invitations/reject'],
    ['GET', '/api/invites/abc'],
    ['GET', '/.well-known/jwks.json'],
    ['GET', '/api/events'],
    ['GET', '/api/events/e1'],
    ['GET', '/api/events/upcoming'],
  ] as const)('lets %s %s through without a token', async ([method, path], { gw }) => {
    const echo = await echoed(await fetch(gw.url + path, { method }));
    expect(echo.headers.authorization).toBeUndefined();
  });

  it('does not look at a token on public routes (a stale cookie cannot block login)', async ({ gw }) => {
    const echo = await echoed(
      await fetch(`${gw.url}/api/auth/login`, {
        method: 'POST',
        headers: { cookie: 'access_token=expired.junk.token' },
      }),
    );
    expect(echo.service).toBe('auth');
  });

  it('checks a token that is sent on an optional route', async ({ gw }) => {
    const response = await fetch(`${gw.url}/api/events`, { headers: { authorization: 'Bearer junk' } });
    expect(response.status).toBe(401);
  });
});

describe('rate limits', () => {
  limitedIt('limits requests per signed-in user, then per client address, with 429 and Retry-After', async ({ gw }) => {
    const auth = { authorization: `Bearer ${gw.token({ sub: 'busy-user' })}` };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${gw.url}/api/events/mine`, { headers: auth })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);

    const limited = await fetch(`${gw.url}/api/events/mine`, { headers: auth });
    expect(limited.status).toBe(429);
    // 45 s of the window are left.
    expect(limited.headers.get('retry-after')).toBe('45');
    expect(await limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED', retry_after: 45 });

    // Five requests from this address so far: the sixth (anonymous) is over the per-IP limit.
    const anonymous = await fetch(`${gw.url}/api/events`);
    expect(anonymous.status).toBe(429);
    expect(anonymous.headers.get('retry-after')).toBe('45');
  });

  limitedIt('never limits health probes and metric scrapes', async ({ gw }) => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    // Two refusals for the user and one for the address, all from the test above.
    expect(metrics).toMatch(/^gateway_rate_limited_total\{scope="user"\} 2$/m);
    expect(metrics).toMatch(/^gateway_rate_limited_total\{scope="ip"\} 1$/m);
  });

  limitedIt('starts the counts over in the next window', async ({ gw }) => {
    const auth = { authorization: `Bearer ${gw.token({ sub: 'busy-user' })}` };
    clock.set(new Date(windowStart + 59_999));
    expect((await fetch(`${gw.url}/api/events/mine`, { headers: auth })).status).toBe(429);
    clock.set(new Date(windowStart + 60_000));
    expect((await fetch(`${gw.url}/api/events/mine`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${gw.url}/api/events`)).status).toBe(200);
  });
});

describe('CORS', () => {
  corsIt('answers a preflight from a listed origin without asking any service', async ({ gw }) => {
    const response = await fetch(`${gw.url}/api/events`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.convene.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.convene.test');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(response.headers.get('access-control-max-age')).toBe('600');
  });

  corsIt('adds CORS headers to proxied answers for listed origins only', async ({ gw }) => {
    const listed = await fetch(`${gw.url}/api/events`, { headers: { origin: 'https://admin.convene.test' } });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://admin.convene.test');
    expect(listed.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    expect(listed.headers.get('vary')).toContain('Origin');

    const other = await fetch(`${gw.url}/api/events`, { headers: { origin: 'https://evil.test' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  // The file's default gateway: no CORS_ORIGINS.
  it('sends no CORS headers at all when no origins are configured', async ({ gw }) => {
    const response = await fetch(`${gw.url}/api/events`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.convene.test', 'access-control-request-method': 'GET' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
