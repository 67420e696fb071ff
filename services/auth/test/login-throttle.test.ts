import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPerson, type RunningAuth, STRONG_PASSWORD, startAuth } from './support/harness.ts';

// Two replicas over one database: the counts must hold across them.
let a: RunningAuth;
let b: RunningAuth;
beforeAll(async () => {
  const limits = {
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
    LOGIN_MAX_FAILURES_PER_IP: '6',
    LOGIN_FAILURE_WINDOW_MS: '600s',
  };
  a = await startAuth(limits);
  b = await startAuth(limits, { database: a.database, namespace: a.namespace });
  // Both replicas' clocks stand still at one instant: a window can neither run out nor shrink
  // while a test runs, and the Retry-After they tell is exact.
  const at = new Date();
  a.clock.freeze(at);
  b.clock.freeze(at);
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

const from = (ip: string) => ({ headers: { 'X-Forwarded-For': ip } });

async function registered() {
  const person = newPerson();
  expect((await a.api.post('/api/auth/register', person)).status).toBe(201);
  return person;
}

describe('failed-login throttling', () => {
  it('answers 429 with Retry-After once an account has too many failures, across replicas', async () => {
    const person = await registered();
    const attempt = (api: RunningAuth['api'], password: string, ip: string) =>
      api.post('/api/auth/login', { username: person.username, password }, from(ip));

    expect((await attempt(a.api, 'Wrong-Password-1', '10.0.0.1')).status).toBe(401);
    expect((await attempt(b.api, 'Wrong-Password-2', '10.0.0.2')).status).toBe(401);
    expect((await attempt(a.api, 'Wrong-Password-3', '10.0.0.3')).status).toBe(401);

    // Even the right password is refused while the account is blocked, on either replica.
    for (const api of [a.api, b.api]) {
      const res = await attempt(api, STRONG_PASSWORD, '10.0.0.4');
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      // The window opened with the first failure, no time ago: all 600 s of it are left.
      expect(res.headers.get('retry-after')).toBe('600');
      expect(res.body).toMatchObject({ status: 429, code: 'LOGIN_THROTTLED', retry_after: 600 });
    }

    // One second before the window ends it still holds; once it has ended the password works.
    a.clock.advance(599_000);
    try {
      expect((await attempt(a.api, STRONG_PASSWORD, '10.0.0.5')).status).toBe(429);
      a.clock.advance(1_000);
      expect((await attempt(a.api, STRONG_PASSWORD, '10.0.0.5')).status).toBe(200);
    } finally {
      a.clock.advance(-600_000);
    }
  });

  it('counts the username and the email of one account together', async () => {
    const person = await registered();
    for (const name of [person.username, person.email, person.username.toUpperCase()]) {
      await a.api.post('/api/auth/login', { username: name, password: 'Wrong-Password-x' }, from('10.1.0.1'));
    }
    const res = await a.api.post(
      '/api/auth/login',
      { username: person.email, password: STRONG_PASSWORD },
      from('10.1.0.2'),
    );
    expect(res.status).toBe(429);
  });

  it('throttles unknown accounts exactly like real ones (no enumeration)', async () => {
    const name = `ghost_${Date.now()}`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await a.api.post('/api/auth/login', { username: name, password: 'Wrong-Password-x' }, from('10.2.0.1')))
          .status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('does not count successful logins', async () => {
    const person = await registered();
    for (let i = 0; i < 8; i++) {
      const res = await b.api.post(
        '/api/auth/login',
        { username: person.username, password: STRONG_PASSWORD },
        from('10.3.0.1'),
      );
      expect(res.status).toBe(200);
    }
  });

  it('blocks an address that spreads failures over many accounts, and only that address', async () => {
    const people = await Promise.all(Array.from({ length: 4 }, () => registered()));
    let failures = 0;
    for (const person of people) {
      for (let i = 0; i < 2 && failures < 6; i++, failures++) {
        await a.api.post(
          '/api/auth/login',
          { username: person.username, password: 'Wrong-Password-x' },
          from('10.4.0.9'),
        );
      }
    }
    const fresh = await registered();
    const blocked = await b.api.post(
      '/api/auth/login',
      { username: fresh.username, password: STRONG_PASSWORD },
      from('10.4.0.9'),
    );
    expect(blocked.status).toBe(429);
    const elsewhere = await b.api.post(
      '/api/auth/login',
      { username: fresh.username, password: STRONG_PASSWORD },
      from('10.4.0.10'),
    );
    expect(elsewhere.status).toBe(200);
  });

  it('takes the address the trusted proxy saw, not one the client wrote further left', async () => {
    const people = await Promise.all(Array.from({ length: 3 }, () => registered()));
    // The client forges a different leftmost address each time; the gateway appends the real one.
    let n = 0;
    for (const person of people) {
      for (let i = 0; i < 2; i++) {
        n += 1;
        await a.api.post(
          '/api/auth/login',
          { username: person.username, password: 'Wrong-Password-x' },
          from(`192.0.2.${n}, 10.5.0.1`),
        );
      }
    }
    const fresh = await registered();
    const res = await a.api.post(
      '/api/auth/login',
      { username: fresh.username, password: STRONG_PASSWORD },
      from('192.0.2.200, 10.5.0.1'),
    );
    expect(res.status).toBe(429);
  });
});
