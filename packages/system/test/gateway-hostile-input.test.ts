import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { describe, expect } from 'vitest';
import { type Json, type Reply, type Session, type SystemStack, signUp, systemTest } from '../src/index.ts';
import { AUTH_AT_THE_EDGE } from './support/auth-at-the-edge.ts';

// What an anonymous attacker tried through the gateway (issue 7): bodies between the service's
// limit and the gateway's, invalid UTF-8, headers sent one byte at a time, and the host's address
// in the calendar file. Real auth, real events, the real gateway; every client on 127.0.0.1.

const MiB = 1024 * 1024;
/** C3 28: a lead byte without its continuation; FF FE: never valid; ED A0 80: an encoded surrogate. */
const INVALID_UTF8 = Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]);
const HEADERS_TIMEOUT_MS = 1_000;

// The other services do not run here: /readyz is about the two that do (startSystem's READY_UPSTREAMS).
const it = systemTest({
  services: ['auth', 'events'],
  countRequests: ['auth'],
  env: {
    auth: AUTH_AT_THE_EDGE,
    events: { JOBS_ENABLED: 'false' },
    gateway: { HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS) },
  },
});
let stack: SystemStack;
it.beforeAll(({ stack: started }) => {
  stack = started;
});

const futureIso = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

async function newEvent(session: Session, extra: Json = {}): Promise<Json> {
  const reply = await stack.api.post(
    '/api/events',
    { title: 'Hostile input', start_time: futureIso(48), location: 'Hall A', max_participants: 10, ...extra },
    { token: session.access },
  );
  expect(reply.status, reply.text).toBe(201);
  return reply.body;
}

/** Bytes as they are, with a Content-Length. A connection error is status 0 (the test shows it). */
async function sendBytes(method: string, path: string, body: Buffer, headers: Record<string, string> = {}) {
  try {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });
    return { status: response.status, text: await response.text(), headers: response.headers };
  } catch (err) {
    return { status: 0, text: String((err as Error).cause ?? err), headers: new Headers() };
  }
}

/** The reply, or status 0 when the connection broke (a reset the test must count, not crash on). */
async function orBroken(reply: Promise<Reply>): Promise<Reply> {
  try {
    return await reply;
  } catch (err) {
    return { status: 0, body: {}, text: String((err as Error).cause ?? err), headers: new Headers() };
  }
}

/** A body without a Content-Length (chunked), written in 64 KiB pieces; 0 when the connection broke. */
function sendChunked(path: string, total: number): Promise<number> {
  const { hostname, port } = new URL(stack.url);
  return new Promise((resolve) => {
    const req = httpRequest(
      { hostname, port, path, method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    let written = 0;
    const writeMore = () => {
      while (written < total) {
        const piece = Buffer.alloc(Math.min(64 * 1024, total - written), 0x61);
        written += piece.length;
        if (!req.write(piece)) return void req.once('drain', writeMore);
      }
      req.end();
    };
    writeMore();
  });
}

describe('an oversized body', () => {
  it('is refused at the edge with 413 while everyone else keeps writing and /readyz stays 200', async () => {
    const { session: host } = await signUp(stack.api);
    const { person: other } = await signUp(stack.api);
    const event = await newEvent(host);
    const oversized = Buffer.alloc(2 * MiB, 0x20);
    const attacker: string[] = [];
    const victims: string[] = [];
    const ready: string[] = [];
    const authSawBefore = stack.seen.auth!.length;

    const attack = async (round: number) => {
      const login = await sendBytes('POST', '/api/auth/login', oversized);
      attacker.push(`login ${login.status}`);
      const update = await sendBytes('PATCH', `/api/events/${event.id}`, oversized, {
        authorization: `Bearer ${host.access}`,
      });
      attacker.push(`patch ${update.status}`);
      if (round % 2 === 0) attacker.push(`chunked ${await sendChunked('/api/auth/logout', 2 * MiB)}`);
    };
    const everyoneElse = async (round: number) => {
      const [patched, signedIn, probe] = await Promise.all([
        orBroken(stack.api.patch(`/api/events/${event.id}`, { title: `Round ${round}` }, { token: host.access })),
        orBroken(stack.api.post('/api/auth/login', { username: other.username, password: other.password })),
        orBroken(stack.api.get('/readyz')),
      ]);
      victims.push(`patch ${patched.status}`, `login ${signedIn.status}`);
      ready.push(probe.status === 200 ? '200' : `${probe.status} ${probe.text}`);
      const loggedOut = await orBroken(stack.api.post('/api/auth/logout', { refresh: signedIn.body.refresh }));
      victims.push(`logout ${loggedOut.status}`);
    };

    const rounds = 12;
    // One after the other: each write lands right after an oversized body, on whatever connection it left.
    for (let round = 0; round < rounds; round++) {
      await attack(round);
      await everyoneElse(round);
    }
    // And at the same time.
    await Promise.all([
      (async () => {
        for (let round = 0; round < rounds; round++) await attack(round);
      })(),
      (async () => {
        for (let round = rounds; round < 2 * rounds; round++) await everyoneElse(round);
      })(),
    ]);

    const expectedAttacks = Array.from({ length: rounds }, (_, round) => [
      'login 413',
      'patch 413',
      ...(round % 2 === 0 ? ['chunked 413'] : []),
    ]).flat();
    const expectedWrites = Array.from({ length: 2 * rounds }, () => ['patch 200', 'login 200', 'logout 200']).flat();
    expect(victims.sort()).toEqual(expectedWrites.sort());
    expect(ready).toEqual(Array.from({ length: 2 * rounds }, () => '200'));
    expect(attacker.sort()).toEqual([...expectedAttacks, ...expectedAttacks].sort());
    // No oversized body reached auth: the only logins auth saw are the other user's.
    const logins = stack.seen.auth!.slice(authSawBefore).filter((line) => line.startsWith('POST /api/auth/login'));
    expect(logins).toHaveLength(2 * rounds);
    const final = await stack.api.get(`/api/events/${event.id}`);
    expect(final.body.title).toBe(`Round ${2 * rounds - 1}`);
  }, 120_000);
});

/** iCalendar lines as written before folding at 75 octets. */
const unfolded = (ics: string) => ics.replace(/\r\n[ \t]/g, '');

describe('the calendar file', () => {
  it('shows the host by name only to anyone but the host and co-hosts', async () => {
    const { person, session: host } = await signUp(stack.api);
    const { session: stranger } = await signUp(stack.api);
    const event = await newEvent(host, { title: 'Calendar privacy' });
    const path = `/api/events/${event.id}/calendar.ics`;

    for (const [who, token] of [
      ['anonymous', undefined],
      ['a stranger', stranger.access],
    ] as const) {
      const reply = await stack.api.get(path, token ? { token } : {});
      expect(reply.status, who).toBe(200);
      expect(unfolded(reply.text).toLowerCase(), who).not.toContain(person.email.toLowerCase());
      expect(unfolded(reply.text), who).toMatch(/\r\nORGANIZER;CN="[^"\r\n]+":mailto:noreply@127\.0\.0\.1\r\n/);
    }
    const own = await stack.api.get(path, { token: host.access });
    expect(unfolded(own.text)).toContain(`:mailto:${person.email}\r\n`);
  });
});

describe('a body that is not valid UTF-8', () => {
  it('is refused with 400 by events and nothing is stored', async () => {
    const { session } = await signUp(stack.api);
    const body = Buffer.concat([
      Buffer.from(`{"title":"Bad `),
      INVALID_UTF8,
      Buffer.from(`","start_time":"${futureIso(48)}","location":"Hall A","max_participants":5}`),
    ]);
    const reply = await sendBytes('POST', '/api/events', body, { authorization: `Bearer ${session.access}` });
    expect(reply.status, reply.text).toBe(400);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.parse(reply.text)).toMatchObject({
      status: 400,
      code: 'MALFORMED_BODY',
      detail: 'Request body is not valid UTF-8.',
    });
    const mine = await stack.api.get('/api/events/mine', { token: session.access });
    expect(mine.status).toBe(200);
    expect(mine.body.count).toBe(0);
  });

  it('is refused with 400 by auth and no account is created', async () => {
    const username = `utf8_${Date.now().toString(36)}`;
    const password = 'Orchid-Ladder-Window-73';
    const body = Buffer.concat([
      Buffer.from(`{"username":"${username}","email":"${username}@example.com","password":"${password}",`),
      Buffer.from(`"password2":"${password}","first_name":"Bad `),
      INVALID_UTF8,
      Buffer.from(`","last_name":"Bytes"}`),
    ]);
    const reply = await sendBytes('POST', '/api/auth/register', body);
    expect(reply.status, reply.text).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ status: 400, code: 'MALFORMED_BODY' });
    const signIn = await stack.api.post('/api/auth/login', { username, password });
    expect(signIn.status).toBe(401);
  });
});

describe('a client that sends its headers slowly', () => {
  it('is cut off within the configured headers timeout while other requests are served', async () => {
    const { session } = await signUp(stack.api);
    const { hostname, port } = new URL(stack.url);
    const socket = connect({ host: hostname, port: Number(port) });
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    let open = true;
    void closed.then(() => {
      open = false;
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /api/events HTTP/1.1\r\nHost: ${hostname}\r\nX-Slow: `);
    // One byte at a time: never a complete header block.
    const drip = setInterval(() => {
      if (open) socket.write('a');
    }, 100);

    const served: number[] = [];
    try {
      // Normal requests while the slow one is held, until the slow one is cut.
      while (open) {
        const [list, mine] = await Promise.all([
          stack.api.get('/api/events'),
          stack.api.get('/api/events/mine', { token: session.access }),
        ]);
        served.push(list.status, mine.status);
      }
      await closed;
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
    expect(served.length).toBeGreaterThanOrEqual(2);
    expect(served.every((status) => status === 200)).toBe(true);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  }, 10_000);
});
